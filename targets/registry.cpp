#include "targets/target.h"

namespace fleetpack {

const std::vector<TargetInfo>& all_targets() {
  static const std::vector<TargetInfo> targets = {
      {"wasm", "ships the Wasm module and the app's JS", emit_wasm_target},
  };
  return targets;
}

const TargetInfo* find_target(const std::string& name) {
  for (const auto& t : all_targets())
    if (name == t.name) return &t;
  return nullptr;
}

}  // namespace fleetpack
