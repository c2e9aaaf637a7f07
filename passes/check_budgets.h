// check-budgets: the CI gate (DESIGN.md "Memory and size budgets"). Runs once per profile on its
// variant's figures, since profiles sharing a variant may have different budgets and engine factors.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "passes/step.h"
#include "profiles/profile.h"

namespace fleetpack {

/// One budget of one profile, checked.
struct BudgetResult {
  std::string figure;
  uint64_t limit = 0;
  std::optional<uint64_t> actual;  ///< nullopt: unbounded (linear_memory_max) or not measured
  bool passed = true;
  bool measured = true;  ///< false: the figure is not measured by this version
  std::string hint;      ///< when exceeded: what to cut (the largest contributors), as in the diagnostic
};

struct BudgetInputs {
  const Profile& profile;
  const ModuleFigures& module;               ///< the variant's module as it ships
  const std::vector<Contributor>& js_files;  ///< app JS (and later fallback, loader): bytes raw
  const std::vector<Contributor>& js_zstd;   ///< the same, each zstd-compressed at the profile's level
};

/// Every figure the profile can budget, by name; nullopt for unbounded or not measured.
std::map<std::string, std::optional<uint64_t>> compute_figures(const BudgetInputs& in);

/// Checks every budget of the profile. Each exceeded budget is an error (CheckFailed) in budgets.mode
/// error, a warning in warn mode, placed at the budget's line in the profile file, naming profile, figure,
/// limit, actual value, excess and the largest contributors. Returns false when the gate fails.
bool check_budgets(const BudgetInputs& in, Diagnostics& diags, std::vector<BudgetResult>& results);

}  // namespace fleetpack
