#include "profiles/budget_figures.h"

#include <string>

namespace fleetpack {

const std::vector<BudgetFigure>& budget_figures() {
  static const std::vector<BudgetFigure> figures = {
      {"wasm_bytes", "the shipped module's size"},
      {"wasm_zstd_bytes", "the shipped module, zstd-compressed at the profile's compression.zstd_level"},
      {"linear_memory_initial", "initial pages of linear memory x 64 KiB"},
      {"linear_memory_max", "declared maximum pages x 64 KiB (a module without a maximum is unbounded)"},
      {"linear_memory_init", "pages reached after running the configured init export x 64 KiB"},
      {"table_bytes", "table elements x the entry size of the profile's engine"},
      {"code_memory_estimate", "code section bytes x wasm.code_factor: what the VM's compiled code may take"},
      {"vm_memory",
       "module bytes + linear memory (init figure if measured, else initial) + table_bytes + "
       "code_memory_estimate"},
      {"js_bytes", "app JS, JS fallback and loader"},
      {"js_zstd_bytes", "the same, each file zstd-compressed"},
      {"bundle_zstd_bytes", "everything the profile's bundle ships, zstd-compressed"},
  };
  return figures;
}

std::string render_budget_reference() {
  std::string out =
      "Budget figures (bytes), set per profile as budgets.<figure>: 750000, 150KiB, 7.5MiB, 2MB.\n"
      "budgets.mode: warn reports instead of failing; budgets.allow_unbounded_memory lets a module without "
      "a\n"
      "memory maximum pass linear_memory_max.\n\n";
  for (const auto& f : budget_figures()) out += std::string(f.name) + "\n  " + f.definition + "\n";
  return out;
}

}  // namespace fleetpack
