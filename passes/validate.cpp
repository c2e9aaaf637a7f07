// validate: every input is read and validated by wabt before Binaryen sees it (Binaryen exits the process
// on malformed input). Also applies our resource limits, so a hostile module cannot exhaust memory.
#include "passes/registry.h"

namespace fleetpack {

bool run_validate(StepContext& ctx) {
  auto module = load_module(ctx.input_file, ctx.input_bytes, ctx.diags);
  if (!module) return false;
  ctx.input = *module;
  ctx.module = std::move(module);
  return true;
}

}  // namespace fleetpack
