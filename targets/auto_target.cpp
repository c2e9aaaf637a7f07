// auto target: ships engine.wasm, the loader script (the entry) and the JS fallback (engine.fallback.js).
// The loader runs the Wasm when the device's VM has WebAssembly and every feature the module uses (probed
// with tiny modules), else downloads and runs the fallback: a device fetches one of the two, never both
// (unless its VM rejects the Wasm after the probes passed). It says which and why.
#include "targets/engine_script.h"

namespace fleetpack {

std::optional<TargetOutput> emit_auto_target(const TargetInput& in, Diagnostics& diags) {
  return make_target_output(in, "auto", /*with_wasm=*/true, diags);
}

}  // namespace fleetpack
