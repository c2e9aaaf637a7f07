// js target: for devices without WebAssembly. Ships one script (the entry): the wasm2js fallback, its
// wrapper, the polyfills the profile's JS level lacks and the loader, plus the app's JS files. No .wasm.
#include "targets/engine_script.h"

namespace fleetpack {

std::optional<TargetOutput> emit_js_target(const TargetInput& in, Diagnostics& diags) {
  TargetOutput out;
  out.entry = engine_script_name(in.profile);
  std::string script = render_engine_script(in, "js");
  out.files.push_back({out.entry, Bytes(script.begin(), script.end())});
  for (const auto& f : in.app_files) out.files.push_back(f);
  if (!finish_target_output(out, in.profile, diags)) return std::nullopt;
  return out;
}

}  // namespace fleetpack
