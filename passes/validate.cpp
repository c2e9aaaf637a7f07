// validate: every input is read and validated by wabt before Binaryen sees it (Binaryen exits the process
// on malformed input). Also applies our resource limits, so a hostile module cannot exhaust memory.
#include "passes/registry.h"

namespace fleetpack {

bool run_validate(StepContext& ctx) {
  auto module = load_module(ctx.input_file, ctx.input_bytes, ctx.diags);
  if (!module) return false;
  // The input's description, for diagnostics; not a third copy of its bytes (input_bytes has them, and
  // every per-variant context copies `input`).
  ctx.input = *module;
  Bytes().swap(ctx.input->bytes);
  ctx.module = std::move(module);
  return true;
}

}  // namespace fleetpack
