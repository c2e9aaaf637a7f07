#include "core/config.h"

#include <cstdlib>
#include <fcntl.h>
#include <regex>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include "base/semver.h"
#include "base/suggest.h"
#include "base/yaml_util.h"

namespace fleetpack {

namespace {
struct ConfigKey {
  const char* name;
  bool required;
  const char* doc;
};
const ConfigKey kConfigKeys[] = {
    {"app", true, "app name; the release is written to <out>/<app>/<version>/"},
    {"version", false,
     "release version, semver (1.4.0, 1.4.0-rc.1+build.7); default: `git describe --tags --dirty` of this "
     "file's folder (v1.4.0-3-gabc1234 -> 1.4.0+3.gabc1234)"},
    {"engine", true, "the engine module (.wasm), relative to this file"},
    {"js", false, "list of app JS files, relative to this file; they ship at that relative path"},
    {"profiles", false, "folder (or list of folders) of user profiles, added to the built-in catalog"},
    {"select", false, "ids of the profiles to build (default: every profile in the user folders)"},
    {"out", false, "output folder, relative to this file (default: dist)"},
    {"devices", false, "device map: a CSV file of `model,profile` lines, relative to this file"},
    {"js_global", false,
     "name of the global the ES5 engine script defines, holding loadEngine/loadEngineSync (default: "
     "fleetpack)"},
    {"release", false,
     "release metadata and signing: `channel:` NAME (e.g. stable, beta) and `rollout_percent:` 0..100 go "
     "into every manifest; `signing_key:` a minisign secret key (fleetpack keygen) relative to this file, "
     "to sign index and manifests (like build --sign). docs/release.md"},
    {"init", false,
     "start-up memory: `export:` NAME is called after instantiating each shipped module in wabt's "
     "interpreter, with `args:` [i32/i64/f32/f64 literals] (default []); `imports:` maps module.name to a "
     "stub result (default 0) or `trap`; `timeout_ms:` (default 10000). Measures linear_memory_init"},
};

bool is_number(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  if (end && !*end) return true;
  std::strtoll(s.c_str(), &end, 0);
  return end && !*end;
}

/// `init:` {export, args, imports, timeout_ms}.
std::optional<InitSettings> load_init(const std::string& file, const YAML::Node& v, Diagnostics& diags) {
  if (!v.IsMap()) {
    diags.error(ErrorKind::Usage, yaml_location(file, v), "init must be a map",
                "write `init:` with `export: NAME` (and optionally args, imports, timeout_ms) below it");
    return std::nullopt;
  }
  InitSettings init;
  const std::vector<std::string> keys = {"export", "args", "imports", "timeout_ms"};
  auto bad_number = [&](const YAML::Node& n, const std::string& what) {
    diags.error(ErrorKind::Usage, yaml_location(file, n),
                fmt::format("{} '{}' is not a number", what, n.Scalar()),
                "write an i32/i64/f32/f64 literal such as 256, -1, 0x10 or 16.5");
  };
  for (const auto& kv : v) {
    const std::string key = kv.first.Scalar();
    const YAML::Node& n = kv.second;
    if (key == "export") {
      if (auto s = yaml_string(file, n, "init.export", diags)) {
        init.export_name = *s;
        init.where = yaml_location(file, n);
      }
    } else if (key == "args") {
      if (auto l = yaml_string_list(file, n, "init.args", diags)) {
        init.args = *l;
        for (size_t i = 0; i < l->size(); ++i)
          if (!is_number((*l)[i])) bad_number(n[i], "init.args value");
      }
    } else if (key == "imports") {
      if (!n.IsMap()) {
        diags.error(ErrorKind::Usage, yaml_location(file, n), "init.imports must be a map",
                    "write one `module.name: VALUE` (or `trap`) per line");
        continue;
      }
      for (const auto& imp : n) {
        const std::string value = imp.second.IsScalar() ? imp.second.Scalar() : "";
        if (value != "trap" && !is_number(value))
          bad_number(imp.second, "init.imports." + imp.first.Scalar());
        init.imports[imp.first.Scalar()] = value;
      }
    } else if (key == "timeout_ms") {
      char* end = nullptr;
      long long ms = std::strtoll(n.IsScalar() ? n.Scalar().c_str() : "", &end, 10);
      if (!n.IsScalar() || n.Scalar().empty() || *end || ms <= 0)
        diags.error(ErrorKind::Usage, yaml_location(file, n), "init.timeout_ms must be a positive integer",
                    "milliseconds, e.g. 10000");
      else
        init.timeout = std::chrono::milliseconds(ms);
    } else {
      diags.error(ErrorKind::Usage, yaml_location(file, kv.first),
                  fmt::format("unknown key 'init.{}'{}", key, did_you_mean(key, keys)),
                  "init takes export, args, imports and timeout_ms");
    }
  }
  if (init.export_name.empty()) {
    diags.error(ErrorKind::Usage, yaml_location(file, v), "init needs `export: NAME`",
                "name the function to call after instantiation, e.g. `export: engine_init`");
    return std::nullopt;
  }
  return init;
}
/// `release:` {channel, rollout_percent, signing_key}.
void load_release(const std::string& file, const YAML::Node& v, const fs::path& base, BuildConfig& c,
                  Diagnostics& diags) {
  if (!v.IsMap()) {
    diags.error(ErrorKind::Usage, yaml_location(file, v), "release must be a map",
                "write `release:` with channel, rollout_percent and/or signing_key below it");
    return;
  }
  const std::vector<std::string> keys = {"channel", "rollout_percent", "signing_key"};
  for (const auto& kv : v) {
    const std::string key = kv.first.Scalar();
    const YAML::Node& n = kv.second;
    if (key == "channel") {
      if (auto s = yaml_string(file, n, "release.channel", diags)) {
        if (s->empty() || s->size() > 64)
          diags.error(ErrorKind::Usage, yaml_location(file, n), "release.channel must be a short name",
                      "e.g. stable, beta or canary");
        c.channel = *s;
      }
    } else if (key == "rollout_percent") {
      char* end = nullptr;
      long long pct = std::strtoll(n.IsScalar() ? n.Scalar().c_str() : "", &end, 10);
      if (!n.IsScalar() || n.Scalar().empty() || *end || pct < 0 || pct > 100)
        diags.error(ErrorKind::Usage, yaml_location(file, n),
                    "release.rollout_percent must be an integer from 0 to 100",
                    "the share of the fleet that gets this release first, e.g. 10");
      else
        c.rollout_percent = pct;
    } else if (key == "signing_key") {
      if (auto s = yaml_string(file, n, "release.signing_key", diags)) c.signing_key = base / *s;
    } else {
      diags.error(ErrorKind::Usage, yaml_location(file, kv.first),
                  fmt::format("unknown key 'release.{}'{}", key, did_you_mean(key, keys)),
                  "release takes channel, rollout_percent and signing_key");
    }
  }
}
}  // namespace

std::optional<std::string> version_from_git(const fs::path& dir, Diagnostics& diags) {
  // git runs without a shell; its output is one line.
  int out[2];
  std::string text;
  int status = -1;
  if (::pipe(out) == 0) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    const std::string d = dir.empty() ? "." : dir.string();
    const char* argv[] = {"git", "-C", d.c_str(), "describe", "--tags", "--dirty", nullptr};
    pid_t pid = -1;
    if (posix_spawnp(&pid, "git", &fa, nullptr, const_cast<char* const*>(argv), environ) == 0) {
      ::close(out[1]);
      char buf[256];
      ssize_t n;
      while ((n = ::read(out[0], buf, sizeof buf)) > 0 && text.size() < 4096) text.append(buf, n);
      ::waitpid(pid, &status, 0);
    } else {
      ::close(out[1]);
    }
    ::close(out[0]);
    posix_spawn_file_actions_destroy(&fa);
  }
  const Location where = Location::file_only((dir.empty() ? fs::path(".") : dir).string());
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    diags.error(
        ErrorKind::Usage, where,
        "no release version: fleetpack.yaml has no `version:` and `git describe` found no tag",
        "add `version: 1.0.0` to fleetpack.yaml, pass --version X.Y.Z, or tag the commit (git tag v1.0.0)");
    return std::nullopt;
  }
  auto v = semver_from_git_describe(text);
  if (!v) {
    while (!text.empty() && text.back() == '\n') text.pop_back();
    diags.error(ErrorKind::Usage, where,
                fmt::format("`git describe` gave '{}', which is not a semver version", text),
                "tag releases vMAJOR.MINOR.PATCH (git tag v1.0.0), or set `version:` / --version");
  }
  return v;
}

std::optional<BuildConfig> load_build_config(const fs::path& path, Diagnostics& diags) {
  auto bytes = read_file(path, diags, 16 << 20);
  if (!bytes) return std::nullopt;
  const std::string file = path.string();
  auto doc = parse_yaml(file, std::string(bytes->begin(), bytes->end()), diags);
  if (!doc) return std::nullopt;
  if (!doc->IsMap()) {
    diags.error(ErrorKind::Usage, yaml_location(file, *doc), "fleetpack.yaml must be a YAML map",
                "start with `app: NAME`");
    return std::nullopt;
  }
  size_t errors_before = diags.error_count();
  fs::path base = path.parent_path();
  BuildConfig c;
  c.js_root = base;
  c.out = base / "dist";
  std::vector<std::string> names;
  for (const auto& k : kConfigKeys) names.push_back(k.name);
  for (const auto& kv : *doc) {
    const std::string key = kv.first.Scalar();
    const YAML::Node& v = kv.second;
    if (key == "app") {
      if (auto s = yaml_string(file, v, key, diags)) {
        if (s->empty() || s->find('/') != std::string::npos || *s == "." || *s == "..")
          diags.error(ErrorKind::Usage, yaml_location(file, v), fmt::format("bad app name '{}'", *s),
                      "the app name is a folder name: no '/', not empty");
        c.app = *s;
      }
    } else if (key == "version") {
      if (auto s = yaml_string(file, v, key, diags)) {
        if (!is_semver(*s))
          diags.error(ErrorKind::Usage, yaml_location(file, v), fmt::format("version '{}' is not semver", *s),
                      "write MAJOR.MINOR.PATCH, e.g. 1.4.0 or 1.4.0-rc.1+build.7");
        c.version = *s;
      }
    } else if (key == "engine") {
      if (auto s = yaml_string(file, v, key, diags)) c.engine = base / *s;
    } else if (key == "js") {
      if (auto l = yaml_string_list(file, v, key, diags))
        for (const auto& s : *l) c.js.push_back(base / s);
    } else if (key == "profiles") {
      if (v.IsScalar()) {
        c.profile_dirs.push_back(base / v.Scalar());
      } else if (auto l = yaml_string_list(file, v, key, diags)) {
        for (const auto& s : *l) c.profile_dirs.push_back(base / s);
      }
    } else if (key == "select") {
      if (auto l = yaml_string_list(file, v, key, diags)) {
        c.select = *l;
        for (const auto& item : v) c.select_where.push_back(yaml_location(file, item));
      }
    } else if (key == "devices") {
      if (auto s = yaml_string(file, v, key, diags)) c.devices = base / *s;
    } else if (key == "js_global") {
      if (auto s = yaml_string(file, v, key, diags)) {
        static const std::regex kIdentifier("[A-Za-z_$][A-Za-z0-9_$]*");
        if (!std::regex_match(*s, kIdentifier))
          diags.error(ErrorKind::Usage, yaml_location(file, v),
                      fmt::format("js_global '{}' is not a JavaScript identifier", *s),
                      "use letters, digits, '_' or '$', not starting with a digit, e.g. fleetpack");
        c.js_global = *s;
      }
    } else if (key == "release") {
      load_release(file, v, base, c, diags);
    } else if (key == "init") {
      c.init = load_init(file, v, diags);
    } else if (key == "out") {
      if (auto s = yaml_string(file, v, key, diags)) c.out = base / *s;
    } else {
      diags.error(ErrorKind::Usage, yaml_location(file, kv.first),
                  fmt::format("unknown key '{}'{}", key, did_you_mean(key, names)),
                  "`fleetpack build --help` lists the keys of fleetpack.yaml");
    }
  }
  for (const auto& k : kConfigKeys) {
    if (k.required && !(*doc)[k.name])
      diags.error(ErrorKind::Usage, Location::text(file, 1, 1),
                  fmt::format("missing required key '{}'", k.name),
                  fmt::format("add `{}:` ({})", k.name, k.doc));
  }
  if (diags.error_count() != errors_before) return std::nullopt;
  return c;
}

std::string render_config_reference() {
  std::string out;
  for (const auto& k : kConfigKeys)
    out += fmt::format("  {:<9}{} {}\n", k.name, k.required ? "(required)" : "", k.doc);
  return out;
}

}  // namespace fleetpack
