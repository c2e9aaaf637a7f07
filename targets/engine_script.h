// engine.js / engine.mjs: the one script a bundle's app loads to get its engine, whatever the target
// (DESIGN.md "Targets and the loader"). Assembled from templates/ (embedded in the binary): the loader,
// and for js/auto the fallback's wrapper and the polyfills the profile's JS level needs; the fallback
// itself ships beside it (targets/fallback_script.h).
#pragma once
#include <map>
#include <string>

#include "targets/target.h"

namespace fleetpack {

/// The logical path of the entry script for a profile: engine.js (classic script) or engine.mjs (ES module).
std::string engine_script_name(const Profile& profile);

/// The script's text. `in.fallback` and `in.fallback_script` are required for js and auto.
std::string render_engine_script(const TargetInput& in, const std::string& target);

/// What every target ships: the entry script (the loader), engine.wasm when `with_wasm`,
/// engine.fallback.js for js and auto, and the app's files; sorted and checked (finish_target_output).
std::optional<TargetOutput> make_target_output(const TargetInput& in, const std::string& target,
                                               bool with_wasm, Diagnostics& diags);

/// Replaces every @NAME@ of `templ` by values[NAME] in one pass, so no value is searched for markers.
std::string fill_template(const std::string& templ, const std::map<std::string, std::string>& values);

/// The text of an embedded template (templates/NAME); aborts on an unknown name (a build bug).
const std::string& template_text(const std::string& name);

}  // namespace fleetpack
