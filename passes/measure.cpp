// measure: the figures of the module as it ships (DESIGN.md "Memory and size budgets"); for now its size
// raw and zstd-compressed.
#include "base/zstd_codec.h"
#include "passes/registry.h"

namespace fleetpack {

bool run_measure(StepContext& ctx) {
  if (!ctx.module) return false;
  const Bytes& b = ctx.module->bytes;
  ctx.figures.wasm_bytes = b.size();
  ctx.figures.wasm_zstd_bytes = zstd_compress(b.data(), b.size(), ctx.zstd_level).size();
  return true;
}

}  // namespace fleetpack
