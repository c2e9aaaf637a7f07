// `fleetpack inspect`: what a module is made of and what it needs (DESIGN.md step 1). The JSON form is
// documented in docs/inspect.md and versioned by its "schema" field.
#pragma once
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/file_io.h"
#include "base/wasm_module.h"

namespace fleetpack {

struct InspectReport {
  WasmModule module;
  std::vector<FeatureUse> features;  ///< detect-features' result
};

/// Loads, validates and analyses a module file. nullopt (with diagnostics) when it is malformed.
std::optional<InspectReport> inspect_module(const fs::path& path, Diagnostics& diags);

std::string render_inspect_text(const InspectReport& r, size_t top);
std::string render_inspect_json(const InspectReport& r, size_t top);

}  // namespace fleetpack
