// `fleetpack diff OLD.json NEW.json`: per profile and figure, how two builds' reports
// (`--report-json`, schema fleetpack.build-report/1) differ. Schema fleetpack.diff/1, see
// docs/build-report.md "fleetpack diff".
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/file_io.h"

namespace fleetpack {

/// The part of a build report the diff reads: each profile's figures, in the report's order.
struct ReportFigures {
  std::string path;                ///< the file, for the output
  std::string app, version;        ///< empty when absent
  std::vector<std::string> order;  ///< profile ids in report order
  std::map<std::string, std::map<std::string, std::optional<uint64_t>>> profiles;  ///< null: unmeasured
};

/// One figure of one profile present in both reports.
struct FigureChange {
  std::string profile, figure;
  std::optional<uint64_t> old_value, new_value;  ///< nullopt: null or absent in that report
  std::optional<int64_t> delta;                  ///< new - old, when both are known
  std::optional<double> percent;                 ///< delta / old * 100 (2 decimals), when old > 0
};

struct SizeDiff {
  std::string old_path, new_path;
  std::string old_app, old_version, new_app, new_version;
  /// Sorted by |delta| descending (unknown deltas last), then profile, then figure.
  std::vector<FigureChange> changes;
  std::vector<std::string> profiles_added;    ///< only in the new report, in its order
  std::vector<std::string> profiles_removed;  ///< only in the old report, in its order
};

/// Parses one report's text. Errors (not JSON: at the byte offset; wrong schema; wrong types or missing
/// fields, named by their JSON path) go to `diags` as invalid input under `file`.
std::optional<ReportFigures> parse_build_report(const std::string& file, const std::string& text,
                                                Diagnostics& diags);
/// Reads and parses both files (reporting the errors of both) and compares them.
std::optional<SizeDiff> diff_report_files(const fs::path& old_file, const fs::path& new_file,
                                          Diagnostics& diags);
SizeDiff diff_reports(const ReportFigures& old_report, const ReportFigures& new_report);

std::string render_diff_text(const SizeDiff& diff);
std::string render_diff_json(const SizeDiff& diff);
/// A PR-comment summary: "this change adds 12.3 KiB to tv-2019 (wasm_zstd_bytes)" and a table.
std::string render_diff_markdown(const SizeDiff& diff);
/// "812 bytes", "12.3 KiB", "1.5 MiB" (of an absolute value).
std::string human_bytes(uint64_t bytes);

}  // namespace fleetpack
