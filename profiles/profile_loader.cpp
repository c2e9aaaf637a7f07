#include "profiles/profile_loader.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/suggest.h"
#include "base/yaml_util.h"
#include "profiles/key_table.h"

namespace fleetpack {

std::string Origin::describe() const {
  if (file.empty()) return "default";
  return format_location(Location::text(file, line, column));
}

const Profile* ProfileCatalog::find(const std::string& id) const {
  auto it = profiles_.find(id);
  return it == profiles_.end() ? nullptr : &it->second;
}

std::vector<std::string> ProfileCatalog::ids() const {
  std::vector<std::string> v;
  for (const auto& [id, p] : profiles_) v.push_back(id);
  return v;
}

namespace {

/// A parsed but unresolved profile: its own settings only, in file order.
struct RawProfile {
  std::string file;
  std::string id;
  std::string extends;
  Location id_loc, extends_loc;
  std::vector<std::pair<const ProfileKey*, YAML::Node>> entries;
  bool builtin = false;
};

/// Candidates for did-you-mean: every dotted key and every section name.
std::vector<std::string> all_key_names() {
  std::vector<std::string> v = profile_key_sections();
  for (const auto& k : profile_keys()) v.push_back(k.name);
  return v;
}

/// Flattens nested maps into dotted keys and checks each against the key table.
void collect_entries(const std::string& file, const YAML::Node& map, const std::string& prefix,
                     RawProfile& raw, Diagnostics& diags) {
  for (const auto& kv : map) {
    std::string name = prefix + kv.first.Scalar();
    if (const ProfileKey* key = find_profile_key(name)) {
      raw.entries.emplace_back(key, kv.second);
      continue;
    }
    auto sections = profile_key_sections();
    if (prefix.empty() && std::find(sections.begin(), sections.end(), name) != sections.end()) {
      if (!kv.second.IsMap()) {
        diags.error(ErrorKind::Usage, yaml_location(file, kv.second),
                    fmt::format("'{}' must be a map of keys", name),
                    fmt::format("e.g. `{}:` followed by indented keys; see `fleetpack profiles keys`", name));
        continue;
      }
      collect_entries(file, kv.second, name + ".", raw, diags);
      continue;
    }
    diags.error(ErrorKind::Usage, yaml_location(file, kv.first),
                fmt::format("unknown key '{}'{}", name, did_you_mean(name, all_key_names())),
                "`fleetpack profiles keys` lists every key");
  }
}

std::optional<RawProfile> parse_raw(const ProfileSource& src, Diagnostics& diags) {
  auto doc = parse_yaml(src.file, src.text, diags);
  if (!doc) return std::nullopt;
  if (!doc->IsMap()) {
    diags.error(ErrorKind::Usage, yaml_location(src.file, *doc), "a profile file must be a YAML map",
                "start with `id: my-profile`");
    return std::nullopt;
  }
  RawProfile raw;
  raw.file = src.file;
  raw.builtin = src.builtin;
  size_t errors_before = diags.error_count();
  collect_entries(src.file, *doc, "", raw, diags);
  for (const auto& [key, node] : raw.entries) {
    if (std::string(key->name) == "id" && node.IsScalar()) {
      raw.id = node.Scalar();
      raw.id_loc = yaml_location(src.file, node);
    }
    if (std::string(key->name) == "extends" && node.IsScalar()) {
      raw.extends = node.Scalar();
      raw.extends_loc = yaml_location(src.file, node);
    }
  }
  if (raw.id.empty()) {
    diags.error(ErrorKind::Usage, Location::text(src.file, 1, 1), "profile has no 'id'",
                "add `id: my-profile`");
    return std::nullopt;
  }
  if (diags.error_count() != errors_before) return std::nullopt;
  return raw;
}

class Resolver {
 public:
  Resolver(const std::map<std::string, RawProfile>& raws, Diagnostics& diags) : raws_(raws), diags_(diags) {}

  void resolve_all(ProfileCatalog& out) {
    for (const auto& [id, raw] : raws_) {
      if (const Profile* p = resolve(id)) out.put(*p);
    }
  }

 private:
  const Profile* resolve(const std::string& id) {
    if (auto it = done_.find(id); it != done_.end()) return it->second ? &*it->second : nullptr;
    const RawProfile& raw = raws_.at(id);
    if (std::find(stack_.begin(), stack_.end(), id) != stack_.end()) {
      std::string chain;
      auto start = std::find(stack_.begin(), stack_.end(), id);
      for (auto it = start; it != stack_.end(); ++it) chain += *it + " -> ";
      chain += id;
      diags_.error(ErrorKind::Usage, raw.extends_loc, fmt::format("'extends' cycle: {}", chain),
                   "a profile cannot extend itself, directly or through its parents");
      return nullptr;
    }
    Profile p;
    if (!raw.extends.empty()) {
      if (!raws_.count(raw.extends)) {
        std::vector<std::string> ids;
        for (const auto& [k, v] : raws_)
          if (k != raw.id) ids.push_back(k);  // suggesting itself would suggest a cycle
        diags_.error(
            ErrorKind::Usage, raw.extends_loc,
            fmt::format("profile '{}' extends unknown profile '{}'{}", raw.id, raw.extends,
                        did_you_mean(raw.extends, ids)),
            fmt::format("known ids include: {}", fmt::join(closest_matches(raw.extends, ids, 8), ", ")));
        done_[id] = std::nullopt;
        return nullptr;
      }
      stack_.push_back(id);
      const Profile* parent = resolve(raw.extends);
      stack_.pop_back();
      if (!parent) {
        done_[id] = std::nullopt;
        return nullptr;
      }
      p = *parent;
      p.description.clear();  // a description describes one profile; it is not inherited
      p.origins.erase("description");
    }
    p.file = raw.file;
    p.extends = raw.extends;
    bool ok = true;
    for (const auto& [key, node] : raw.entries) {
      if (!key->apply(p, node, raw.file, diags_)) ok = false;
      Location l = yaml_location(raw.file, node);
      p.origins[key->name] = Origin{raw.file, l.line, l.column};
    }
    p.id = raw.id;
    if (ok && !p.wasm_supported && p.target != "js") {
      // Checked on the effective values: the two keys may come from different files of the chain.
      const Origin& o = p.origins.count("wasm.supported") ? p.origins["wasm.supported"] : p.origins["target"];
      diags_.error(ErrorKind::Usage, Location::text(o.file.empty() ? raw.file : o.file, o.line, o.column),
                   fmt::format("profile '{}' has wasm.supported: false but target '{}'", p.id, p.target),
                   "a device without WebAssembly needs `target: js` (the JS fallback)");
      ok = false;
    }
    done_[id] = ok ? std::optional<Profile>(std::move(p)) : std::nullopt;
    return ok ? &*done_[id] : nullptr;
  }

  const std::map<std::string, RawProfile>& raws_;
  Diagnostics& diags_;
  std::map<std::string, std::optional<Profile>> done_;
  std::vector<std::string> stack_;
};

}  // namespace

ProfileCatalog load_profile_sources(const std::vector<ProfileSource>& sources, Diagnostics& diags) {
  std::map<std::string, RawProfile> raws;
  for (const auto& src : sources) {
    auto raw = parse_raw(src, diags);
    if (!raw) continue;
    auto it = raws.find(raw->id);
    if (it != raws.end() && !(it->second.builtin && !raw->builtin)) {
      diags.error(ErrorKind::Usage, raw->id_loc,
                  fmt::format("duplicate profile id '{}' (also defined at {})", raw->id,
                              format_location(it->second.id_loc)),
                  "profile ids must be unique; rename one of them");
      continue;
    }
    raws[raw->id] = std::move(*raw);  // a user file overrides a built-in profile of the same id
  }
  ProfileCatalog out;
  Resolver(raws, diags).resolve_all(out);
  return out;
}

ProfileCatalog load_profiles(const std::vector<fs::path>& user_dirs, Diagnostics& diags) {
  std::vector<ProfileSource> sources = builtin_profile_sources();
  for (const auto& dir : user_dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      diags.error(ErrorKind::Usage, Location::file_only(dir.string()), "profile folder does not exist",
                  "check the `profiles:` entry of fleetpack.yaml or the --profiles flag");
      continue;
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      auto ext = entry.path().extension();
      if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      auto bytes = read_file(f, diags, 16 << 20);
      if (!bytes) continue;
      sources.push_back({f.string(), std::string(bytes->begin(), bytes->end()), false});
    }
  }
  return load_profile_sources(sources, diags);
}

}  // namespace fleetpack
