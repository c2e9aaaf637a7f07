// check-budgets: compares a profile's figures with its budgets and fails the build (or warns, in warn mode)
// with what to cut. Every failure of every profile is reported before the build fails.
#include "passes/check_budgets.h"

#include <algorithm>

#include <fmt/format.h>

#include "base/byte_size.h"
#include "profiles/budget_figures.h"

namespace fleetpack {

namespace {
uint64_t sum(const std::vector<Contributor>& v) {
  uint64_t n = 0;
  for (const auto& c : v) n += c.bytes;
  return n;
}

std::string list(const std::vector<Contributor>& v, size_t max = 5) {
  std::string out;
  for (size_t i = 0; i < v.size() && i < max; ++i)
    out += fmt::format("{}{} {}", i ? ", " : "", v[i].what, format_byte_size(v[i].bytes));
  return out;
}

/// What makes up a figure, largest first, for the hint.
std::string contributors(const std::string& figure, const BudgetInputs& in,
                         const std::map<std::string, std::optional<uint64_t>>& figures) {
  const ModuleFigures& m = in.module;
  auto value = [&](const char* name) { return figures.at(name).value_or(0); };
  if (figure == "wasm_bytes" || figure == "wasm_zstd_bytes")
    return fmt::format("largest functions: {}; sections: {}{}", list(m.largest_functions), list(m.sections),
                       m.data_segments.empty() ? "" : "; data segments: " + list(m.data_segments));
  if (figure == "code_memory_estimate")
    return fmt::format("code section {} x wasm.code_factor {:g}; largest functions: {}",
                       format_byte_size(m.code_bytes), in.profile.code_factor, list(m.largest_functions));
  if (figure == "linear_memory_initial" || figure == "linear_memory_max")
    return "set by the engine's linker (wasm-ld --initial-memory/--max-memory, Emscripten "
           "INITIAL_MEMORY/MAXIMUM_MEMORY); "
           "data segments: " +
           (m.data_segments.empty() ? std::string("none") : list(m.data_segments));
  if (figure == "linear_memory_init")
    return fmt::format(
        "pages the init export reaches (memory.grow and allocators sizing their heaps); "
        "initial memory {}; data segments: {}",
        format_byte_size(m.linear_memory_initial),
        m.data_segments.empty() ? std::string("none") : list(m.data_segments));
  if (figure == "table_bytes")
    return fmt::format("{} table elements x wasm.table_entry_bytes {}", m.table_elements,
                       in.profile.table_entry_bytes);
  if (figure == "vm_memory") {
    const char* memory = m.linear_memory_init ? "linear_memory_init" : "linear_memory_initial";
    std::vector<Contributor> parts = {{memory, value(memory)},
                                      {"code_memory_estimate", value("code_memory_estimate")},
                                      {"wasm_bytes", value("wasm_bytes")},
                                      {"table_bytes", value("table_bytes")}};
    std::stable_sort(parts.begin(), parts.end(), [](auto& a, auto& b) { return a.bytes > b.bytes; });
    return fmt::format("{}; largest functions: {}", list(parts), list(m.largest_functions, 3));
  }
  if (figure == "js_bytes") return "largest files: " + list(in.js_files);
  if (figure == "js_zstd_bytes") return "largest files (compressed): " + list(in.js_zstd);
  if (figure == "bundle_zstd_bytes")
    return fmt::format("engine {}; JS files (compressed): {}", format_byte_size(m.wasm_zstd_bytes),
                       list(in.js_zstd));
  return "";
}
}  // namespace

std::map<std::string, std::optional<uint64_t>> compute_figures(const BudgetInputs& in) {
  const ModuleFigures& m = in.module;
  std::map<std::string, std::optional<uint64_t>> f;
  f["wasm_bytes"] = m.wasm_bytes;
  f["wasm_zstd_bytes"] = m.wasm_zstd_bytes;
  f["linear_memory_initial"] = m.linear_memory_initial;
  f["linear_memory_max"] = m.has_memory ? m.linear_memory_max : std::optional<uint64_t>(0);
  f["linear_memory_init"] = m.linear_memory_init;  // nullopt: no init export configured (measure-init)
  f["table_bytes"] = m.table_elements * in.profile.table_entry_bytes;
  f["code_memory_estimate"] =
      static_cast<uint64_t>(static_cast<double>(m.code_bytes) * in.profile.code_factor + 0.5);
  f["vm_memory"] = m.wasm_bytes + m.linear_memory_init.value_or(m.linear_memory_initial) + *f["table_bytes"] +
                   *f["code_memory_estimate"];
  f["js_bytes"] = sum(in.js_files);
  f["js_zstd_bytes"] = sum(in.js_zstd);
  f["bundle_zstd_bytes"] = m.wasm_zstd_bytes + sum(in.js_zstd);
  return f;
}

bool check_budgets(const BudgetInputs& in, Diagnostics& diags, std::vector<BudgetResult>& results) {
  const Profile& p = in.profile;
  auto figures = compute_figures(in);
  const bool warn_only = p.budget_mode == "warn";
  bool passed = true;
  for (const auto& fig : budget_figures()) {
    auto limit_it = p.budgets.find(fig.name);
    if (limit_it == p.budgets.end()) continue;
    const uint64_t limit = limit_it->second;
    const std::string key = std::string("budgets.") + fig.name;
    const Origin& o = p.origins.count(key) ? p.origins.at(key) : Origin{};
    Location where = o.file.empty() ? Location::file_only(p.file) : Location::text(o.file, o.line, o.column);
    BudgetResult r{fig.name, limit, figures[fig.name], true, true, {}};

    if (std::string(fig.name) == "linear_memory_init" && !r.actual) {
      r.measured = false;
      diags.warning(where,
                    fmt::format("profile '{}': budgets.linear_memory_init is not checked: start-up memory is "
                                "not measured without an init export",
                                p.id),
                    "name the engine's init export under `init:` in fleetpack.yaml, or budget "
                    "linear_memory_initial (or vm_memory) instead");
      results.push_back(r);
      continue;
    }
    std::string message;
    if (!r.actual) {  // unbounded linear memory
      if (p.allow_unbounded_memory) {
        results.push_back(r);
        continue;
      }
      r.passed = false;
      message = fmt::format(
          "profile '{}': linear_memory_max is unbounded (the module declares no memory maximum), "
          "over its budget of {}",
          p.id, format_byte_size(limit));
    } else if (*r.actual > limit) {
      r.passed = false;
      message = fmt::format("profile '{}': {} is {}, over its budget of {} by {}", p.id, fig.name,
                            format_byte_size(*r.actual), format_byte_size(limit),
                            format_byte_size(*r.actual - limit));
    }
    results.push_back(r);
    if (r.passed) continue;
    std::string hint = contributors(fig.name, in, figures);
    if (!r.actual)
      hint =
          "declare a maximum (wasm-ld --max-memory, Emscripten MAXIMUM_MEMORY) or set "
          "budgets.allow_unbounded_memory: true";
    results.back().hint = hint;
    if (warn_only) {
      diags.warning(where, message + " (budgets.mode: warn)", hint);
    } else {
      diags.error(ErrorKind::CheckFailed, where, message, hint);
      passed = false;
    }
  }
  return passed;
}

}  // namespace fleetpack
