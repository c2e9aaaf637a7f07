#include "passes/lowering.h"

#include <fmt/format.h>

#include "base/wasm_sections.h"
#include "passes/ir_util.h"
#include "passes/registry.h"

namespace fleetpack {

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
}  // namespace

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

  std::unique_ptr<wabt::Module> ir = read_ir(ctx.module->bytes);
  if (!ir) {
    ctx.diags.error(ErrorKind::Internal, Location::file_only(ctx.input_file),
                    fmt::format("wabt cannot re-read the module to lower '{}' for {}", feature_name(feature),
                                ctx.subject()));
    return false;
  }
  // The IR round trip alone changes the size (wabt writes minimal LEBs where linkers pad them), so the
  // cost of the lowering is measured against the same round trip without it.
  const bool names = ctx.module->has_name_section;
  const uint64_t before = write_ir(*ir, used, names).size();
  LoweringContext lc(*ir, ctx, feature);
  if (!lower(lc)) return false;

  // Written without the lowered feature, so its encodings (DataCount, call_indirect's table immediate)
  // go too; custom sections the IR dropped are appended again.
  FeatureSet remaining = used;
  remaining.remove(feature);
  Bytes bytes = write_ir(*ir, remaining, names);
  const int64_t cost = static_cast<int64_t>(bytes.size()) - static_cast<int64_t>(before);
  Bytes carried = custom_sections_to_carry(*ctx.module);
  bytes.insert(bytes.end(), carried.begin(), carried.end());
  ir.reset();           // tens of MiB of small blocks for a large module: gone before the next step,
  release_free_heap();  // and their pages given back
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
  return true;
}

}  // namespace fleetpack
