// auto target: ships engine.wasm and a script (the entry) holding both the loader and the JS fallback. The
// loader runs the Wasm when the device's VM has WebAssembly and every feature the module uses (probed with
// tiny modules), else the fallback, already loaded: nothing is fetched twice. It says which and why.
#include "targets/engine_script.h"

namespace fleetpack {

std::optional<TargetOutput> emit_auto_target(const TargetInput& in, Diagnostics& diags) {
  return make_target_output(in, "auto", /*with_wasm=*/true, diags);
}

}  // namespace fleetpack
