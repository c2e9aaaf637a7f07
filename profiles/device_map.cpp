#include "profiles/device_map.h"

#include <fmt/format.h>

#include "base/suggest.h"

namespace fleetpack {

const DeviceEntry* DeviceMap::find(const std::string& model) const {
  auto it = by_model.find(model);
  return it == by_model.end() ? nullptr : &entries[it->second];
}

namespace {
std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}
}  // namespace

DeviceMap parse_device_map(const std::string& file, const std::string& text, const ProfileCatalog& catalog,
                           Diagnostics& diags) {
  DeviceMap map;
  map.file = file;
  std::vector<std::string> ids = catalog.ids();
  size_t pos = 0;
  int line_no = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    if (line_no == 1 && t == "model,profile") continue;
    size_t comma = line.find(',');
    if (comma == std::string::npos || line.find(',', comma + 1) != std::string::npos) {
      diags.error(ErrorKind::Usage, Location::text(file, line_no, 1), "expected two fields `model,profile`",
                  "one device model per line, e.g. `LG-55UK6300,chrome75`");
      continue;
    }
    DeviceEntry e{trim(line.substr(0, comma)), trim(line.substr(comma + 1)), line_no};
    int profile_col = static_cast<int>(line.find_first_not_of(" \t", comma + 1)) + 1;
    if (e.model.empty() || e.profile.empty()) {
      diags.error(ErrorKind::Usage, Location::text(file, line_no, e.model.empty() ? 1 : profile_col),
                  e.model.empty() ? "empty device model" : "empty profile id");
      continue;
    }
    if (!catalog.find(e.profile)) {
      diags.error(ErrorKind::Usage, Location::text(file, line_no, profile_col),
                  fmt::format("device '{}' maps to unknown profile '{}'{}", e.model, e.profile,
                              did_you_mean(e.profile, ids)),
                  "`fleetpack profiles list` shows the known ids");
      continue;
    }
    auto [it, inserted] = map.by_model.emplace(e.model, map.entries.size());
    if (!inserted) {
      diags.error(ErrorKind::Usage, Location::text(file, line_no, 1),
                  fmt::format("device '{}' is listed twice (first at line {})", e.model,
                              map.entries[it->second].line),
                  "keep one line per model");
      continue;
    }
    map.entries.push_back(std::move(e));
  }
  return map;
}

DeviceMap load_device_map(const fs::path& path, const ProfileCatalog& catalog, Diagnostics& diags) {
  auto bytes = read_file(path, diags, 256 << 20);
  if (!bytes) return {};
  return parse_device_map(path.string(), std::string(bytes->begin(), bytes->end()), catalog, diags);
}

}  // namespace fleetpack
