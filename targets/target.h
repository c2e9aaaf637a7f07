// A delivery target: how a variant delivers the engine (DESIGN.md "Targets"). One target per file, one
// table in targets/registry.cpp.
#pragma once
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/file_io.h"
#include "profiles/profile.h"

namespace fleetpack {

/// An app file as it ships: its path inside the bundle and its bytes.
struct AppFile {
  std::string logical_path;  ///< relative, '/'-separated, never escaping the bundle
  Bytes bytes;
};

struct TargetInput {
  const Profile& profile;
  const Bytes& engine;  ///< the module as it ships (optimized, lowered, stripped)
  const std::vector<AppFile>& app_files;
};

struct TargetInfo {
  const char* name;
  const char* description;
  /// Writes the variant's files into `dir` (a staging directory); returns false after reporting errors.
  bool (*emit)(const TargetInput& in, const fs::path& dir, Diagnostics& diags);
};

const std::vector<TargetInfo>& all_targets();
const TargetInfo* find_target(const std::string& name);

bool emit_wasm_target(const TargetInput& in, const fs::path& dir, Diagnostics& diags);

}  // namespace fleetpack
