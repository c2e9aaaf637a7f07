// The Wasm module model every layer uses: the original bytes, what the streaming scan found (sections,
// bodies, feature uses), and a plain description of the module's interface. Loading always validates with
// wabt first (its SharedValidator, streaming: no wabt IR is built), so nothing downstream (Binaryen above
// all, which exits the process on malformed input) ever sees an invalid module.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/file_io.h"
#include "base/wasm_scan.h"

namespace fleetpack {

enum class ExternKind { Func, Table, Memory, Global, Tag };
const char* extern_kind_name(ExternKind k);

struct Limits {
  uint64_t initial = 0;
  std::optional<uint64_t> max;
  bool shared = false;
  bool is64 = false;
};

struct ImportInfo {
  std::string module, field;
  ExternKind kind = ExternKind::Func;
  std::string type;  ///< "func (i32, i32) -> i32", "global mut i32", "memory 2..", ...
};

struct ExportInfo {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
};

struct MemoryInfo {
  Limits pages;
  bool imported = false;
  std::vector<std::string> exported_as;
};

struct TableInfo {
  std::string elem_type;
  Limits elements;
  bool imported = false;
  std::vector<std::string> exported_as;
};

struct GlobalInfo {
  std::string type;
  bool mutable_ = false;
  bool imported = false;
  std::vector<std::string> exported_as;
};

struct DataSegmentInfo {
  bool passive = false;
  uint64_t size = 0;
};

/// A loaded, validated module.
struct WasmModule {
  std::string file;  ///< for diagnostics
  Bytes bytes;
  ScanResult scan;
  uint32_t func_import_count = 0;
  std::vector<std::string> func_names;  ///< by function index; "" when the name section has none
  std::vector<ImportInfo> imports;
  std::vector<ExportInfo> exports;
  std::vector<MemoryInfo> memories;
  std::vector<TableInfo> tables;
  std::vector<GlobalInfo> globals;
  std::vector<DataSegmentInfo> data_segments;
  uint32_t elem_segment_count = 0;
  bool has_name_section = false;
  // No wabt IR is kept: a 1.3 MB module's IR takes tens of MiB, and the build holds several modules at
  // once. Passes that rewrite code read their own IR from `bytes` (passes/lowering.cpp) and drop it after.
  /// What detect-features found (passes/detect_features.cpp), kept so that the steps asking again about
  /// the same module (every lower-* step, check-features, the build) do not validate its bytes again.
  /// Copies share it: `bytes` never change once a module is loaded (a changed module is a new one).
  mutable std::shared_ptr<const std::vector<FeatureUse>> detected_features;

  /// Name-section name, else the export name, else "func[N]".
  std::string function_label(uint32_t index) const;
  uint64_t code_bytes() const;  ///< payload of the code section
};

/// Reads and validates `bytes` (named `file` in diagnostics) with every feature wabt knows enabled. On
/// malformed input adds an InvalidInput error with the byte offset and returns nullopt.
std::optional<WasmModule> load_module(const std::string& file, Bytes bytes, Diagnostics& diags,
                                      const ModuleLimits& limits = {});
/// Reads the file, then load_module. Accepts the binary format only (checked by its magic number).
std::optional<WasmModule> load_module_file(const fs::path& path, Diagnostics& diags,
                                           const ModuleLimits& limits = {});

/// True when `bytes` validate with exactly `features` enabled; else the first error (message, offset).
struct RevalidateResult {
  bool ok = true;
  std::string message;
  uint64_t offset = 0;
};
RevalidateResult validate_with_features(const Bytes& bytes, FeatureSet features);

/// Gives the heap's free pages back to the system. A wabt IR of a 1 MB module (the lowerings build one)
/// is tens of MiB of small blocks; glibc keeps them once freed, so a process would otherwise stay at the
/// size of its largest IR, and every worker forked from it would inherit that.
void release_free_heap();

}  // namespace fleetpack
