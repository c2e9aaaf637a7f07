// js target: for devices without WebAssembly. Ships one script (the entry): the wasm2js fallback, its
// wrapper, the polyfills the profile's JS level lacks and the loader, plus the app's JS files. No .wasm.
#include "targets/engine_script.h"

namespace fleetpack {

std::optional<TargetOutput> emit_js_target(const TargetInput& in, Diagnostics& diags) {
  return make_target_output(in, "js", /*with_wasm=*/false, diags);
}

}  // namespace fleetpack
