// A delivery target: how a variant delivers the engine (DESIGN.md "Targets"). One target per file, one
// table in targets/registry.cpp. A target only decides which files a bundle holds; the release writer
// (core/) stores, compresses, hashes and lists them.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/file_io.h"
#include "base/hash.h"
#include "base/js_fallback.h"
#include "base/wasm_module.h"
#include "profiles/profile.h"

namespace fleetpack {

/// A file as it ships: its path inside the bundle and its bytes.
struct AppFile {
  std::string logical_path;  ///< relative, '/'-separated, never escaping the bundle
  Bytes bytes;
  std::string source;  ///< the file it was read from, for diagnostics ("" for generated files)
  /// SHA-256 (hex) of `bytes` once known ("" until then). The build sets it on every file a target emits:
  /// a fleet's bundles share a few large files (the engine, a 10 MB fallback), and hashing them again
  /// for each profile's budgets and manifest cost most of a no-change rebuild.
  std::string sha256;
};

/// The file's SHA-256 (hex): the one it carries, else computed.
inline std::string sha256_of(const AppFile& f) {
  return f.sha256.empty() ? sha256_hex(f.bytes.data(), f.bytes.size()) : f.sha256;
}

/// The JS fallback as its own bundle file (engine.fallback.js), made once per fallback and shipped
/// unchanged by every js and auto variant that uses it: one file to compress per zstd level, and one that
/// devices running the Wasm never download (targets/fallback_script.h).
struct FallbackScript {
  std::string id;        ///< the entry script finds the fallback's factory under this key
  std::string registry;  ///< the global object property holding the factories
  AppFile file;          ///< sha256 set
  /// Whether it passed the ES5 check, when the build checked it once for every es5 bundle shipping it
  /// (core/build_cache.h: check_es5_cached): the targets then do not compile 10 MB in Duktape again.
  std::optional<bool> es5_ok;
};

struct TargetInput {
  const Profile& profile;
  const WasmModule* engine;    ///< the module as it ships (optimized, lowered, stripped); always set
  const JsFallback* fallback;  ///< the wasm2js fallback's interface for js/auto targets; null for wasm
  const std::vector<AppFile>& app_files;
  FeatureSet
      engine_features;  ///< the post-MVP features the shipped module uses (the auto loader probes them)
  std::string global_name = "fleetpack";            ///< the global an ES5 script defines (config `js_global`)
  const FallbackScript* fallback_script = nullptr;  ///< the file made from `fallback`; set with it
};

/// What one variant ships: its files and the one the native layer loads first.
struct TargetOutput {
  std::vector<AppFile> files;  ///< sorted by logical path, each path once
  std::string entry;           ///< logical path of the entry file (the loader, or engine.wasm)
};

struct TargetInfo {
  const char* name;
  const char* description;
  /// Produces the variant's files; returns nullopt after reporting errors.
  std::optional<TargetOutput> (*emit)(const TargetInput& in, Diagnostics& diags);
};

const std::vector<TargetInfo>& all_targets();
const TargetInfo* find_target(const std::string& name);

std::optional<TargetOutput> emit_wasm_target(const TargetInput& in, Diagnostics& diags);
std::optional<TargetOutput> emit_js_target(const TargetInput& in, Diagnostics& diags);
std::optional<TargetOutput> emit_auto_target(const TargetInput& in, Diagnostics& diags);

/// Sorts files by logical path and reports a path given twice (an app file named like a generated one);
/// for es5 profiles, checks every .js file is ES5 (base/es5_check.h: Duktape plus a strict scanner).
/// `fallback`: the bundle's fallback file; when its `es5_ok` is set, that result stands for its ES5 check.
bool finish_target_output(TargetOutput& out, const Profile& profile, Diagnostics& diags,
                          const FallbackScript* fallback = nullptr);

}  // namespace fleetpack
