// The build result as a terminal table and as JSON (schema documented in docs/build-report.md).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/byte_size.h"
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

/// Text for XML content and attribute values: the five entities, line breaks as character references
/// (kept in attributes), and the control characters XML 1.0 cannot carry replaced by U+FFFD.
std::string xml_escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\r':
        out += "&#13;";
        break;
      case '\t':
        out += "&#9;";
        break;
      default:
        if (c < 0x20 || c == 0x7f)
          out += "\xEF\xBF\xBD";
        else
          out += ch;
    }
  }
  return out;
}

/// "1.2 KiB (1234 B)" or "unbounded".
std::string size_or_unbounded(const std::optional<uint64_t>& v) {
  return v ? format_byte_size(*v) : std::string("unbounded");
}

/// "figure wasm_zstd_bytes: limit 1.0 KiB (1024 B), actual ..., excess ...".
std::string budget_failure_text(const BudgetResult& b) {
  return fmt::format("figure {}: limit {}, actual {}, excess {}", b.figure, format_byte_size(b.limit),
                     size_or_unbounded(b.actual),
                     b.actual ? format_byte_size(*b.actual - b.limit) : std::string("unbounded"));
}

/// A Markdown table cell: no line breaks, '|' escaped.
std::string md_cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out;
}

const char* row_status(const BuildRow& row) {
  return !row.ok ? "failed" : row.budgets_ok ? "ok" : "over-budget";
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

std::string render_build_summary(const BuildResult& r) {
  size_t ok = 0, over = 0, failed = 0;
  for (const auto& row : r.rows) (!row.ok ? failed : row.budgets_ok ? ok : over) += 1;
  std::string out = r.app.empty() ? std::string("fleetpack") : fmt::format("{} {}", r.app, r.version);
  out += fmt::format(": {} profiles in {} variants: {} ok, {} over budget, {} failed; ", r.rows.size(),
                     r.variant_count, ok, over, failed);
  if (r.published)
    out += "written to " + r.release_dir.string();
  else if (!r.write_requested)
    out += "checked, no release written";
  else
    out += "nothing written";
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

std::string render_build_junit(const BuildResult& r, const Diagnostics& diags) {
  struct Case {
    std::string name, body;
    enum { Pass, Fail, Skip } state = Pass;
  };
  std::string suites;
  size_t all_tests = 0, all_failures = 0, all_skipped = 0;
  for (const auto& row : r.rows) {
    std::vector<Case> cases;
    Case build{"build", {}};
    if (!row.ok) {
      std::string errors;
      for (const auto& d : diags.all())
        if (d.severity == Severity::Error && d.message.find("'" + row.profile + "'") != std::string::npos)
          errors += format_diagnostic(d) + "\n";
      build.state = Case::Fail;
      build.body = fmt::format("      <failure message=\"{}\" type=\"build\">{}</failure>\n",
                               xml_escape("profile '" + row.profile + "' failed to build"),
                               xml_escape(errors.empty() ? "see the build's diagnostics" : errors));
    }
    cases.push_back(build);
    for (const auto& b : row.budgets) {
      Case c{"budget " + b.figure, {}};
      if (!b.measured) {
        c.state = Case::Skip;
        c.body = fmt::format("      <skipped message=\"{}\"/>\n",
                             xml_escape("figure " + b.figure + " was not measured"));
      } else if (!b.passed && !row.budgets_ok) {
        c.state = Case::Fail;
        c.body = fmt::format("      <failure message=\"{}\" type=\"budget\">{}</failure>\n",
                             xml_escape(budget_failure_text(b)), xml_escape(b.hint));
      } else if (!b.passed) {  // budgets.mode: warn
        c.body = fmt::format("      <system-out>{}</system-out>\n",
                             xml_escape("warning (budgets.mode: warn): " + budget_failure_text(b) +
                                        (b.hint.empty() ? "" : "\nhint: " + b.hint)));
      }
      cases.push_back(c);
    }
    size_t failures = 0, skipped = 0;
    for (const auto& c : cases) {
      failures += c.state == Case::Fail;
      skipped += c.state == Case::Skip;
    }
    all_tests += cases.size();
    all_failures += failures;
    all_skipped += skipped;
    suites += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"0\">\n",
        xml_escape(row.profile), cases.size(), failures, skipped);
    const std::string classname = xml_escape("fleetpack." + row.profile);
    for (const auto& c : cases) {
      if (c.body.empty())
        suites += fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"0\"/>\n", xml_escape(c.name),
                              classname);
      else
        suites += fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"0\">\n{}    </testcase>\n",
                              xml_escape(c.name), classname, c.body);
    }
    suites += "  </testsuite>\n";
  }
  return fmt::format(
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" "
             "time=\"0\">\n",
             xml_escape("fleetpack " + r.app + " " + r.version), all_tests, all_failures, all_skipped) +
         suites + "</testsuites>\n";
}

std::string render_build_markdown(const BuildResult& r) {
  size_t failed = 0, over = 0;
  for (const auto& row : r.rows) {
    failed += !row.ok;
    over += row.ok && !row.budgets_ok;
  }
  std::string verdict =
      failed == 0 && over == 0 ? "all profiles ok" : fmt::format("{} failed, {} over budget", failed, over);
  std::string out = fmt::format("## fleetpack: {} {}: {}\n\n", md_cell(r.app), md_cell(r.version), verdict);
  out += fmt::format("Engine `{}` (uses: {}); {} profiles in {} variants; {}.\n\n", md_cell(r.engine),
                     r.engine_features.to_string(), r.rows.size(), r.variant_count,
                     r.published         ? "written to `" + md_cell(r.release_dir.string()) + "`"
                     : r.write_requested ? std::string("nothing written")
                                         : std::string("checked, no release written"));
  out += "| profile | variant | level | optimized bytes | zstd bytes | status | lowered (bytes added) |\n";
  out += "| --- | --- | --- | ---: | ---: | --- | --- |\n";
  for (const auto& row : r.rows)
    out += fmt::format("| {} | `{}` | {} | {} | {} | {} | {} |\n", md_cell(row.profile), row.variant,
                       md_cell(row.optimize_level), row.ok ? std::to_string(row.optimized_bytes) : "-",
                       row.ok ? std::to_string(row.zstd_bytes) : "-", row_status(row),
                       row.ok ? md_cell(costs_text(row)) : "-");
  out += "\n### Exceeded budgets\n\n";
  bool any = false;
  for (const auto& row : r.rows)
    for (const auto& b : row.budgets) {
      if (!b.measured || b.passed) continue;
      any = true;
      out += fmt::format("- **{}** `{}`: limit {}, actual {}, excess {}{}\n", md_cell(row.profile), b.figure,
                         format_byte_size(b.limit), size_or_unbounded(b.actual),
                         b.actual ? format_byte_size(*b.actual - b.limit) : std::string("unbounded"),
                         row.budgets_ok ? " (budgets.mode: warn)" : "");
      if (!b.hint.empty()) out += "  - " + md_cell(b.hint) + "\n";
    }
  if (!any) out += "None.\n";
  return out;
}

}  // namespace fleetpack
