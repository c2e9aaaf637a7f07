// auto target: ships engine.wasm and a script (the entry) holding both the loader and the JS fallback. The
// loader runs the Wasm when the device's VM has WebAssembly and every feature the module uses (probed with
// tiny modules), else the fallback, already loaded: nothing is fetched twice. It says which and why.
#include "targets/engine_script.h"

namespace fleetpack {

std::optional<TargetOutput> emit_auto_target(const TargetInput& in, Diagnostics& diags) {
  TargetOutput out;
  out.entry = engine_script_name(in.profile);
  out.files.push_back({"engine.wasm", in.engine->bytes});
  std::string script = render_engine_script(in, "auto");
  out.files.push_back({out.entry, Bytes(script.begin(), script.end())});
  for (const auto& f : in.app_files) out.files.push_back(f);
  if (!finish_target_output(out, in.profile, diags)) return std::nullopt;
  return out;
}

}  // namespace fleetpack
