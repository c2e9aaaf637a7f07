#include "core/profile_report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/config.h"
#include "profiles/key_table.h"

namespace fleetpack {

ProfileCatalog load_catalog(const std::optional<fs::path>& config, const std::vector<fs::path>& dirs,
                            Diagnostics& diags) {
  std::vector<fs::path> all;
  if (config) {
    auto c = load_build_config(*config, diags);
    if (!c) return {};
    all = c->profile_dirs;
  }
  all.insert(all.end(), dirs.begin(), dirs.end());
  return load_profiles(all, diags);
}

std::string render_profile_list(const ProfileCatalog& catalog, bool json) {
  if (json) {
    nlohmann::ordered_json j;
    j["schema"] = "fleetpack.profiles/1";
    j["profiles"] = nlohmann::json::array();
    for (const auto& [id, p] : catalog.all()) {
      nlohmann::ordered_json e;
      e["id"] = id;
      e["extends"] = p.extends.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.extends);
      e["description"] = p.description;
      e["file"] = p.file;
      e["features"] = nlohmann::json::array();
      for (Feature f : p.features.list()) e["features"].push_back(feature_name(f));
      e["optimize_level"] = p.optimize_level;
      j["profiles"].push_back(e);
    }
    return j.dump(2) + "\n";
  }
  std::string out = fmt::format("{:<20} {:<20} {}\n", "id", "extends", "description");
  for (const auto& [id, p] : catalog.all())
    out += fmt::format("{:<20} {:<20} {}\n", id, p.extends.empty() ? "-" : p.extends, p.description);
  return out;
}

std::string render_profile_show(const Profile& p, bool origins) {
  std::string out;
  for (const auto& k : profile_keys()) {
    std::string line = fmt::format("{:<32} {}", k.name, k.show(p));
    if (origins) {
      auto it = p.origins.find(k.name);
      line = fmt::format("{:<72} # {}", line, it == p.origins.end() ? "default" : it->second.describe());
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace fleetpack
