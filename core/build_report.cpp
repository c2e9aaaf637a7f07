// The build result as a terminal table and as JSON (schema documented in docs/build-report.md).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/build.h"

namespace fleetpack {

std::string render_build_table(const BuildResult& r) {
  std::string out =
      fmt::format("{} {} (engine {}, uses: {})\n", r.app, r.version, r.engine, r.engine_features.to_string());
  out += fmt::format("{:<20} {:<5} {:>12} {:>12} {:>12}  {}\n", "profile", "level", "raw bytes", "optimized",
                     "zstd", "status");
  for (const auto& row : r.rows) {
    if (row.ok)
      out += fmt::format("{:<20} {:<5} {:>12} {:>12} {:>12}  ok\n", row.profile, row.optimize_level,
                         row.input_bytes, row.optimized_bytes, row.zstd_bytes);
    else
      out += fmt::format("{:<20} {:<5} {:>12} {:>12} {:>12}  FAILED\n", row.profile, row.optimize_level,
                         row.input_bytes, "-", "-");
  }
  if (r.published)
    out += fmt::format("written to {}\n", r.release_dir.string());
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
  j["published"] = r.published;
  j["release_dir"] = r.published ? nlohmann::json(r.release_dir.string()) : nlohmann::json(nullptr);
  j["profiles"] = nlohmann::json::array();
  for (const auto& row : r.rows) {
    nlohmann::ordered_json p;
    p["profile"] = row.profile;
    p["optimize_level"] = row.optimize_level;
    p["status"] = row.ok ? "ok" : "failed";
    p["input_bytes"] = row.input_bytes;
    p["optimized_bytes"] = row.ok ? nlohmann::json(row.optimized_bytes) : nlohmann::json(nullptr);
    p["zstd_bytes"] = row.ok ? nlohmann::json(row.zstd_bytes) : nlohmann::json(nullptr);
    j["profiles"].push_back(p);
  }
  return j.dump(2) + "\n";
}

}  // namespace fleetpack
