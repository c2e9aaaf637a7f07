// strip: custom sections ship only when the profile keeps them (strip.keep); names, producers,
// target_features and debug info are removed. Works on the binary's section list, not an IR round trip,
// so kept sections survive byte for byte.
#include <algorithm>

#include "base/symbol_map.h"
#include "base/wasm_scan.h"
#include "base/wasm_sections.h"
#include "passes/registry.h"

namespace fleetpack {

bool run_strip(StepContext& ctx) {
  if (!ctx.module || !ctx.profile) return false;
  ctx.before_strip = ctx.module;  // measure names the largest functions from it
  // The symbol map is taken from the module as shipped, just before its names go: strip removes only
  // custom sections, so function indices do not change.
  ctx.symbol_map = render_symbol_map(*ctx.module);
  const auto& keep = ctx.profile->strip_keep;
  auto kept = [&](const std::string& name) {
    return std::find(keep.begin(), keep.end(), name) != keep.end();
  };
  const WasmModule& from = *ctx.module;
  // Custom sections play no part in validation and hold no code, so the module is not read and validated
  // again (each took a wabt pass of the whole module per variant group): it keeps its description and,
  // when no feature needed a validation to be found, its features, now at the offsets of a new scan.
  WasmModule to = from;  // the description; its bytes, scan, names and features are replaced below
  to.bytes = remove_custom_sections(from.bytes, from.scan.sections, kept);
  auto scan = scan_module(to.file, to.bytes.data(), to.bytes.size(), ModuleLimits{}, ctx.diags);
  if (!scan) return false;  // a bug in remove_custom_sections; reported by the scan
  to.scan = std::move(*scan);
  to.has_name_section = from.has_name_section && kept("name");
  if (!to.has_name_section) to.func_names.assign(from.func_names.size(), "");
  to.detected_features.reset();
  FeatureSet detected;
  if (from.detected_features)
    for (const FeatureUse& u : *from.detected_features) detected.add(u.feature);
  if (from.detected_features && detected == from.scan.used())
    to.detected_features = std::make_shared<const std::vector<FeatureUse>>(to.scan.features);
  ctx.module = std::move(to);
  return true;
}

}  // namespace fleetpack
