// wasm target: the device runs the module natively. Ships engine.wasm beside the app's JS files.
#include "targets/target.h"

namespace fleetpack {

std::optional<TargetOutput> emit_wasm_target(const TargetInput& in, Diagnostics& diags) {
  TargetOutput out;
  out.entry = "engine.wasm";
  out.files.push_back({"engine.wasm", in.engine->bytes});
  for (const auto& f : in.app_files) out.files.push_back(f);
  if (!finish_target_output(out, in.profile, diags)) return std::nullopt;
  return out;
}

}  // namespace fleetpack
