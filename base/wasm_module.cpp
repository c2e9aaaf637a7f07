#include "base/wasm_module.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <fmt/format.h>

#include "base/module_reader.h"
#include "base/wabt_glue.h"

namespace fleetpack {

const char* extern_kind_name(ExternKind k) {
  switch (k) {
    case ExternKind::Func:
      return "func";
    case ExternKind::Table:
      return "table";
    case ExternKind::Memory:
      return "memory";
    case ExternKind::Global:
      return "global";
    case ExternKind::Tag:
      return "tag";
  }
  return "?";
}

void release_free_heap() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

std::string WasmModule::function_label(uint32_t index) const {
  if (index < func_names.size() && !func_names[index].empty()) return func_names[index];
  for (const auto& e : exports)
    if (e.kind == ExternKind::Func && e.index == index) return e.name;
  return fmt::format("func[{}]", index);
}

uint64_t WasmModule::code_bytes() const {
  for (const auto& s : scan.sections)
    if (s.id == 10) return s.size;
  return 0;
}

std::optional<WasmModule> load_module(const std::string& file, Bytes bytes, Diagnostics& diags,
                                      const ModuleLimits& limits) {
  static const uint8_t kMagic[4] = {0, 'a', 's', 'm'};
  if (bytes.size() < 4 || !std::equal(kMagic, kMagic + 4, bytes.begin())) {
    diags.error(ErrorKind::InvalidInput, Location::binary(file, 0),
                "not a WebAssembly binary (bad magic number)",
                "expected a .wasm file starting with \\0asm; compile .wat text with `wat2wasm` first");
    return std::nullopt;
  }
  // 1. Our streaming scan: structure, limits, feature uses. Cheap, and refuses hostile counts early.
  auto scan = scan_module(file, bytes.data(), bytes.size(), limits, diags);
  if (!scan) return std::nullopt;

  // 2. wabt's validator, streaming (no IR: see base/module_reader.h), and the module's interface: types,
  // indices, everything Binaryen would otherwise die on.
  WasmModule m;
  ModuleReadResult read = read_module(bytes, all_wabt_features(), &m);
  if (read.error) {
    const wabt::Error& e = *read.error;
    // wabt marks some errors with an invalid offset; never print a bogus place.
    Location where =
        e.loc.offset <= bytes.size() ? Location::binary(file, e.loc.offset) : Location::file_only(file);
    if (e.message.empty())  // wabt's validator failed without saying why
      diags.error(ErrorKind::InvalidInput, where, "the module is invalid",
                  "check it with `wasm-validate --enable-all`");
    else
      diags.error(ErrorKind::InvalidInput, where, e.message,
                  "the module is invalid; rebuild it, or check it with `wasm-validate --enable-all`");
    return std::nullopt;
  }
  // A malformed name section is not fatal (engines ignore it) but users should know their names are lost.
  for (const auto& e : read.warnings)
    if (e.error_level == wabt::ErrorLevel::Error || e.error_level == wabt::ErrorLevel::Warning)
      diags.warning(Location::binary(file, e.loc.offset), e.message,
                    "function names from this section are ignored");

  m.file = file;
  m.bytes = std::move(bytes);
  m.scan = std::move(*scan);
  for (const auto& s : m.scan.sections)
    if (s.id == 0 && s.name == "name") m.has_name_section = true;
  return m;
}

std::optional<WasmModule> load_module_file(const fs::path& path, Diagnostics& diags,
                                           const ModuleLimits& limits) {
  auto bytes = read_file(path, diags, limits.max_module_bytes);
  if (!bytes) return std::nullopt;
  return load_module(path.string(), std::move(*bytes), diags, limits);
}

RevalidateResult validate_with_features(const Bytes& bytes, FeatureSet features) {
  ModuleReadResult read = read_module(bytes, to_wabt_features(features), nullptr);
  if (!read.error) return {};
  const uint64_t offset = read.error->loc.offset <= bytes.size() ? read.error->loc.offset : 0;
  return {false, read.error->message.empty() ? "invalid" : read.error->message, offset};
}

}  // namespace fleetpack
