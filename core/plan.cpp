#include "core/plan.h"

#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/hash.h"
#include "profiles/key_table.h"

namespace fleetpack {

Plan make_plan(const std::vector<const Profile*>& profiles, const PlanInputs& inputs) {
  std::string common = fmt::format("fleetpack={}\nengine={}\n", FLEETPACK_VERSION, inputs.engine_sha256);
  for (const auto& f : inputs.app_files) common += "app=" + f + "\n";
  Plan plan;
  std::unordered_map<std::string, size_t> by_key;
  for (const Profile* p : profiles) {
    FeatureSet lowered = inputs.engine_features.minus(p->features);
    std::string settings = common;
    for (const auto& k : profile_keys()) {
      if (!k.affects_output) continue;
      if (k.name == "wasm.features")
        settings += "wasm.lowered=" + lowered.to_string() + "\n";
      else
        settings += k.name + "=" + k.show(*p) + "\n";
    }
    std::string key = sha256_hex(settings);
    auto [it, inserted] = by_key.emplace(key, plan.variants.size());
    if (inserted) plan.variants.push_back({key, settings, lowered, {}});
    plan.variants[it->second].profiles.push_back(p);
  }
  return plan;
}

std::string render_plan(const Plan& plan, bool json, const DeviceMap* devices) {
  std::unordered_map<std::string, size_t> devices_per_profile;
  if (devices)
    for (const auto& e : devices->entries) ++devices_per_profile[e.profile];
  auto device_count = [&](const Variant& v) {
    size_t n = 0;
    for (const Profile* p : v.profiles) n += devices_per_profile[p->id];
    return n;
  };
  size_t profile_count = 0;
  for (const auto& v : plan.variants) profile_count += v.profiles.size();
  if (json) {
    nlohmann::ordered_json j;
    j["schema"] = "fleetpack.plan/1";
    j["profiles"] = profile_count;
    if (devices) j["devices"] = devices->entries.size();
    j["variants"] = nlohmann::json::array();
    for (const auto& v : plan.variants) {
      nlohmann::ordered_json e;
      e["key"] = v.key;
      e["lowered"] = nlohmann::json::array();
      for (Feature f : v.lowered.list()) e["lowered"].push_back(feature_name(f));
      e["profiles"] = nlohmann::json::array();
      for (const Profile* p : v.profiles) e["profiles"].push_back(p->id);
      if (devices) e["devices"] = device_count(v);
      e["settings"] = v.settings;
      j["variants"].push_back(e);
    }
    return j.dump(2) + "\n";
  }
  std::string out =
      fmt::format("{} profiles{} -> {} variants\n", profile_count,
                  devices ? fmt::format(", {} devices", devices->entries.size()) : "", plan.variants.size());
  for (const auto& v : plan.variants) {
    out += fmt::format("variant {}  lowers: {}{}\n", v.key.substr(0, 12),
                       v.lowered.empty() ? "nothing" : v.lowered.to_string(),
                       devices ? fmt::format("  devices: {}", device_count(v)) : "");
    std::string ids;
    for (const Profile* p : v.profiles) ids += (ids.empty() ? "" : ", ") + p->id;
    out += "  profiles: " + ids + "\n";
  }
  return out;
}

}  // namespace fleetpack
