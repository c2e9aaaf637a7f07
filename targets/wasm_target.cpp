// wasm target: the device runs the module natively. Ships engine.wasm, the loader script that instantiates
// it (engine.js or engine.mjs, the entry) and the app's JS files.
#include "targets/engine_script.h"

namespace fleetpack {

std::optional<TargetOutput> emit_wasm_target(const TargetInput& in, Diagnostics& diags) {
  TargetOutput out;
  out.entry = engine_script_name(in.profile);
  out.files.push_back({"engine.wasm", in.engine->bytes});
  std::string script = render_engine_script(in, "wasm");
  out.files.push_back({out.entry, Bytes(script.begin(), script.end())});
  for (const auto& f : in.app_files) out.files.push_back(f);
  if (!finish_target_output(out, in.profile, diags)) return std::nullopt;
  return out;
}

}  // namespace fleetpack
