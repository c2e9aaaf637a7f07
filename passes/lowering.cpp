#include "passes/lowering.h"

#include <algorithm>
#include <atomic>

#include <fmt/format.h>

#include "base/wasm_sections.h"
#include "passes/ir_util.h"
#include "passes/registry.h"

namespace fleetpack {

/// What a lower-* step leaves in StepContext::lowering_ir for the next one.
struct LoweringIr {
  std::unique_ptr<wabt::Module> module;  ///< the lowered IR
  /// The bytes the context's module got from it: the IR is that module's only while ctx.module still
  /// has exactly these bytes (any other step may replace the module, even in place).
  Bytes bytes;
  FeatureSet written;  ///< the features it was written with,
  bool names = false;  ///< whether names were written,
  uint64_t size = 0;   ///< and the size written, before the carried custom sections
};

std::string LoweringContext::function_label(wabt::Index func_index) const {
  if (func_index < module.funcs.size() && !module.funcs[func_index]->name.empty()) {
    const std::string& n = module.funcs[func_index]->name;
    return n[0] == '$' ? n.substr(1) : n;
  }
  return fmt::format("func[{}]", func_index);
}

Location LoweringContext::first_use() const {
  uint64_t offset = 0;
  for (const auto& u : step.input_features)
    if (u.feature == feature) offset = u.first_offset;
  return Location::binary(step.input_file, offset);
}

void LoweringContext::cannot_lower(wabt::Index func_index, const std::string& what,
                                   const std::string& hint) const {
  step.diags.error(ErrorKind::CheckFailed, first_use(),
                   fmt::format("{}: cannot lower '{}' in function '{}': {}", step.subject(),
                               feature_name(feature), function_label(func_index), what),
                   hint);
}

void LoweringContext::cannot_lower_in_module(const std::string& what, const std::string& hint) const {
  step.diags.error(
      ErrorKind::CheckFailed, first_use(),
      fmt::format("{}: cannot lower '{}' in the module: {}", step.subject(), feature_name(feature), what),
      hint);
}

namespace {
/// Custom sections to carry across the IR round trip: all but "name" (the IR keeps it), "target_features"
/// (it would now declare a feature the module no longer uses, and Binaryen obeys it) and relocations.
Bytes custom_sections_to_carry(const WasmModule& m) {
  Bytes out;
  for (const auto& s : m.scan.sections)
    // Relocation sections (linking, reloc.*) describe offsets the rewrite changed: they would lie too.
    if (s.id == 0 && s.name != "name" && s.name != "target_features" && s.name != "linking" &&
        s.name.rfind("reloc.", 0) != 0)
      out.insert(out.end(), m.bytes.begin() + s.header_offset, m.bytes.begin() + s.offset + s.size);
  return out;
}

std::atomic<uint64_t> ir_reads{0};

/// The features of the lower-* steps that follow `feature`'s in the pipeline (passes/registry.cpp: they
/// are consecutive, named lower-<feature>). The list ends at the first step of another kind: that one
/// may replace the module, so no IR is kept across it.
std::vector<Feature> lowerings_after(Feature feature) {
  std::vector<Feature> out;
  bool after = false;
  for (const StepInfo& step : all_steps()) {
    const std::string name = step.name;
    const std::optional<Feature> lowers =
        name.rfind("lower-", 0) == 0 ? parse_feature(name.substr(6)) : std::nullopt;
    if (!after) {
      after = lowers == feature;
    } else if (!lowers) {
      break;
    } else {
      out.push_back(*lowers);
    }
  }
  return out;
}
}  // namespace

uint64_t lowering_ir_reads() { return ir_reads; }

bool lowering_applies(const StepContext& ctx, Feature feature) {
  if (!ctx.module || !ctx.profile || ctx.profile->features.has(feature)) return false;
  for (const auto& u : detect_features(*ctx.module))  // answered once per module (base/wasm_module.h)
    if (u.feature == feature) return true;
  return false;
}

bool run_lowering(StepContext& ctx, Feature feature, LoweringFn lower) {
  if (!lowering_applies(ctx, feature)) return true;
  FeatureSet used;
  for (const auto& u : detect_features(*ctx.module)) used.add(u.feature);
  const bool names = ctx.module->has_name_section;

  // The previous lowering's IR, if ctx.module is still what it wrote. The context gives it up either
  // way: a lowering that fails leaves it half rewritten.
  std::shared_ptr<LoweringIr> kept = std::move(ctx.lowering_ir);
  std::unique_ptr<wabt::Module> ir;
  std::optional<uint64_t> before;
  if (kept && kept->bytes == ctx.module->bytes) {
    ir = std::move(kept->module);
    // It writes what a re-read of ctx.module would (it differs only where neither the writer nor the
    // lowerings look: the expression class op() files compares under, the names of helpers in a module
    // written without names; tests/unit/lowering_shared_ir_test.cpp), so with the same features and names
    // the round trip's size is the previous write's.
    if (kept->written == used && kept->names == names) before = kept->size;
  }
  kept.reset();
  if (!ir) {
    ++ir_reads;
    ir = read_ir(ctx.module->bytes);
  }
  if (!ir) {
    ctx.diags.error(ErrorKind::Internal, Location::file_only(ctx.input_file),
                    fmt::format("wabt cannot re-read the module to lower '{}' for {}", feature_name(feature),
                                ctx.subject()));
    return false;
  }
  // The IR round trip alone changes the size (wabt writes minimal LEBs where linkers pad them), so the
  // cost of the lowering is measured against the same round trip without it.
  if (!before) before = write_ir(*ir, used, names).size();
  LoweringContext lc(*ir, ctx, feature);
  if (!lower(lc)) return false;

  // Written without the lowered feature, so its encodings (DataCount, call_indirect's table immediate)
  // go too; custom sections the IR dropped are appended again.
  FeatureSet remaining = used;
  remaining.remove(feature);
  Bytes bytes = write_ir(*ir, remaining, names);
  const uint64_t size = bytes.size();
  const int64_t cost = static_cast<int64_t>(size) - static_cast<int64_t>(*before);
  Bytes carried = custom_sections_to_carry(*ctx.module);
  bytes.insert(bytes.end(), carried.begin(), carried.end());
  // The IR is tens of MiB of small blocks for a large module: it goes, and its pages are given back,
  // unless a later lower-* step will take it. Whether one applies is known exactly once the result is
  // loaded; before that, one can only if the result still uses a feature it lowers that the profile lacks.
  const std::vector<Feature> later = lowerings_after(feature);
  auto free_ir = [&ir] {
    ir.reset();
    release_free_heap();
  };
  if (std::none_of(later.begin(), later.end(),
                   [&](Feature f) { return remaining.has(f) && !ctx.profile->features.has(f); }))
    free_ir();
  auto lowered = load_module(ctx.module->file, std::move(bytes), ctx.diags);
  if (!lowered) {
    ctx.diags.error(
        ErrorKind::Internal, Location::file_only(ctx.input_file),
        fmt::format("lowering '{}' for {} produced an invalid module", feature_name(feature), ctx.subject()),
        "this is a fleetpack bug; please report it with the module");
    return false;
  }
  ctx.lowering_costs.push_back({feature, cost});
  ctx.module = std::move(lowered);
  if (!ir) return true;
  if (std::any_of(later.begin(), later.end(), [&](Feature f) { return lowering_applies(ctx, f); }))
    ctx.lowering_ir.reset(new LoweringIr{std::move(ir), ctx.module->bytes, remaining, names, size});
  else
    free_ir();
  return true;
}

}  // namespace fleetpack
