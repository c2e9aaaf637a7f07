#include "base/wasm_module.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <fmt/format.h>
#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/cast.h>
#include <wabt/ir.h>
#include <wabt/validator.h>

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

namespace {

ExternKind to_kind(wabt::ExternalKind k) {
  switch (k) {
    case wabt::ExternalKind::Func:
      return ExternKind::Func;
    case wabt::ExternalKind::Table:
      return ExternKind::Table;
    case wabt::ExternalKind::Memory:
      return ExternKind::Memory;
    case wabt::ExternalKind::Global:
      return ExternKind::Global;
    case wabt::ExternalKind::Tag:
      return ExternKind::Tag;
  }
  return ExternKind::Func;
}

Limits to_limits(const wabt::Limits& l) {
  Limits r;
  r.initial = l.initial;
  if (l.has_max) r.max = l.max;
  r.shared = l.is_shared;
  r.is64 = l.is_64;
  return r;
}

std::string limits_text(const Limits& l) {
  return l.max ? fmt::format("{}..{}", l.initial, *l.max) : fmt::format("{}..", l.initial);
}

std::string signature_text(const wabt::FuncSignature& sig) {
  std::string s = "(";
  for (size_t i = 0; i < sig.param_types.size(); ++i)
    s += (i ? ", " : "") + std::string(sig.param_types[i].GetName());
  s += ") -> ";
  if (sig.result_types.empty()) return s + "nil";
  if (sig.result_types.size() == 1) return s + sig.result_types[0].GetName();
  s += "(";
  for (size_t i = 0; i < sig.result_types.size(); ++i)
    s += (i ? ", " : "") + std::string(sig.result_types[i].GetName());
  return s + ")";
}

/// wabt prefixes text names with '$'; users know them without it.
std::string plain_name(const std::string& n) { return !n.empty() && n[0] == '$' ? n.substr(1) : n; }

void describe(WasmModule& m, const wabt::Module& ir) {
  m.func_import_count = ir.num_func_imports;
  for (const wabt::Func* f : ir.funcs) m.func_names.push_back(plain_name(f->name));
  for (const wabt::Import* imp : ir.imports) {
    ImportInfo info{imp->module_name, imp->field_name, to_kind(imp->kind()), {}};
    if (auto* fi = wabt::dyn_cast<wabt::FuncImport>(imp)) {
      info.type = "func " + signature_text(fi->func.decl.sig);
    } else if (auto* ti = wabt::dyn_cast<wabt::TableImport>(imp)) {
      info.type = fmt::format("table {} {}", ti->table.elem_type.GetName(),
                              limits_text(to_limits(ti->table.elem_limits)));
    } else if (auto* mi = wabt::dyn_cast<wabt::MemoryImport>(imp)) {
      info.type = "memory " + limits_text(to_limits(mi->memory.page_limits));
    } else if (auto* gi = wabt::dyn_cast<wabt::GlobalImport>(imp)) {
      info.type = fmt::format("global {}{}", gi->global.mutable_ ? "mut " : "", gi->global.type.GetName());
    } else {
      info.type = "tag";
    }
    m.imports.push_back(std::move(info));
  }
  for (size_t i = 0; i < ir.memories.size(); ++i)
    m.memories.push_back({to_limits(ir.memories[i]->page_limits), i < ir.num_memory_imports, {}});
  for (size_t i = 0; i < ir.tables.size(); ++i)
    m.tables.push_back({ir.tables[i]->elem_type.GetName(),
                        to_limits(ir.tables[i]->elem_limits),
                        i < ir.num_table_imports,
                        {}});
  for (size_t i = 0; i < ir.globals.size(); ++i)
    m.globals.push_back(
        {ir.globals[i]->type.GetName(), ir.globals[i]->mutable_, i < ir.num_global_imports, {}});
  for (const wabt::Export* e : ir.exports) {
    uint32_t index = e->var.is_index() ? e->var.index() : 0;
    switch (e->kind) {
      case wabt::ExternalKind::Func:
        index = ir.GetFuncIndex(e->var);
        break;
      case wabt::ExternalKind::Memory:
        index = ir.GetMemoryIndex(e->var);
        if (index < m.memories.size()) m.memories[index].exported_as.push_back(e->name);
        break;
      case wabt::ExternalKind::Table:
        index = ir.GetTableIndex(e->var);
        if (index < m.tables.size()) m.tables[index].exported_as.push_back(e->name);
        break;
      case wabt::ExternalKind::Global:
        index = ir.GetGlobalIndex(e->var);
        if (index < m.globals.size()) m.globals[index].exported_as.push_back(e->name);
        break;
      case wabt::ExternalKind::Tag:
        index = ir.GetTagIndex(e->var);
        break;
    }
    m.exports.push_back({e->name, to_kind(e->kind), index});
  }
  for (const wabt::DataSegment* d : ir.data_segments)
    m.data_segments.push_back({d->kind == wabt::SegmentKind::Passive, d->data.size()});
  m.elem_segment_count = static_cast<uint32_t>(ir.elem_segments.size());
}

/// Gives free heap pages back to the system. A wabt IR of a 1 MB module is tens of MiB in small blocks;
/// glibc keeps them once freed, so a process would otherwise stay at the size of its largest IR.
void release_free_heap() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

RevalidateResult validate_with_features_in_ir(const Bytes& bytes, FeatureSet features) {
  wabt::Features wf = to_wabt_features(features);
  wabt::Module ir;
  wabt::Errors errors;
  wabt::ReadBinaryOptions options(wf, nullptr, false, true, false);
  wabt::Result r = wabt::ReadBinaryIr("", bytes.data(), bytes.size(), options, &errors, &ir);
  if (wabt::Succeeded(r)) r = wabt::ValidateModule(&ir, &errors, wabt::ValidateOptions(wf));
  if (wabt::Succeeded(r)) return {};
  for (const auto& e : errors)
    if (e.error_level == wabt::ErrorLevel::Error) return {false, e.message, e.loc.offset};
  return {false, "invalid", 0};
}

}  // namespace

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

  // 2. wabt's IR and validator: types, indices, everything Binaryen would otherwise die on.
  auto ir = std::make_unique<wabt::Module>();
  wabt::Errors errors;
  wabt::ReadBinaryOptions options(all_wabt_features(), nullptr, /*read_debug_names=*/true,
                                  /*stop_on_first_error=*/true, /*fail_on_custom_section_error=*/false);
  wabt::Result r = wabt::ReadBinaryIr(file.c_str(), bytes.data(), bytes.size(), options, &errors, ir.get());
  if (wabt::Succeeded(r)) {
    wabt::ValidateOptions vopts(all_wabt_features());
    r = wabt::ValidateModule(ir.get(), &errors, vopts);
  }
  if (wabt::Failed(r)) {
    for (const auto& e : errors) {
      if (e.error_level != wabt::ErrorLevel::Error) continue;
      // wabt marks some errors with an invalid offset; never print a bogus place.
      Location where =
          e.loc.offset <= bytes.size() ? Location::binary(file, e.loc.offset) : Location::file_only(file);
      diags.error(ErrorKind::InvalidInput, where, e.message,
                  "the module is invalid; rebuild it, or check it with `wasm-validate --enable-all`");
      return std::nullopt;
    }
    diags.error(ErrorKind::InvalidInput, Location::file_only(file), "the module is invalid",
                "check it with `wasm-validate --enable-all`");
    return std::nullopt;
  }
  // A malformed name section is not fatal (engines ignore it) but users should know their names are lost.
  for (const auto& e : errors)
    if (e.error_level == wabt::ErrorLevel::Error || e.error_level == wabt::ErrorLevel::Warning)
      diags.warning(Location::binary(file, e.loc.offset), e.message,
                    "function names from this section are ignored");

  WasmModule m;
  m.file = file;
  m.bytes = std::move(bytes);
  m.scan = std::move(*scan);
  for (const auto& s : m.scan.sections)
    if (s.id == 0 && s.name == "name") m.has_name_section = true;
  describe(m, *ir);
  ir.reset();  // not kept (see WasmModule)
  release_free_heap();
  return m;
}

std::optional<WasmModule> load_module_file(const fs::path& path, Diagnostics& diags,
                                           const ModuleLimits& limits) {
  auto bytes = read_file(path, diags, limits.max_module_bytes);
  if (!bytes) return std::nullopt;
  return load_module(path.string(), std::move(*bytes), diags, limits);
}

RevalidateResult validate_with_features(const Bytes& bytes, FeatureSet features) {
  RevalidateResult result = validate_with_features_in_ir(bytes, features);
  release_free_heap();  // the IR is gone
  return result;
}

}  // namespace fleetpack
