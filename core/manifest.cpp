#include "core/manifest.h"

#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace fleetpack {

using nlohmann::json;

namespace {

json opt(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

json ref_json(const IndexRef& r) { return {{"path", r.path}, {"sha256", r.sha256}, {"size", r.size}}; }

/// Reads one JSON document against the shape the renderer writes, collecting every problem.
class Reader {
 public:
  explicit Reader(std::vector<std::string>& problems) : problems_(problems) {}

  /// `j` at `where` is an object with exactly `keys` (all required).
  bool object(const json& j, const std::string& where, const std::set<std::string>& keys) {
    if (!j.is_object()) return fail(where, "expected an object");
    bool ok = true;
    for (const auto& k : keys)
      if (!j.contains(k)) ok = fail(where, fmt::format("missing required key '{}'", k));
    for (const auto& [k, v] : j.items())
      if (!keys.count(k)) ok = fail(where + "/" + k, "unknown key");
    return ok;
  }
  std::string str(const json& j, const std::string& key, const std::string& where) {
    const json& v = j.at(key);
    if (!v.is_string()) return fail(where + "/" + key, "expected a string"), std::string();
    return v.get<std::string>();
  }
  std::optional<std::string> opt_str(const json& j, const std::string& key, const std::string& where) {
    const json& v = j.at(key);
    if (v.is_null()) return std::nullopt;
    if (!v.is_string()) return fail(where + "/" + key, "expected a string or null"), std::nullopt;
    return v.get<std::string>();
  }
  uint64_t uint(const json& j, const std::string& key, const std::string& where) {
    const json& v = j.at(key);
    if (!v.is_number_unsigned()) return fail(where + "/" + key, "expected a non-negative integer"), 0;
    return v.get<uint64_t>();
  }
  std::string sha(const json& j, const std::string& key, const std::string& where) {
    std::string s = str(j, key, where);
    if (!is_sha256_hex(s)) fail(where + "/" + key, "expected 64 lower-case hex digits (sha256)");
    return s;
  }
  void constant(const json& j, const std::string& key, const std::string& value, const std::string& where) {
    if (str(j, key, where) != value) fail(where + "/" + key, fmt::format("expected \"{}\"", value));
  }
  IndexRef ref(const json& j, const std::string& where) {
    IndexRef r;
    if (!object(j, where, {"path", "sha256", "size"})) return r;
    r.path = str(j, "path", where);
    r.sha256 = sha(j, "sha256", where);
    r.size = uint(j, "size", where);
    return r;
  }
  bool fail(const std::string& where, const std::string& what) {
    problems_.push_back(fmt::format("{}: {}", where.empty() ? "/" : where, what));
    return false;
  }
  size_t count() const { return problems_.size(); }

 private:
  std::vector<std::string>& problems_;
};

std::optional<json> parse_json(const std::string& text, std::vector<std::string>& problems) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    problems.push_back(fmt::format("invalid JSON at byte {}: {}", e.byte, e.what()));
    return std::nullopt;
  }
}

}  // namespace

bool is_sha256_hex(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

bool is_safe_file_name(const std::string& s) {
  if (s.empty() || s == "." || s == ".." || s.size() > 200) return false;
  for (char c : s)
    if (c == '/' || c == '\\' || c == '\0' || static_cast<unsigned char>(c) < 0x20) return false;
  return true;
}

bool is_safe_relative_path(const std::string& p) {
  if (p.empty() || p.front() == '/') return false;
  size_t start = 0;
  for (;;) {
    size_t slash = p.find('/', start);
    if (!is_safe_file_name(p.substr(start, slash == std::string::npos ? std::string::npos : slash - start)))
      return false;
    if (slash == std::string::npos) return true;
    start = slash + 1;
  }
}

std::string render_manifest(const Manifest& m) {
  json j;  // std::map keys: sorted
  j["schema"] = kManifestSchema;
  j["app"] = m.app;
  j["version"] = m.version;
  j["profile"] = m.profile;
  j["variant"] = m.variant;
  j["target"] = m.target;
  j["entry"] = m.entry;
  j["native_min_version"] = opt(m.native_min_version);
  j["channel"] = opt(m.channel);
  j["rollout_percent"] = m.rollout_percent ? json(*m.rollout_percent) : json(nullptr);
  j["built_at"] = opt(m.built_at);
  j["files"] = json::array();
  for (const auto& f : m.files)
    j["files"].push_back({{"path", f.path},
                          {"sha256", f.sha256},
                          {"size", f.size},
                          {"stored_size", f.stored_size},
                          {"encoding", f.encoding}});
  j["deltas"] = json::array();
  for (const auto& d : m.deltas)
    j["deltas"].push_back({{"path", d.path},
                           {"from_version", d.from_version},
                           {"from_sha256", d.from_sha256},
                           {"sha256", d.sha256},
                           {"patch", d.patch},
                           {"patch_sha256", d.patch_sha256},
                           {"patch_size", d.patch_size}});
  return j.dump(2) + "\n";
}

std::string render_index(const ReleaseIndex& x) {
  json j;
  j["schema"] = kIndexSchema;
  j["app"] = x.app;
  j["version"] = x.version;
  j["built_at"] = opt(x.built_at);
  j["profiles"] = json::object();
  for (const auto& [id, p] : x.profiles)
    j["profiles"][id] = {{"manifest", ref_json(p.manifest)}, {"variant", p.variant}};
  j["devices"] = json::object();
  for (const auto& [model, profile] : x.devices) j["devices"][model] = profile;
  j["symbols"] = json::object();
  for (const auto& [sha, r] : x.symbols) j["symbols"][sha] = ref_json(r);
  j["report"] = x.report ? ref_json(*x.report) : json(nullptr);
  return j.dump(2) + "\n";
}

std::optional<Manifest> parse_manifest(const std::string& text, std::vector<std::string>& problems) {
  auto j = parse_json(text, problems);
  if (!j) return std::nullopt;
  Reader r(problems);
  size_t before = r.count();
  if (!r.object(*j, "",
                {"schema", "app", "version", "profile", "variant", "target", "entry", "native_min_version",
                 "channel", "rollout_percent", "built_at", "files", "deltas"}))
    return std::nullopt;
  Manifest m;
  r.constant(*j, "schema", kManifestSchema, "");
  m.app = r.str(*j, "app", "");
  m.version = r.str(*j, "version", "");
  m.profile = r.str(*j, "profile", "");
  m.variant = r.str(*j, "variant", "");
  m.target = r.str(*j, "target", "");
  m.entry = r.str(*j, "entry", "");
  m.native_min_version = r.opt_str(*j, "native_min_version", "");
  m.channel = r.opt_str(*j, "channel", "");
  m.built_at = r.opt_str(*j, "built_at", "");
  if (!(*j)["rollout_percent"].is_null()) {
    const json& v = (*j)["rollout_percent"];
    if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 100)
      r.fail("/rollout_percent", "expected an integer from 0 to 100, or null");
    else
      m.rollout_percent = v.get<int64_t>();
  }
  if (!(*j)["files"].is_array()) {
    r.fail("/files", "expected an array");
  } else {
    for (size_t i = 0; i < (*j)["files"].size(); ++i) {
      const json& f = (*j)["files"][i];
      std::string where = fmt::format("/files/{}", i);
      if (!r.object(f, where, {"path", "sha256", "size", "stored_size", "encoding"})) continue;
      ManifestFile mf{r.str(f, "path", where), r.sha(f, "sha256", where), r.uint(f, "size", where),
                      r.uint(f, "stored_size", where), r.str(f, "encoding", where)};
      if (mf.encoding != "zstd" && mf.encoding != "identity")
        r.fail(where + "/encoding", "expected \"zstd\" or \"identity\"");
      m.files.push_back(mf);
    }
  }
  if (!(*j)["deltas"].is_array()) {
    r.fail("/deltas", "expected an array");
  } else {
    for (size_t i = 0; i < (*j)["deltas"].size(); ++i) {
      const json& d = (*j)["deltas"][i];
      std::string where = fmt::format("/deltas/{}", i);
      if (!r.object(d, where,
                    {"path", "from_version", "from_sha256", "sha256", "patch", "patch_sha256", "patch_size"}))
        continue;
      m.deltas.push_back({r.str(d, "path", where), r.str(d, "from_version", where),
                          r.sha(d, "from_sha256", where), r.sha(d, "sha256", where), r.str(d, "patch", where),
                          r.sha(d, "patch_sha256", where), r.uint(d, "patch_size", where)});
    }
  }
  if (r.count() != before) return std::nullopt;
  if (render_manifest(m) != text)
    r.fail("", "not in fleetpack's canonical form (sorted keys, 2-space indent): edited after the build?");
  return m;
}

std::optional<ReleaseIndex> parse_index(const std::string& text, std::vector<std::string>& problems) {
  auto j = parse_json(text, problems);
  if (!j) return std::nullopt;
  Reader r(problems);
  size_t before = r.count();
  if (!r.object(*j, "", {"schema", "app", "version", "built_at", "profiles", "devices", "symbols", "report"}))
    return std::nullopt;
  ReleaseIndex x;
  r.constant(*j, "schema", kIndexSchema, "");
  x.app = r.str(*j, "app", "");
  x.version = r.str(*j, "version", "");
  x.built_at = r.opt_str(*j, "built_at", "");
  for (const char* key : {"profiles", "devices", "symbols"})
    if (!(*j)[key].is_object()) r.fail(std::string("/") + key, "expected an object");
  if (r.count() != before) return std::nullopt;
  for (const auto& [id, p] : (*j)["profiles"].items()) {
    std::string where = "/profiles/" + id;
    if (!r.object(p, where, {"manifest", "variant"})) continue;
    x.profiles[id] = {r.ref(p["manifest"], where + "/manifest"), r.str(p, "variant", where)};
  }
  for (const auto& [model, profile] : (*j)["devices"].items()) {
    if (!profile.is_string())
      r.fail("/devices/" + model, "expected a profile id (string)");
    else
      x.devices[model] = profile.get<std::string>();
  }
  for (const auto& [sha, ref] : (*j)["symbols"].items()) x.symbols[sha] = r.ref(ref, "/symbols/" + sha);
  if (!(*j)["report"].is_null()) x.report = r.ref((*j)["report"], "/report");
  if (r.count() != before) return std::nullopt;
  if (render_index(x) != text)
    r.fail("", "not in fleetpack's canonical form (sorted keys, 2-space indent): edited after the build?");
  return x;
}

}  // namespace fleetpack
