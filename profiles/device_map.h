// The device map: device model id -> profile id, for thousands of models. A CSV file with the columns
// `model,profile` (a header line of exactly that is allowed; `#` starts a comment line).
#pragma once
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/diagnostic.h"
#include "base/file_io.h"
#include "profiles/profile_loader.h"

namespace fleetpack {

struct DeviceEntry {
  std::string model;
  std::string profile;
  int line = 0;  ///< 1-based line in the file
};

struct DeviceMap {
  std::string file;
  std::vector<DeviceEntry> entries;                  ///< in file order
  std::unordered_map<std::string, size_t> by_model;  ///< model -> index in entries

  const DeviceEntry* find(const std::string& model) const;
};

/// Parses `text` (named `file` in diagnostics) and checks every profile id against `catalog`. Errors
/// (Usage, with line:col): a malformed line, an empty model or profile, an unknown profile (did you mean),
/// a model listed twice (with the line of its first entry). All errors of the file are reported.
DeviceMap parse_device_map(const std::string& file, const std::string& text, const ProfileCatalog& catalog,
                           Diagnostics& diags);
DeviceMap load_device_map(const fs::path& path, const ProfileCatalog& catalog, Diagnostics& diags);

}  // namespace fleetpack
