// engine.fallback.js: the wasm2js fallback as a file of its own (DESIGN.md "Targets and the loader").
// The js and auto bundles of one optimize level ship the same file, byte for byte: nothing in it names a
// profile or a target, so a fleet compresses it once per zstd level, and the loader downloads it only on
// devices that run the engine as JavaScript.
#pragma once
#include <string>

#include "targets/target.h"

namespace fleetpack {

/// The file's logical path in a bundle (the same for classic-script and ES-module profiles: it is a
/// classic script the ES-module loader loads with import()).
inline constexpr const char* kFallbackScriptName = "engine.fallback.js";

/// The file for `fallback`. `global_name` is the loader's global (config `js_global`): the factories are
/// registered under `<global_name>Fallbacks`. Hashes the code once (its id) and the file once.
FallbackScript make_fallback_script(const JsFallback& fallback, const std::string& global_name);

}  // namespace fleetpack
