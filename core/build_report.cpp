// The build result as a terminal table and as JSON (schema documented in docs/build-report.md).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/build.h"

namespace fleetpack {

namespace {
/// "sign-ext +12, bulk-memory +310" or "-".
std::string costs_text(const BuildRow& row) {
  std::string out;
  for (const auto& [f, bytes] : row.lowering_costs)
    out += fmt::format("{}{} {:+}", out.empty() ? "" : ", ", feature_name(f), bytes);
  return out.empty() ? "-" : out;
}
}  // namespace

std::string render_build_table(const BuildResult& r) {
  std::string out = fmt::format("{} {} (engine {}, uses: {}; {} profiles in {} variants)\n", r.app, r.version,
                                r.engine, r.engine_features.to_string(), r.rows.size(), r.variant_count);
  out += fmt::format("{:<20} {:<12} {:<5} {:>10} {:>10} {:>9}  {:<7} {}\n", "profile", "variant", "level",
                     "raw bytes", "optimized", "zstd", "status", "lowered (bytes added)");
  for (const auto& row : r.rows) {
    if (row.ok)
      out += fmt::format("{:<20} {:<12} {:<5} {:>10} {:>10} {:>9}  {:<7} {}\n", row.profile, row.variant,
                         row.optimize_level, row.input_bytes, row.optimized_bytes, row.zstd_bytes,
                         row.budgets_ok ? "ok" : "BUDGET", costs_text(row));
    else
      out += fmt::format("{:<20} {:<12} {:<5} {:>10} {:>10} {:>9}  {:<7} {}\n", row.profile, row.variant,
                         row.optimize_level, row.input_bytes, "-", "-", "FAILED", "-");
  }
  if (r.published)
    out += fmt::format("written to {}\n", r.release_dir.string());
  else if (!r.write_requested)
    out += "checked; no release written (fleetpack check)\n";
  else
    out += "nothing written\n";
  return out;
}

std::string render_build_json(const BuildResult& r) {
  nlohmann::ordered_json j;
  j["schema"] = "fleetpack.build-report/1";
  j["app"] = r.app;
  j["version"] = r.version;
  j["engine"] = {{"path", r.engine}, {"features", nlohmann::json::array()}};
  for (Feature f : r.engine_features.list()) j["engine"]["features"].push_back(feature_name(f));
  j["variants"] = r.variant_count;
  j["published"] = r.published;
  j["release_dir"] = r.published ? nlohmann::json(r.release_dir.string()) : nlohmann::json(nullptr);
  j["profiles"] = nlohmann::json::array();
  for (const auto& row : r.rows) {
    nlohmann::ordered_json p;
    p["profile"] = row.profile;
    p["variant"] = row.variant;
    p["optimize_level"] = row.optimize_level;
    p["status"] = !row.ok ? "failed" : row.budgets_ok ? "ok" : "over-budget";
    p["input_bytes"] = row.input_bytes;
    p["optimized_bytes"] = row.ok ? nlohmann::json(row.optimized_bytes) : nlohmann::json(nullptr);
    p["zstd_bytes"] = row.ok ? nlohmann::json(row.zstd_bytes) : nlohmann::json(nullptr);
    p["lowered"] = nlohmann::json::array();
    for (const auto& [f, bytes] : row.lowering_costs)
      p["lowered"].push_back({{"feature", feature_name(f)}, {"bytes_added", bytes}});
    p["figures"] = nlohmann::ordered_json::object();
    for (const auto& [name, value] : row.figures)
      p["figures"][name] = value ? nlohmann::json(*value) : nlohmann::json(nullptr);
    p["budgets"] = nlohmann::json::array();
    for (const auto& b : row.budgets)
      p["budgets"].push_back({{"figure", b.figure},
                              {"limit", b.limit},
                              {"actual", b.actual ? nlohmann::json(*b.actual) : nlohmann::json(nullptr)},
                              {"status", !b.measured ? "not-measured"
                                         : b.passed  ? "ok"
                                                     : "exceeded"}});
    j["profiles"].push_back(p);
  }
  return j.dump(2) + "\n";
}

}  // namespace fleetpack
