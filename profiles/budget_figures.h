// The figures a profile can budget (DESIGN.md "Memory and size budgets"), with their definitions. The
// key table makes one budgets.<name> key of each; `fleetpack budgets --explain` prints the definitions.
#pragma once
#include <string>
#include <vector>

namespace fleetpack {

struct BudgetFigure {
  const char* name;        ///< e.g. "wasm_zstd_bytes"
  const char* definition;  ///< one sentence, in bytes
};

const std::vector<BudgetFigure>& budget_figures();
/// `fleetpack budgets --explain`: every figure and its definition.
std::string render_budget_reference();

}  // namespace fleetpack
