// measure: the figures of the module as it ships (DESIGN.md "Memory and size budgets"): its size raw and
// zstd-compressed, its linear memory and tables, its code, and the largest parts of each, so a budget
// failure can say what to cut. Function names come from the name section before strip.
#include <algorithm>

#include <fmt/format.h>

#include "base/zstd_codec.h"
#include "passes/registry.h"

namespace fleetpack {

namespace {
constexpr size_t kTopContributors = 5;
constexpr uint64_t kPageBytes = 65536;

void keep_largest(std::vector<Contributor>& v) {
  std::stable_sort(v.begin(), v.end(),
                   [](const Contributor& a, const Contributor& b) { return a.bytes > b.bytes; });
  if (v.size() > kTopContributors) v.resize(kTopContributors);
}
}  // namespace

bool run_measure(StepContext& ctx) {
  if (!ctx.module) return false;
  const WasmModule& m = *ctx.module;
  ModuleFigures& f = ctx.figures;
  f.wasm_bytes = m.bytes.size();
  f.wasm_zstd_bytes = ctx.zstd_size ? ctx.zstd_size(m.bytes, ctx.zstd_level)
                                    : zstd_compress(m.bytes.data(), m.bytes.size(), ctx.zstd_level).size();
  // Sums over memories (multi-memory modules are refused earlier, but the sum is the right figure).
  f.has_memory = !m.memories.empty();
  f.linear_memory_initial = 0;
  f.linear_memory_max = 0;
  for (const auto& mem : m.memories) {
    f.linear_memory_initial += mem.pages.initial * kPageBytes;
    if (!mem.pages.max)
      f.linear_memory_max.reset();  // one unbounded memory makes the total unbounded
    else if (f.linear_memory_max)
      *f.linear_memory_max += *mem.pages.max * kPageBytes;
  }
  for (const auto& t : m.tables) f.table_elements += t.elements.initial;
  f.code_bytes = m.code_bytes();

  const WasmModule& named = ctx.before_strip ? *ctx.before_strip : m;
  f.largest_functions.clear();
  for (const auto& b : named.scan.bodies)
    f.largest_functions.push_back({fmt::format("function '{}'", named.function_label(b.func_index)), b.size});
  keep_largest(f.largest_functions);
  f.data_segments.clear();
  for (size_t i = 0; i < m.data_segments.size(); ++i)
    f.data_segments.push_back({fmt::format("data segment {}", i), m.data_segments[i].size});
  keep_largest(f.data_segments);
  f.sections.clear();
  for (const auto& s : m.scan.sections)
    f.sections.push_back(
        {s.id == 0 ? fmt::format("custom section '{}'", s.name) : fmt::format("{} section", s.name),
         s.offset + s.size - s.header_offset});
  keep_largest(f.sections);
  return true;
}

}  // namespace fleetpack
