#include "targets/fallback_script.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "targets/engine_script.h"

namespace fleetpack {

FallbackScript make_fallback_script(const JsFallback& fallback, const std::string& global_name) {
  FallbackScript out;
  // Content-addressed: two bundles (two engines) loaded in one page cannot take each other's factory, and
  // a stale file from another release is refused by the loader rather than run.
  out.id = sha256_hex(fallback.code.data(), fallback.code.size()).substr(0, 16);
  out.registry = global_name + "Fallbacks";
  auto quoted = [](const std::string& s) { return nlohmann::json(s).dump(-1, ' ', /*ensure_ascii=*/true); };
  std::string text = fill_template(
      template_text("fallback.js"),
      {
          {"HEADER",
           fmt::format("fleetpack {} JS fallback {} (the engine through wasm2js). Generated: do not "
                       "edit.",
                       FLEETPACK_VERSION, out.id)},
          {"REGISTRY", quoted(out.registry)},
          {"ID", quoted(out.id)},
          {"CODE", fallback.code},
      });
  out.file.logical_path = kFallbackScriptName;
  out.file.bytes.assign(text.begin(), text.end());
  out.file.sha256 = sha256_hex(out.file.bytes.data(), out.file.bytes.size());
  return out;
}

}  // namespace fleetpack
