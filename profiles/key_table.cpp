#include "profiles/key_table.h"

#include <algorithm>

#include <fmt/format.h>

#include "base/binaryen_adapter.h"
#include "base/suggest.h"
#include "base/yaml_util.h"

namespace fleetpack {

namespace {

bool apply_string(std::string& field, const char* key, const YAML::Node& n, const std::string& file,
                  Diagnostics& diags) {
  auto v = yaml_string(file, n, key, diags);
  if (!v) return false;
  field = *v;
  return true;
}

std::optional<Feature> feature_at(const YAML::Node& item, const std::string& file, Diagnostics& diags) {
  if (!item.IsScalar()) {
    diags.error(ErrorKind::Usage, yaml_location(file, item), "a feature must be a name");
    return std::nullopt;
  }
  auto f = parse_feature(item.Scalar());
  if (!f) {
    std::vector<std::string> names;
    for (Feature x : all_features()) names.emplace_back(feature_name(x));
    diags.error(ErrorKind::Usage, yaml_location(file, item),
                fmt::format("unknown feature '{}'{}", item.Scalar(), did_you_mean(item.Scalar(), names)),
                "features are: " + feature_name_list());
  }
  return f;
}

/// wasm.features: a list replaces the parent's set; a map {add: [...], remove: [...]} edits it.
bool apply_features(Profile& p, const YAML::Node& n, const std::string& file, Diagnostics& diags) {
  if (n.IsSequence() || n.IsNull()) {
    FeatureSet set;
    bool ok = true;
    for (const auto& item : n) {
      if (auto f = feature_at(item, file, diags))
        set.add(*f);
      else
        ok = false;
    }
    if (ok) p.features = set;
    return ok;
  }
  if (n.IsMap()) {
    bool ok = true;
    for (const auto& kv : n) {
      std::string op = kv.first.Scalar();
      if (op != "add" && op != "remove") {
        diags.error(
            ErrorKind::Usage, yaml_location(file, kv.first),
            fmt::format("unknown operation '{}' in wasm.features{}", op, did_you_mean(op, {"add", "remove"})),
            "write a list to replace the parent's features, or a map with add: and remove: lists");
        ok = false;
        continue;
      }
      if (!kv.second.IsSequence()) {
        diags.error(ErrorKind::Usage, yaml_location(file, kv.second),
                    fmt::format("wasm.features.{} must be a list", op));
        ok = false;
        continue;
      }
      for (const auto& item : kv.second) {
        auto f = feature_at(item, file, diags);
        if (!f)
          ok = false;
        else if (op == "add")
          p.features.add(*f);
        else
          p.features.remove(*f);
      }
    }
    return ok;
  }
  diags.error(ErrorKind::Usage, yaml_location(file, n),
              "'wasm.features' must be a list or a map with add:/remove:",
              "e.g. `features: [sign-ext, bulk-memory]` or `features: {add: [simd]}`");
  return false;
}

bool apply_level(Profile& p, const YAML::Node& n, const std::string& file, Diagnostics& diags) {
  auto v = yaml_string(file, n, "optimize.level", diags);
  if (!v) return false;
  if (!parse_optimize_level(*v)) {
    diags.error(ErrorKind::Usage, yaml_location(file, n),
                fmt::format("bad value '{}' for optimize.level{}", *v,
                            did_you_mean(*v, {"O0", "O1", "O2", "O3", "O4", "Os", "Oz"})),
                "allowed: O0, O1, O2, O3, O4, Os, Oz");
    return false;
  }
  p.optimize_level = *v;
  return true;
}

bool apply_keep(Profile& p, const YAML::Node& n, const std::string& file, Diagnostics& diags) {
  auto v = yaml_string_list(file, n, "strip.keep", diags);
  if (!v) return false;
  p.strip_keep = *v;
  return true;
}

std::vector<std::string> feature_names() {
  std::vector<std::string> v;
  for (Feature f : all_features()) v.emplace_back(feature_name(f));
  return v;
}

}  // namespace

const std::vector<ProfileKey>& profile_keys() {
  static const std::vector<ProfileKey> keys = {
      {"id",
       KeyType::String,
       "(required)",
       {},
       "unique profile id; device maps and --profile refer to it",
       [](Profile& p, const YAML::Node& n, const std::string& f, Diagnostics& d) {
         return apply_string(p.id, "id", n, f, d);
       }},
      {"extends",
       KeyType::String,
       "(none)",
       {},
       "id of the parent profile whose values this one starts from",
       [](Profile& p, const YAML::Node& n, const std::string& f, Diagnostics& d) {
         return apply_string(p.extends, "extends", n, f, d);
       }},
      {"description",
       KeyType::String,
       "\"\"",
       {},
       "what devices this profile describes, and the source of its facts",
       [](Profile& p, const YAML::Node& n, const std::string& f, Diagnostics& d) {
         return apply_string(p.description, "description", n, f, d);
       }},
      {"wasm.features", KeyType::FeatureList, "[] (MVP)", feature_names(),
       "post-MVP features the device's Wasm VM supports; a list replaces the parent's, {add: [], remove: []} "
       "edits it",
       apply_features},
      {"optimize.level",
       KeyType::Enum,
       "Os",
       {"O0", "O1", "O2", "O3", "O4", "Os", "Oz"},
       "Binaryen optimization level, as wasm-opt's -O flags",
       apply_level},
      {"strip.keep",
       KeyType::StringList,
       "[]",
       {},
       "custom sections that ship to the device; every other custom section (name, producers, ...) is "
       "removed",
       apply_keep},
  };
  return keys;
}

const ProfileKey* find_profile_key(const std::string& dotted) {
  for (const auto& k : profile_keys())
    if (dotted == k.name) return &k;
  return nullptr;
}

std::vector<std::string> profile_key_sections() {
  std::vector<std::string> out;
  for (const auto& k : profile_keys()) {
    std::string name = k.name;
    auto dot = name.find('.');
    if (dot == std::string::npos) continue;
    std::string section = name.substr(0, dot);
    if (std::find(out.begin(), out.end(), section) == out.end()) out.push_back(section);
  }
  return out;
}

std::string render_profile_key_reference() {
  static const char* const kTypeNames[] = {"string", "feature list", "one of", "string list"};
  std::string out;
  for (const auto& k : profile_keys()) {
    out += fmt::format("{}\n  type: {}", k.name, kTypeNames[static_cast<int>(k.type)]);
    if (k.type == KeyType::Enum || k.type == KeyType::FeatureList) {
      std::string allowed;
      for (const auto& a : k.allowed) allowed += (allowed.empty() ? "" : ", ") + a;
      out += fmt::format(" ({})", allowed);
    }
    out += fmt::format("\n  default: {}\n  {}\n", k.default_text, k.doc);
  }
  return out;
}

}  // namespace fleetpack
