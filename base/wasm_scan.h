// A single streaming pass over a Wasm binary (wabt's BinaryReader with our delegate) that records what
// the IR does not keep: section layout, function body extents, and every place a post-MVP feature is used,
// with byte offsets. It also enforces our resource limits, so a hostile module is refused before anything
// allocates for its declared counts.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/features.h"

namespace fleetpack {

/// Limits a module must stay within. Defaults are the JS API's implementation limits (the WebAssembly
/// JS API spec, "Limits"), which browser engines enforce anyway: nothing valid on a device is refused.
struct ModuleLimits {
  uint64_t max_module_bytes = 1ull << 30;
  uint32_t max_types = 1000000;
  uint32_t max_functions = 1000000;
  uint32_t max_imports = 100000;
  uint32_t max_exports = 100000;
  uint32_t max_globals = 1000000;
  uint32_t max_data_segments = 100000;
  uint32_t max_elem_segments = 10000000;
  uint32_t max_locals_per_function = 50000;
  uint32_t max_params = 1000;
  uint32_t max_results = 1000;  // JS API limit for multi-value returns
  uint64_t max_function_body_bytes = 7654321;
  uint64_t max_memory_pages = 65536;  // 4 GiB of 32-bit memory
  uint64_t max_table_size = 10000000;
};

struct SectionInfo {
  uint8_t id = 0;              ///< 0 for custom sections
  std::string name;            ///< "type", "code", ... or the custom section's own name
  uint64_t header_offset = 0;  ///< offset of the section id byte
  uint64_t offset = 0;         ///< offset of the payload (what wasm-objdump -h calls start)
  uint64_t size = 0;           ///< payload size
};

struct FunctionBody {
  uint32_t func_index = 0;  ///< index in the function index space (imports first)
  uint64_t offset = 0;      ///< offset of the body (its local declarations)
  uint64_t size = 0;        ///< body size in bytes, without the size field
};

/// Where and how often a feature is used.
struct FeatureUse {
  Feature feature;
  uint64_t count = 0;
  std::optional<uint32_t> first_func;  ///< function index of the first use, when inside code
  uint64_t first_offset = 0;           ///< byte offset of the first use
  std::string first_what;              ///< e.g. "i32.extend8_s", "mutable global import env.sp"
};

struct ScanResult {
  uint32_t version = 0;
  std::vector<SectionInfo> sections;
  std::vector<FunctionBody> bodies;
  std::vector<FeatureUse> features;  ///< sorted by feature order; only used features
  bool has_data_count = false;
  uint64_t call_indirect_count = 0;
  uint64_t call_indirect_reftypes_encoding = 0;  ///< call_indirects whose table immediate is not MVP's 0x00

  const FeatureUse* use_of(Feature f) const;
  FeatureSet used() const;
  /// The function whose body contains the offset, if any.
  std::optional<uint32_t> function_at(uint64_t offset) const;
};

/// Scans `data`. On malformed input or a broken limit adds an InvalidInput error at the byte offset and
/// returns nullopt. `file` names the input in diagnostics.
std::optional<ScanResult> scan_module(const std::string& file, const uint8_t* data, size_t size,
                                      const ModuleLimits& limits, Diagnostics& diags);

}  // namespace fleetpack
