// One streaming read of a Wasm binary (wabt's BinaryReader) that validates it with wabt's SharedValidator,
// the checker wabt::ValidateModule runs on wabt's IR, without building that IR (for a 1.3 MB module the IR
// is about 70 MiB of small heap blocks, more than the whole wasm-opt process), and that can take the
// module's interface (WasmModule's description, names from the name section included) on the way.
// Errors are those of ReadBinaryIr + ValidateModule: the same messages at the same byte offsets, reading
// errors before validation errors. Names wabt types: included only by .cpp files of base/.
#pragma once
#include <optional>

#include <wabt/error.h>
#include <wabt/feature.h>

#include "base/file_io.h"

namespace fleetpack {

struct WasmModule;

struct ModuleReadResult {
  /// The error ReadBinaryIr + ValidateModule report first; nullopt when the module is valid.
  std::optional<wabt::Error> error;
  /// What does not make the module invalid (a malformed name section), in reading order. Only filled
  /// when the module is valid.
  wabt::Errors warnings;
};

/// Reads and validates `bytes` with exactly `features` on. With `describe`, also reads the name section
/// and fills describe's interface: func_import_count, func_names, imports, exports, memories, tables,
/// globals, data_segments and elem_segment_count (its other fields are left alone).
ModuleReadResult read_module(const Bytes& bytes, const wabt::Features& features, WasmModule* describe);

}  // namespace fleetpack
