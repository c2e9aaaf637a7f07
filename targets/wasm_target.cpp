// wasm target: the device runs the module natively. Ships engine.wasm, the loader script that instantiates
// it (engine.js or engine.mjs, the entry) and the app's JS files.
#include "targets/engine_script.h"

namespace fleetpack {

std::optional<TargetOutput> emit_wasm_target(const TargetInput& in, Diagnostics& diags) {
  return make_target_output(in, "wasm", /*with_wasm=*/true, diags);
}

}  // namespace fleetpack
