#include <algorithm>

#include <fmt/format.h>

#include "base/es5_check.h"
#include "targets/target.h"

namespace fleetpack {

const std::vector<TargetInfo>& all_targets() {
  static const std::vector<TargetInfo> targets = {
      {"wasm", "ships the Wasm module, a loader script and the app's JS", emit_wasm_target},
      {"js", "ships the loader, the wasm2js fallback it loads (engine.fallback.js) and the app's JS",
       emit_js_target},
      {"auto", "ships both; the loader runs the Wasm when the VM can, else downloads the fallback",
       emit_auto_target},
  };
  return targets;
}

const TargetInfo* find_target(const std::string& name) {
  for (const auto& t : all_targets())
    if (name == t.name) return &t;
  return nullptr;
}

bool finish_target_output(TargetOutput& out, const Profile& profile, Diagnostics& diags,
                          const FallbackScript* fallback) {
  std::stable_sort(out.files.begin(), out.files.end(),
                   [](const AppFile& a, const AppFile& b) { return a.logical_path < b.logical_path; });
  for (size_t i = 1; i < out.files.size(); ++i) {
    if (out.files[i].logical_path != out.files[i - 1].logical_path) continue;
    diags.error(ErrorKind::Usage, Location::file_only(profile.file),
                fmt::format("profile '{}': two files ship as '{}'", profile.id, out.files[i].logical_path),
                "rename the app file: fleetpack generates engine.wasm, engine.js, engine.mjs and "
                "engine.fallback.js");
    return false;
  }
  // ES5 devices: every script the bundle ships (the app's, and the loader and fallback fleetpack wrote)
  // must compile on a real ES5 engine and use no ES2015 syntax (base/es5_check.h).
  bool ok = true;
  if (profile.js_level == "es5") {
    for (const auto& f : out.files) {
      const std::string& p = f.logical_path;
      if (p.size() < 3 || p.compare(p.size() - 3, 3, ".js") != 0) continue;
      const std::string name =
          !f.source.empty() ? f.source : fmt::format("{} (generated for profile '{}')", p, profile.id);
      if (fallback && p == fallback->file.logical_path && fallback->es5_ok) {  // checked (and reported) once
        ok = *fallback->es5_ok && ok;
        continue;
      }
      ok = check_es5(name, std::string(f.bytes.begin(), f.bytes.end()), diags) && ok;
    }
  }
  return ok;
}

}  // namespace fleetpack
