// strip: custom sections ship only when the profile keeps them (strip.keep); names, producers,
// target_features and debug info are removed. Works on the binary's section list, not an IR round trip,
// so kept sections survive byte for byte.
#include <algorithm>

#include "base/symbol_map.h"
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
  Bytes stripped = remove_custom_sections(
      ctx.module->bytes, ctx.module->scan.sections,
      [&](const std::string& name) { return std::find(keep.begin(), keep.end(), name) != keep.end(); });
  auto module = load_module(ctx.module->file, std::move(stripped), ctx.diags);
  if (!module) return false;
  ctx.module = std::move(module);
  return true;
}

}  // namespace fleetpack
