// A device profile: what one class of device can run and afford (DESIGN.md "Vocabulary"). Every field
// here has exactly one row in profiles/key_table.cpp, which documents it.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/features.h"

namespace fleetpack {

/// Where an effective value came from: a file and line, or the built-in default.
struct Origin {
  std::string file;  ///< empty for the key table's default
  int line = 0;
  int column = 0;
  std::string describe() const;  ///< "profiles/tv.yaml:4:3" or "default"
};

struct Profile {
  std::string id;
  std::string extends;  ///< parent id, or "" for a root profile
  std::string description;
  bool wasm_supported = true;         ///< wasm.supported: the device has a Wasm VM at all
  FeatureSet features;                ///< wasm.features: post-MVP features the device's VM supports
  std::string wasm_engine = "jit";    ///< wasm.engine: jit or interpreter
  double code_factor = 4.0;           ///< wasm.code_factor: compiled code bytes per code-section byte
  std::string js_level = "es2017";    ///< js.level: es5, es2015, es2017, es2020
  std::string js_module = "script";   ///< js.module: script or esm
  std::string target = "wasm";        ///< target: wasm, js or auto
  std::string optimize_level = "Os";  ///< optimize.level
  std::string optimize_order = "optimize-first";  ///< optimize.order: optimize-first or lower-first
  std::vector<std::string> strip_keep;            ///< strip.keep: custom sections that ship
  std::map<std::string, uint64_t> budgets;        ///< budgets.<figure>: limit in bytes (absent: no limit)
  std::string budget_mode = "error";              ///< budgets.mode: error (fail the build) or warn
  bool allow_unbounded_memory = false;            ///< budgets.allow_unbounded_memory
  uint64_t table_entry_bytes = 8;         ///< wasm.table_entry_bytes: bytes per table element in the VM
  int zstd_level = 19;                    ///< compression.zstd_level
  std::string native_min_version;         ///< native.min_version: oldest native layer that runs the bundle
  std::vector<std::string> tags;          ///< free-form labels for selecting profiles
  std::string file;                       ///< the file that defines this profile
  std::map<std::string, Origin> origins;  ///< dotted key -> where its effective value was set
};

}  // namespace fleetpack
