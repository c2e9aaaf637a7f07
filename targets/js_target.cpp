// js target: for devices without WebAssembly. Ships the loader script (the entry: the fallback's wrapper,
// the polyfills the profile's JS level lacks, the loader), the wasm2js fallback it loads
// (engine.fallback.js) and the app's JS files. No .wasm.
#include "targets/engine_script.h"

namespace fleetpack {

std::optional<TargetOutput> emit_js_target(const TargetInput& in, Diagnostics& diags) {
  return make_target_output(in, "js", /*with_wasm=*/false, diags);
}

}  // namespace fleetpack
