// `fleetpack diff`: two build reports -> per profile and figure, old, new and delta, as a table, JSON
// (schema fleetpack.diff/1, docs/build-report.md) or a Markdown PR comment.
#include "core/diff.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace fleetpack {

namespace {

constexpr const char* kReportSchema = "fleetpack.build-report/1";
constexpr const char* kReportHint =
    "fleetpack diff compares two files written by `fleetpack build --report-json`";

/// "a string", "an array", "null", ... for messages.
std::string describe(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    default:
      return fmt::format("the number {}", j.dump());
  }
}

/// An optional string field: empty when absent; an error when present with another type.
std::string optional_string(const nlohmann::json& j, const char* key, const std::string& file,
                            Diagnostics& diags) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  diags.error(ErrorKind::InvalidInput, Location::file_only(file),
              fmt::format("\"{}\" is {}, expected a string", key, describe(*it)), kReportHint);
  return {};
}

std::string signed_bytes(int64_t v) { return v == 0 ? std::string("0") : fmt::format("{:+}", v); }

std::string percent_text(const std::optional<double>& p) {
  if (!p) return "-";
  return *p == 0 ? std::string("0.0%") : fmt::format("{:+.1f}%", *p);
}

std::string value_text(const std::optional<uint64_t>& v) { return v ? std::to_string(*v) : std::string("-"); }

std::string report_title(const std::string& path, const std::string& app, const std::string& version) {
  if (app.empty() && version.empty()) return path;
  return fmt::format("{} ({}{}{})", path, app, app.empty() || version.empty() ? "" : " ", version);
}

}  // namespace

std::string human_bytes(uint64_t bytes) {
  if (bytes < 1024) return fmt::format("{} byte{}", bytes, bytes == 1 ? "" : "s");
  if (bytes < 1024 * 1024) return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024 * 1024));
}

std::optional<ReportFigures> parse_build_report(const std::string& file, const std::string& text,
                                                Diagnostics& diags) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // what(): "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..."
    std::string what = e.what();
    size_t colon = what.find(": ");
    std::string detail = colon == std::string::npos ? what : what.substr(colon + 2);
    diags.error(ErrorKind::InvalidInput, Location::binary(file, e.byte), "not JSON: " + detail, kReportHint);
    return std::nullopt;
  }
  const size_t errors_before = diags.error_count();
  auto bad = [&](std::string message) {
    diags.error(ErrorKind::InvalidInput, Location::file_only(file), std::move(message), kReportHint);
  };
  if (!j.is_object()) {
    bad(fmt::format("the report is {}, expected an object with \"schema\": \"{}\"", describe(j),
                    kReportSchema));
    return std::nullopt;
  }
  auto schema = j.find("schema");
  if (schema == j.end()) {
    bad(fmt::format("no \"schema\" field, expected \"{}\"", kReportSchema));
    return std::nullopt;
  }
  if (!schema->is_string() || schema->get<std::string>() != kReportSchema) {
    bad(fmt::format("schema is {}, expected \"{}\"", schema->is_string() ? schema->dump() : describe(*schema),
                    kReportSchema));
    return std::nullopt;
  }
  ReportFigures r;
  r.path = file;
  r.app = optional_string(j, "app", file, diags);
  r.version = optional_string(j, "version", file, diags);
  auto profiles = j.find("profiles");
  if (profiles == j.end()) {
    bad("no \"profiles\" field");
    return std::nullopt;
  }
  if (!profiles->is_array()) {
    bad(fmt::format("\"profiles\" is {}, expected an array", describe(*profiles)));
    return std::nullopt;
  }
  for (size_t i = 0; i < profiles->size(); ++i) {
    const nlohmann::json& p = (*profiles)[i];
    std::string where = fmt::format("profiles[{}]", i);
    if (!p.is_object()) {
      bad(fmt::format("{} is {}, expected an object", where, describe(p)));
      continue;
    }
    auto id = p.find("profile");
    if (id == p.end() || !id->is_string() || id->get<std::string>().empty()) {
      bad(id == p.end() ? fmt::format("{} has no \"profile\" field", where)
                        : fmt::format("{}.profile is {}, expected a profile id", where, describe(*id)));
      continue;
    }
    std::string name = id->get<std::string>();
    if (r.profiles.count(name)) {
      bad(fmt::format("{}: profile '{}' appears twice", where, name));
      continue;
    }
    auto figures = p.find("figures");
    if (figures == p.end()) {
      bad(fmt::format("{} ('{}') has no \"figures\" field", where, name));
      continue;
    }
    if (!figures->is_object()) {
      bad(fmt::format("{}.figures is {}, expected an object", where, describe(*figures)));
      continue;
    }
    auto& out = r.profiles[name];
    r.order.push_back(name);
    for (const auto& [figure, value] : figures->items()) {
      if (value.is_null())
        out[figure] = std::nullopt;
      else if (value.is_number_unsigned())
        out[figure] = value.get<uint64_t>();
      else
        bad(fmt::format("{}.figures.{} is {}, expected a byte count (a non-negative integer) or null", where,
                        figure, describe(value)));
    }
  }
  if (diags.error_count() != errors_before) return std::nullopt;
  return r;
}

SizeDiff diff_reports(const ReportFigures& o, const ReportFigures& n) {
  SizeDiff d;
  d.old_path = o.path;
  d.new_path = n.path;
  d.old_app = o.app;
  d.old_version = o.version;
  d.new_app = n.app;
  d.new_version = n.version;
  for (const auto& id : o.order) {
    auto it = n.profiles.find(id);
    if (it == n.profiles.end()) {
      d.profiles_removed.push_back(id);
      continue;
    }
    const auto& old_figs = o.profiles.at(id);
    const auto& new_figs = it->second;
    std::set<std::string> names;
    for (const auto& [name, v] : old_figs) names.insert(name);
    for (const auto& [name, v] : new_figs) names.insert(name);
    for (const auto& name : names) {
      FigureChange c;
      c.profile = id;
      c.figure = name;
      if (auto f = old_figs.find(name); f != old_figs.end()) c.old_value = f->second;
      if (auto f = new_figs.find(name); f != new_figs.end()) c.new_value = f->second;
      if (c.old_value && c.new_value) {
        c.delta = static_cast<int64_t>(*c.new_value - *c.old_value);  // two's complement: negative deltas
        if (*c.old_value > 0)
          c.percent =
              std::round(static_cast<double>(*c.delta) * 10000.0 / static_cast<double>(*c.old_value)) / 100.0;
        else if (*c.new_value == 0)
          c.percent = 0.0;
      }
      d.changes.push_back(std::move(c));
    }
  }
  for (const auto& id : n.order)
    if (!o.profiles.count(id)) d.profiles_added.push_back(id);
  std::stable_sort(d.changes.begin(), d.changes.end(), [](const FigureChange& a, const FigureChange& b) {
    if (a.delta.has_value() != b.delta.has_value()) return a.delta.has_value();
    if (a.delta && b.delta) {
      uint64_t x = static_cast<uint64_t>(std::llabs(*a.delta)),
               y = static_cast<uint64_t>(std::llabs(*b.delta));
      if (x != y) return x > y;
    }
    if (a.profile != b.profile) return a.profile < b.profile;
    return a.figure < b.figure;
  });
  return d;
}

std::optional<SizeDiff> diff_report_files(const fs::path& old_file, const fs::path& new_file,
                                          Diagnostics& diags) {
  std::optional<ReportFigures> reports[2];
  const fs::path* files[2] = {&old_file, &new_file};
  for (int i = 0; i < 2; ++i)
    if (auto bytes = read_file(*files[i], diags, 256ull << 20))
      reports[i] = parse_build_report(files[i]->string(), std::string(bytes->begin(), bytes->end()), diags);
  if (!reports[0] || !reports[1]) return std::nullopt;
  return diff_reports(*reports[0], *reports[1]);
}

std::string render_diff_text(const SizeDiff& d) {
  std::string out = fmt::format("size diff: {} -> {}\n", report_title(d.old_path, d.old_app, d.old_version),
                                report_title(d.new_path, d.new_app, d.new_version));
  if (d.changes.empty()) {
    out += "no profile is in both reports\n";
  } else {
    out += fmt::format("{:<20} {:<24} {:>12} {:>12} {:>10} {:>9}\n", "profile", "figure", "old", "new",
                       "delta", "percent");
    for (const auto& c : d.changes)
      out += fmt::format("{:<20} {:<24} {:>12} {:>12} {:>10} {:>9}\n", c.profile, c.figure,
                         value_text(c.old_value), value_text(c.new_value),
                         c.delta ? signed_bytes(*c.delta) : "-", percent_text(c.percent));
  }
  for (const auto& p : d.profiles_added) out += fmt::format("profile added: {}\n", p);
  for (const auto& p : d.profiles_removed) out += fmt::format("profile removed: {}\n", p);
  return out;
}

std::string render_diff_json(const SizeDiff& d) {
  auto opt = [](const auto& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  auto side = [](const std::string& path, const std::string& app, const std::string& version) {
    nlohmann::ordered_json s;
    s["path"] = path;
    s["app"] = app.empty() ? nlohmann::json(nullptr) : nlohmann::json(app);
    s["version"] = version.empty() ? nlohmann::json(nullptr) : nlohmann::json(version);
    return s;
  };
  nlohmann::ordered_json j;
  j["schema"] = "fleetpack.diff/1";
  j["old"] = side(d.old_path, d.old_app, d.old_version);
  j["new"] = side(d.new_path, d.new_app, d.new_version);
  j["figures"] = nlohmann::json::array();
  for (const auto& c : d.changes) {
    nlohmann::ordered_json f;
    f["profile"] = c.profile;
    f["figure"] = c.figure;
    f["old"] = opt(c.old_value);
    f["new"] = opt(c.new_value);
    f["delta"] = opt(c.delta);
    f["percent"] = opt(c.percent);
    j["figures"].push_back(f);
  }
  j["profiles_added"] = d.profiles_added;
  j["profiles_removed"] = d.profiles_removed;
  return j.dump(2) + "\n";
}

std::string render_diff_markdown(const SizeDiff& d) {
  std::string out = "### fleetpack size diff\n\n";
  std::vector<const FigureChange*> changed;
  for (const auto& c : d.changes)
    if (c.delta && *c.delta != 0) changed.push_back(&c);
  if (changed.empty() && d.profiles_added.empty() && d.profiles_removed.empty())
    out += "this change does not change any size figure\n";
  constexpr size_t kMaxBullets = 10;
  for (size_t i = 0; i < changed.size() && i < kMaxBullets; ++i) {
    const FigureChange* c = changed[i];
    uint64_t magnitude = static_cast<uint64_t>(std::llabs(*c->delta));
    out += fmt::format("- this change {} {} {} {} ({})\n", *c->delta > 0 ? "adds" : "removes",
                       human_bytes(magnitude), *c->delta > 0 ? "to" : "from", c->profile, c->figure);
  }
  if (changed.size() > kMaxBullets)
    out += fmt::format("- and {} more changed figures (table below)\n", changed.size() - kMaxBullets);
  for (const auto& p : d.profiles_added) out += fmt::format("- profile {} added\n", p);
  for (const auto& p : d.profiles_removed) out += fmt::format("- profile {} removed\n", p);
  if (!changed.empty()) {
    out += "\n| profile | figure | old | new | delta | % |\n| --- | --- | ---: | ---: | ---: | ---: |\n";
    for (const FigureChange* c : changed)
      out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", c->profile, c->figure, value_text(c->old_value),
                         value_text(c->new_value), signed_bytes(*c->delta), percent_text(c->percent));
  }
  return out;
}

}  // namespace fleetpack
