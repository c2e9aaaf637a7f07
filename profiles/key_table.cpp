#include "profiles/key_table.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/binaryen_adapter.h"
#include "base/byte_size.h"
#include "base/suggest.h"
#include "base/yaml_util.h"
#include "profiles/budget_figures.h"

namespace fleetpack {

namespace {

using Apply = std::function<bool(Profile&, const YAML::Node&, const std::string&, Diagnostics&)>;

void bad_value(const std::string& key, const YAML::Node& n, const std::string& file, Diagnostics& diags,
               const std::string& expected, const std::vector<std::string>& allowed = {}) {
  std::string value =
      n.IsScalar() ? n.Scalar() : std::string("(a ") + (n.IsSequence() ? "list" : "map") + ")";
  diags.error(
      ErrorKind::Usage, yaml_location(file, n),
      fmt::format("bad value '{}' for {}{}", value, key, allowed.empty() ? "" : did_you_mean(value, allowed)),
      expected);
}

// Typed setters, one per key type. Each reports at the node and leaves the field alone on error.
Apply string_key(std::string Profile::*field, std::string key) {
  return [field, key](Profile& p, const YAML::Node& n, const std::string& file, Diagnostics& d) {
    auto v = yaml_string(file, n, key, d);
    if (v) p.*field = *v;
    return v.has_value();
  };
}

Apply enum_key(std::string Profile::*field, std::string key, std::vector<std::string> allowed) {
  return [=](Profile& p, const YAML::Node& n, const std::string& file, Diagnostics& d) {
    if (n.IsScalar() && std::find(allowed.begin(), allowed.end(), n.Scalar()) != allowed.end()) {
      p.*field = n.Scalar();
      return true;
    }
    bad_value(key, n, file, d, fmt::format("allowed: {}", fmt::join(allowed, ", ")), allowed);
    return false;
  };
}

Apply bool_key(bool Profile::*field, std::string key) {
  return [=](Profile& p, const YAML::Node& n, const std::string& file, Diagnostics& d) {
    if (n.IsScalar() && (n.Scalar() == "true" || n.Scalar() == "false")) {
      p.*field = n.Scalar() == "true";
      return true;
    }
    bad_value(key, n, file, d, "write true or false");
    return false;
  };
}

Apply list_key(std::vector<std::string> Profile::*field, std::string key) {
  return [=](Profile& p, const YAML::Node& n, const std::string& file, Diagnostics& d) {
    auto v = yaml_string_list(file, n, key, d);
    if (v) p.*field = *v;
    return v.has_value();
  };
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

bool apply_code_factor(Profile& p, const YAML::Node& n, const std::string& file, Diagnostics& d) {
  char* end = nullptr;
  double v = n.IsScalar() ? std::strtod(n.Scalar().c_str(), &end) : NAN;
  if (n.IsScalar() && end && *end == '\0' && std::isfinite(v) && v > 0 && v <= 100) {
    p.code_factor = v;
    return true;
  }
  bad_value("wasm.code_factor", n, file, d, "a number above 0, at most 100 (e.g. 4 or 1.5)");
  return false;
}

/// An integer key within [min, max].
template <typename T>
Apply integer_key(T Profile::*field, std::string key, long min, long max) {
  return [=](Profile& p, const YAML::Node& n, const std::string& file, Diagnostics& d) {
    char* end = nullptr;
    long v = n.IsScalar() ? std::strtol(n.Scalar().c_str(), &end, 10) : 0;
    if (n.IsScalar() && end && *end == '\0' && v >= min && v <= max) {
      p.*field = static_cast<T>(v);
      return true;
    }
    bad_value(key, n, file, d, fmt::format("an integer from {} to {}", min, max));
    return false;
  };
}

bool apply_level(Profile& p, const YAML::Node& n, const std::string& file, Diagnostics& d) {
  if (n.IsScalar() && parse_optimize_level(n.Scalar())) {
    p.optimize_level = n.Scalar();
    return true;
  }
  std::vector<std::string> levels = {"O0", "O1", "O2", "O3", "O4", "Os", "Oz"};
  bad_value("optimize.level", n, file, d, "allowed: O0, O1, O2, O3, O4, Os, Oz", levels);
  return false;
}

bool apply_min_version(Profile& p, const YAML::Node& n, const std::string& file, Diagnostics& d) {
  // Native-layer versions are dotted numbers (1, 4.2, 10.0.3): the pipeline compares them numerically.
  bool ok = n.IsScalar() && !n.Scalar().empty() && n.Scalar().front() != '.' && n.Scalar().back() != '.' &&
            n.Scalar().find("..") == std::string::npos &&
            std::all_of(n.Scalar().begin(), n.Scalar().end(),
                        [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; });
  if (ok) {
    p.native_min_version = n.Scalar();
    return true;
  }
  bad_value("native.min_version", n, file, d, "a dotted version number, e.g. 4.2 or 10.0.3");
  return false;
}

Apply budget_key(std::string figure) {
  return [figure](Profile& p, const YAML::Node& n, const std::string& file, Diagnostics& d) {
    auto v = n.IsScalar() ? parse_byte_size(n.Scalar()) : std::nullopt;
    if (v) {
      p.budgets[figure] = *v;
      return true;
    }
    bad_value("budgets." + figure, n, file, d, "a size: bytes (750000) or with a unit (150KiB, 7.5MiB, 2MB)");
    return false;
  };
}

std::string list_text(const std::vector<std::string>& v) { return fmt::format("[{}]", fmt::join(v, ", ")); }

std::vector<ProfileKey> make_keys() {
  std::vector<std::string> feature_names;
  for (Feature f : all_features()) feature_names.emplace_back(feature_name(f));
  std::vector<ProfileKey> k = {
      {"id",
       KeyType::String,
       "(required)",
       {},
       "unique profile id; device maps and --profile refer to it",
       false,
       string_key(&Profile::id, "id"),
       [](const Profile& p) { return p.id; }},
      {"extends",
       KeyType::String,
       "(none)",
       {},
       "id of the parent profile whose effective values this one starts from",
       false,
       string_key(&Profile::extends, "extends"),
       [](const Profile& p) { return p.extends.empty() ? std::string("(none)") : p.extends; }},
      {"description",
       KeyType::String,
       "\"\"",
       {},
       "what devices this is, and the source of its facts (not inherited)",
       false,
       string_key(&Profile::description, "description"),
       [](const Profile& p) { return p.description; }},
      {"tags",
       KeyType::StringList,
       "[]",
       {},
       "free-form labels (device class, region, ...) for selecting profiles",
       false,
       list_key(&Profile::tags, "tags"),
       [](const Profile& p) { return list_text(p.tags); }},
      {"wasm.supported",
       KeyType::Bool,
       "true",
       {},
       "whether the device has a WebAssembly VM at all",
       true,
       bool_key(&Profile::wasm_supported, "wasm.supported"),
       [](const Profile& p) { return std::string(p.wasm_supported ? "true" : "false"); }},
      {"wasm.features", KeyType::FeatureList, "[] (MVP)", feature_names,
       "post-MVP features the device's Wasm VM supports; a list replaces the parent's, {add: [], remove: []} "
       "edits it",
       true, apply_features, [](const Profile& p) { return p.features.to_string(); }},
      {"wasm.engine",
       KeyType::Enum,
       "jit",
       {"jit", "interpreter"},
       "how the VM runs Wasm; decides what compiled code costs in memory (see wasm.code_factor)",
       false,
       enum_key(&Profile::wasm_engine, "wasm.engine", {"jit", "interpreter"}),
       [](const Profile& p) { return p.wasm_engine; }},
      {"wasm.code_factor",
       KeyType::Number,
       "4",
       {},
       "compiled-code bytes per code-section byte, for code_memory_estimate; measure it on the device (an "
       "interpreter's is near 1)",
       false,
       apply_code_factor,
       [](const Profile& p) { return fmt::format("{:g}", p.code_factor); }},
      {"js.level",
       KeyType::Enum,
       "es2017",
       {"es5", "es2015", "es2017", "es2020"},
       "the newest ECMAScript edition the device's JS VM runs",
       true,
       enum_key(&Profile::js_level, "js.level", {"es5", "es2015", "es2017", "es2020"}),
       [](const Profile& p) { return p.js_level; }},
      {"js.module",
       KeyType::Enum,
       "script",
       {"script", "esm"},
       "how the loader ships: one classic script defining a global, or an ES module",
       true,
       enum_key(&Profile::js_module, "js.module", {"script", "esm"}),
       [](const Profile& p) { return p.js_module; }},
      {"target",
       KeyType::Enum,
       "wasm",
       {"wasm", "js", "auto"},
       "how the engine is delivered: Wasm only, the JS fallback only, or both with a run-time choice",
       true,
       enum_key(&Profile::target, "target", {"wasm", "js", "auto"}),
       [](const Profile& p) { return p.target; }},
      {"optimize.level",
       KeyType::Enum,
       "Os",
       {"O0", "O1", "O2", "O3", "O4", "Os", "Oz"},
       "Binaryen optimization level, as wasm-opt's -O flags",
       true,
       apply_level,
       [](const Profile& p) { return p.optimize_level; }},
      {"optimize.order",
       KeyType::Enum,
       "optimize-first",
       {"optimize-first", "lower-first"},
       "optimize-first: one Binaryen run per level shared by every profile, then cheap lowerings; "
       "lower-first: "
       "lower, then a Binaryen run of this variant's own (0.05-0.2% smaller, far slower for a fleet)",
       true,
       enum_key(&Profile::optimize_order, "optimize.order", {"optimize-first", "lower-first"}),
       [](const Profile& p) { return p.optimize_order; }},
      {"strip.keep",
       KeyType::StringList,
       "[]",
       {},
       "custom sections that ship; every other one (name, producers, ...) is removed",
       true,
       list_key(&Profile::strip_keep, "strip.keep"),
       [](const Profile& p) { return list_text(p.strip_keep); }},
      {"compression.zstd_level",
       KeyType::Integer,
       "19",
       {"1", "19"},
       "zstd level of the compressed bundle files",
       true,
       integer_key(&Profile::zstd_level, "compression.zstd_level", 1, 19),
       [](const Profile& p) { return std::to_string(p.zstd_level); }},
      {"native.min_version",
       KeyType::String,
       "(none)",
       {},
       "oldest native-layer version that can run this profile's bundle (dotted numbers)",
       false,
       apply_min_version,
       [](const Profile& p) {
         return p.native_min_version.empty() ? std::string("(none)") : p.native_min_version;
       }},
  };
  k.push_back({"wasm.table_entry_bytes",
               KeyType::Integer,
               "8",
               {"1", "64"},
               "bytes the VM spends per table element, for table_bytes (a pointer-sized entry by default)",
               false,
               integer_key(&Profile::table_entry_bytes, "wasm.table_entry_bytes", 1, 64),
               [](const Profile& p) { return std::to_string(p.table_entry_bytes); }});
  k.push_back(
      {"budgets.mode",
       KeyType::Enum,
       "error",
       {"error", "warn"},
       "error: an exceeded budget fails the build (exit 1); warn: it is reported, for budgets a team is "
       "still working towards",
       false,
       enum_key(&Profile::budget_mode, "budgets.mode", {"error", "warn"}),
       [](const Profile& p) { return p.budget_mode; }});
  k.push_back({"budgets.allow_unbounded_memory",
               KeyType::Bool,
               "false",
               {},
               "whether a module without a declared memory maximum may pass the linear_memory_max budget "
               "(by default an absent maximum counts as unbounded and fails it)",
               false,
               bool_key(&Profile::allow_unbounded_memory, "budgets.allow_unbounded_memory"),
               [](const Profile& p) { return std::string(p.allow_unbounded_memory ? "true" : "false"); }});
  for (const auto& fig : budget_figures()) {
    std::string name = fig.name;
    k.push_back({"budgets." + name,
                 KeyType::Size,
                 "(no limit)",
                 {},
                 std::string("limit on ") + fig.definition + "; a size such as 750000, 150KiB or 7.5MiB",
                 false,
                 budget_key(name),
                 [name](const Profile& p) {
                   auto it = p.budgets.find(name);
                   return it == p.budgets.end() ? std::string("(no limit)") : std::to_string(it->second);
                 }});
  }
  return k;
}

}  // namespace

const std::vector<ProfileKey>& profile_keys() {
  static const std::vector<ProfileKey> keys = make_keys();
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
    auto dot = k.name.find('.');
    if (dot == std::string::npos) continue;
    std::string section = k.name.substr(0, dot);
    if (std::find(out.begin(), out.end(), section) == out.end()) out.push_back(section);
  }
  return out;
}

std::string render_profile_key_reference() {
  static const char* const kTypeNames[] = {"string", "true or false", "number",       "integer",
                                           "size",   "one of",        "feature list", "string list"};
  std::string out;
  for (const auto& k : profile_keys()) {
    out += fmt::format("{}\n  type: {}", k.name, kTypeNames[static_cast<int>(k.type)]);
    if (k.type == KeyType::Enum || k.type == KeyType::FeatureList)
      out += fmt::format(" ({})", fmt::join(k.allowed, ", "));
    if (k.type == KeyType::Integer) out += fmt::format(" ({} to {})", k.allowed[0], k.allowed[1]);
    out += fmt::format("\n  default: {}\n  {}\n", k.default_text, k.doc);
    if (k.affects_output) out += "  changes the build's outputs (part of the variant key)\n";
  }
  return out;
}

}  // namespace fleetpack
