#include "base/wasm_scan.h"

#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>
#include <wabt/binary-reader-nop.h>
#include <wabt/binary-reader.h>
#include <wabt/leb128.h>
#include <wabt/opcode.h>

#include "base/wabt_glue.h"

namespace fleetpack {

namespace {

using wabt::Index;
using wabt::Offset;
using wabt::Result;

const char* section_name(uint8_t id) {
  static const char* const kNames[] = {"custom", "type",   "import",    "function", "table",
                                       "memory", "global", "export",    "start",    "elem",
                                       "code",   "data",   "datacount", "tag"};
  return id < sizeof kNames / sizeof kNames[0] ? kNames[id] : "unknown";
}

size_t leb_length(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

/// For each opcode, the single post-MVP feature that enables it (or nullopt for MVP opcodes and those no
/// single feature enables; the latter are caught by re-validation in detect-features). Derived from wabt's
/// own Opcode::IsEnabled, so it cannot drift from what wabt accepts.
const std::vector<std::optional<Feature>>& opcode_feature_table() {
  static const std::vector<std::optional<Feature>> table = [] {
    std::vector<std::optional<Feature>> t(wabt::Opcode::Invalid + 1);
    wabt::Features none = to_wabt_features(FeatureSet());
    FeatureSet bulk;
    bulk.add(Feature::BulkMemory);
    for (uint32_t i = 0; i < wabt::Opcode::Invalid; ++i) {
      wabt::Opcode op(static_cast<wabt::Opcode::Enum>(i));
      if (op.IsEnabled(none)) continue;
      for (Feature f : all_features()) {
        FeatureSet only;
        only.add(f);
        // wabt turns reference-types off without bulk-memory, so try each feature with bulk-memory too.
        FeatureSet with_bulk = only;
        with_bulk.add(Feature::BulkMemory);
        if (op.IsEnabled(to_wabt_features(only)) ||
            (op.IsEnabled(to_wabt_features(with_bulk)) && !op.IsEnabled(to_wabt_features(bulk)))) {
          t[i] = f;
          break;
        }
      }
    }
    // wabt 1.0.32 accepts these reference-types instructions with every feature off; engines do not.
    t[wabt::Opcode::RefFunc] = Feature::ReferenceTypes;
    t[wabt::Opcode::TableFill] = Feature::ReferenceTypes;
    return t;
  }();
  return table;
}

class Scanner : public wabt::BinaryReaderNop {
 public:
  Scanner(const std::string& file, const uint8_t* data, size_t size, const ModuleLimits& limits,
          ScanResult& out, Diagnostics& diags)
      : file_(file), data_(data), size_(size), limits_(limits), out_(out), diags_(diags) {}

  bool failed() const { return failed_; }
  const std::vector<wabt::Error>& errors() const { return errors_; }

  bool OnError(const wabt::Error& e) override {
    errors_.push_back(e);
    return true;
  }

  Result BeginModule(uint32_t version) override {
    out_.version = version;
    return Result::Ok;
  }

  Result BeginSection(Index, wabt::BinarySection type, Offset size) override {
    SectionInfo s;
    s.id = static_cast<uint8_t>(type);
    s.name = section_name(s.id);
    s.offset = state->offset;
    // Sections are contiguous, so a header starts where the previous payload ended. (Computing it from
    // the size's LEB length would be wrong for padded LEBs, which some toolchains emit.)
    s.header_offset = out_.sections.empty() ? 8 : out_.sections.back().offset + out_.sections.back().size;
    s.size = size;
    if (s.id == 12) out_.has_data_count = true;
    out_.sections.push_back(std::move(s));
    return Result::Ok;
  }

  Result BeginCustomSection(Index, Offset, std::string_view name) override {
    if (!out_.sections.empty()) out_.sections.back().name = std::string(name);
    return Result::Ok;
  }

  Result OnTypeCount(Index count) override { return limit(count, limits_.max_types, "types"); }
  Result OnFuncType(Index index, Index param_count, wabt::Type* params, Index result_count,
                    wabt::Type* results) override {
    if (param_count > limits_.max_params) return limit(param_count, limits_.max_params, "parameters");
    if (result_count > limits_.max_results) return limit(result_count, limits_.max_results, "results");
    if (result_count > 1)
      use(Feature::Multivalue, fmt::format("type {} returns {} values", index, result_count));
    for (Index i = 0; i < param_count; ++i) value_type(params[i], fmt::format("type {}", index));
    for (Index i = 0; i < result_count; ++i) value_type(results[i], fmt::format("type {}", index));
    return Result::Ok;
  }

  Result OnImportCount(Index count) override { return limit(count, limits_.max_imports, "imports"); }
  Result OnImportTable(Index, std::string_view module, std::string_view field, Index, wabt::Type elem,
                       const wabt::Limits* lim) override {
    return table(elem, lim, fmt::format("table import {}.{}", module, field));
  }
  Result OnImportMemory(Index, std::string_view module, std::string_view field, Index,
                        const wabt::Limits* lim) override {
    return memory(lim, fmt::format("memory import {}.{}", module, field));
  }
  Result OnImportGlobal(Index, std::string_view module, std::string_view field, Index global_index,
                        wabt::Type type, bool mutable_) override {
    set_global_mutability(global_index, mutable_);
    value_type(type, fmt::format("global import {}.{}", module, field));
    if (mutable_) use(Feature::MutableGlobals, fmt::format("mutable global import {}.{}", module, field));
    return Result::Ok;
  }
  Result OnImportTag(Index, std::string_view module, std::string_view field, Index, Index) override {
    use(Feature::ExceptionHandling, fmt::format("tag import {}.{}", module, field));
    return Result::Ok;
  }

  Result OnFunctionCount(Index count) override { return limit(count, limits_.max_functions, "functions"); }
  Result OnTable(Index index, wabt::Type elem, const wabt::Limits* lim) override {
    return table(elem, lim, fmt::format("table {}", index));
  }
  Result OnMemory(Index index, const wabt::Limits* lim) override {
    return memory(lim, fmt::format("memory {}", index));
  }
  Result OnGlobalCount(Index count) override { return limit(count, limits_.max_globals, "globals"); }
  Result BeginGlobal(Index index, wabt::Type type, bool mutable_) override {
    set_global_mutability(index, mutable_);
    value_type(type, fmt::format("global {}", index));
    return Result::Ok;
  }
  Result OnExportCount(Index count) override { return limit(count, limits_.max_exports, "exports"); }
  Result OnExport(Index, wabt::ExternalKind kind, Index item, std::string_view name) override {
    if (kind == wabt::ExternalKind::Global && item < global_mutable_.size() && global_mutable_[item])
      use(Feature::MutableGlobals, fmt::format("mutable global export \"{}\"", name));
    if (kind == wabt::ExternalKind::Tag)
      use(Feature::ExceptionHandling, fmt::format("tag export \"{}\"", name));
    return Result::Ok;
  }
  Result OnTagCount(Index count) override {
    if (count > 0) use(Feature::ExceptionHandling, "tag section");
    return Result::Ok;
  }
  Result OnElemSegmentCount(Index count) override {
    return limit(count, limits_.max_elem_segments, "element segments");
  }
  Result BeginElemSegment(Index index, Index table, uint8_t flags) override {
    // Low flag bits: 1 passive (bulk-memory), 3 declarative (reference-types; wabt 1.0.32 accepts it with
    // bulk-memory alone), 2 explicit table index (reference-types when it is not table 0).
    if ((flags & 3) == 1) use(Feature::BulkMemory, fmt::format("passive element segment {}", index));
    if ((flags & 3) == 3) use(Feature::ReferenceTypes, fmt::format("declarative element segment {}", index));
    if ((flags & 3) == 2 && table != 0)
      use(Feature::ReferenceTypes, fmt::format("element segment {} for table {}", index, table));
    // The other encodings bulk-memory introduced; wabt 1.0.32 accepts them with every feature off, MVP
    // engines do not.
    if ((flags & 3) == 2 && table == 0)
      use(Feature::BulkMemory, fmt::format("element segment {} with an explicit table index", index));
    if ((flags & 4) && (flags & 3) == 0)
      use(Feature::BulkMemory, fmt::format("element segment {} in expression form", index));
    return Result::Ok;
  }
  Result BeginDataSegment(Index index, Index, uint8_t flags) override {
    if (flags & 1)
      use(Feature::BulkMemory, fmt::format("passive data segment {}", index));
    else if (flags != 0)
      use(Feature::BulkMemory, fmt::format("data segment {} with an explicit memory index", index));
    return Result::Ok;
  }
  Result OnDataSegmentCount(Index count) override {
    return limit(count, limits_.max_data_segments, "data segments");
  }
  Result OnDataCount(Index) override {
    use(Feature::BulkMemory, "DataCount section (id 12)");
    return Result::Ok;
  }

  Result BeginFunctionBody(Index index, Offset size) override {
    if (size > limits_.max_function_body_bytes)
      return limit(size, limits_.max_function_body_bytes,
                   fmt::format("bytes in the body of function {}", index));
    current_func_ = index;
    locals_ = 0;
    frames_.assign(1, Frame::Function);
    out_.bodies.push_back({index, state->offset, size});
    return Result::Ok;
  }
  Result OnLocalDecl(Index, Index count, wabt::Type type) override {
    locals_ += count;
    if (locals_ > limits_.max_locals_per_function)
      return limit(locals_, limits_.max_locals_per_function,
                   fmt::format("locals in function {}", current_func_.value_or(0)));
    value_type(type, "local");
    return Result::Ok;
  }
  Result EndFunctionBody(Index) override {
    current_func_.reset();
    return Result::Ok;
  }

  Result OnOpcode(wabt::Opcode op) override {
    // wabt reports opcodes it does not know as values past Opcode::Invalid (and then fails the read):
    // they index nothing in our table.
    if (static_cast<uint32_t>(op) >= wabt::Opcode::Invalid) return Result::Ok;
    size_t len = op.HasPrefix() ? 1 + leb_length(op.GetCode()) : 1;
    opcode_end_ = state->offset;
    opcode_start_ = state->offset >= len ? state->offset - len : 0;
    if (current_func_ && frames_.empty())
      return structure_error("instruction after the end of the function body");
    const auto& table = opcode_feature_table();
    if (auto f = table[op]) use(*f, op.GetName(), opcode_start_);
    return Result::Ok;
  }
  // Control structure. wabt's IR builder reports mismatched else/catch/end without an offset, so the
  // scan checks nesting itself and points at the opcode.
  Result OnBlockExpr(wabt::Type sig) override { return open(Frame::Block, sig, "block"); }
  Result OnLoopExpr(wabt::Type sig) override { return open(Frame::Block, sig, "loop"); }
  Result OnIfExpr(wabt::Type sig) override { return open(Frame::If, sig, "if"); }
  Result OnTryExpr(wabt::Type sig) override { return open(Frame::Try, sig, "try"); }
  Result OnElseExpr() override {
    if (frames_.empty() || frames_.back() != Frame::If) return structure_error("else without a matching if");
    frames_.back() = Frame::Else;
    return Result::Ok;
  }
  Result OnCatchExpr(Index) override { return in_try("catch"); }
  Result OnCatchAllExpr() override { return in_try("catch_all"); }
  Result OnDelegateExpr(Index) override {
    if (frames_.empty() || frames_.back() != Frame::Try)
      return structure_error("delegate outside a try block");
    frames_.pop_back();  // delegate ends the try
    return Result::Ok;
  }
  Result OnEndExpr() override {
    if (!current_func_) return Result::Ok;  // the end of a constant expression (global init, offsets)
    if (frames_.empty()) return structure_error("end without an open block");
    frames_.pop_back();
    return Result::Ok;
  }
  Result OnCallIndirectExpr(Index, Index table_index) override {
    ++out_.call_indirect_count;
    // MVP encodes the table immediate as the single byte 0x00. LLVM with reference-types emits a padded
    // 5-byte LEB (for relocations) that pre-2021 engines reject, even for table 0.
    uint32_t type_index = 0;
    size_t type_len = wabt::ReadU32Leb128(data_ + opcode_end_, data_ + size_, &type_index);
    uint64_t table_bytes = state->offset - (opcode_end_ + type_len);
    if (table_index != 0 || table_bytes != 1) {
      ++out_.call_indirect_reftypes_encoding;
      use(Feature::ReferenceTypes,
          table_index != 0 ? fmt::format("call_indirect on table {}", table_index)
                           : fmt::format("call_indirect table index encoded in {} bytes", table_bytes),
          opcode_start_);
    }
    return Result::Ok;
  }
  Result OnSelectExpr(Index result_count, wabt::Type*) override {
    if (result_count > 0) use(Feature::ReferenceTypes, "typed select", opcode_start_);
    return Result::Ok;
  }

 private:
  Result limit(uint64_t value, uint64_t max, const std::string& what) {
    if (value <= max) return Result::Ok;
    diags_.error(
        ErrorKind::InvalidInput, Location::binary(file_, state ? state->offset : 0),
        fmt::format("module declares {} {}, more than the limit of {}", value, what, max),
        "no device engine accepts this module (the WebAssembly JS API limits); is the file corrupt?");
    failed_ = true;
    return Result::Error;
  }

  Result table(wabt::Type elem, const wabt::Limits* lim, const std::string& what) {
    if (++tables_ > 1) use(Feature::ReferenceTypes, fmt::format("{}: more than one table", what));
    if (elem != wabt::Type::FuncRef)
      use(Feature::ReferenceTypes, fmt::format("{} of {}", what, elem.GetName()));
    if (lim->is_64) use(Feature::Memory64, what);
    return limit(lim->initial, limits_.max_table_size, "initial table elements");
  }

  Result memory(const wabt::Limits* lim, const std::string& what) {
    if (++memories_ > 1) use(Feature::MultiMemory, fmt::format("{}: more than one memory", what));
    if (lim->is_shared) use(Feature::Threads, fmt::format("shared {}", what));
    if (lim->is_64) use(Feature::Memory64, fmt::format("64-bit {}", what));
    if (!lim->is_64) return limit(lim->initial, limits_.max_memory_pages, "initial memory pages");
    return Result::Ok;
  }

  void value_type(wabt::Type t, const std::string& where) {
    if (t == wabt::Type::V128) use(Feature::Simd, fmt::format("v128 value in {}", where));
    if (t == wabt::Type::FuncRef || t == wabt::Type::ExternRef)
      use(Feature::ReferenceTypes, fmt::format("{} value in {}", t.GetName(), where));
    if (t == wabt::Type::Reference)
      use(Feature::TypedFunctionReferences, fmt::format("typed reference in {}", where));
  }

  enum class Frame { Function, Block, If, Else, Try, Catch };

  Result open(Frame f, wabt::Type sig, const char* what) {
    if (sig.IsIndex())
      use(Feature::Multivalue, fmt::format("{} with type index {}", what, sig.GetIndex()), opcode_start_);
    frames_.push_back(f);
    return Result::Ok;
  }

  Result in_try(const char* what) {
    if (frames_.empty() || (frames_.back() != Frame::Try && frames_.back() != Frame::Catch))
      return structure_error(fmt::format("{} outside a try block", what));
    frames_.back() = Frame::Catch;
    return Result::Ok;
  }

  Result structure_error(const std::string& message) {
    diags_.error(ErrorKind::InvalidInput, Location::binary(file_, opcode_start_),
                 fmt::format("{} in function {}", message, current_func_.value_or(0)),
                 "the module is malformed; rebuild it, or check it with `wasm-validate`");
    failed_ = true;
    return Result::Error;
  }

  void set_global_mutability(Index index, bool mutable_) {
    if (index >= global_mutable_.size()) global_mutable_.resize(index + 1, false);
    global_mutable_[index] = mutable_;
  }

  void use(Feature f, const std::string& what, std::optional<uint64_t> at = std::nullopt) {
    auto& u = uses_[f];
    if (u.count++ == 0) {
      u.feature = f;
      u.first_offset = at ? *at : (state ? state->offset : 0);
      u.first_func = current_func_;
      u.first_what = what;
    }
  }

 public:
  std::map<Feature, FeatureUse> uses_;

 private:
  const std::string& file_;
  const uint8_t* data_;
  size_t size_;
  const ModuleLimits& limits_;
  ScanResult& out_;
  Diagnostics& diags_;
  std::vector<wabt::Error> errors_;
  std::vector<bool> global_mutable_;
  std::optional<uint32_t> current_func_;
  std::vector<Frame> frames_;  ///< open control structures of the current function
  uint64_t locals_ = 0;
  uint64_t opcode_start_ = 0;
  uint64_t opcode_end_ = 0;
  int tables_ = 0;
  int memories_ = 0;
  bool failed_ = false;
};

}  // namespace

const FeatureUse* ScanResult::use_of(Feature f) const {
  for (const auto& u : features)
    if (u.feature == f) return &u;
  return nullptr;
}

FeatureSet ScanResult::used() const {
  FeatureSet s;
  for (const auto& u : features) s.add(u.feature);
  return s;
}

std::optional<uint32_t> ScanResult::function_at(uint64_t offset) const {
  auto it = std::upper_bound(bodies.begin(), bodies.end(), offset,
                             [](uint64_t off, const FunctionBody& b) { return off < b.offset; });
  if (it == bodies.begin()) return std::nullopt;
  --it;
  if (offset < it->offset + it->size) return it->func_index;
  return std::nullopt;
}

std::optional<ScanResult> scan_module(const std::string& file, const uint8_t* data, size_t size,
                                      const ModuleLimits& limits, Diagnostics& diags) {
  if (size > limits.max_module_bytes) {
    diags.error(ErrorKind::InvalidInput, Location::file_only(file),
                fmt::format("module is {} bytes, more than the limit of {}", size, limits.max_module_bytes));
    return std::nullopt;
  }
  ScanResult out;
  Scanner scanner(file, data, size, limits, out, diags);
  wabt::ReadBinaryOptions options(all_wabt_features(), nullptr, /*read_debug_names=*/false,
                                  /*stop_on_first_error=*/true, /*fail_on_custom_section_error=*/false);
  Result r = wabt::ReadBinary(data, size, &scanner, options);
  if (scanner.failed()) return std::nullopt;  // our own limit; already reported
  if (wabt::Failed(r)) {
    bool reported = false;
    for (const auto& e : scanner.errors()) {
      if (e.error_level != wabt::ErrorLevel::Error) continue;
      // wabt marks some errors with an invalid offset; never print a bogus place.
      Location where =
          e.loc.offset <= size ? Location::binary(file, e.loc.offset) : Location::file_only(file);
      diags.error(ErrorKind::InvalidInput, where, e.message,
                  "the module is malformed; rebuild it, or check it with `wasm-validate`");
      reported = true;
      break;
    }
    if (!reported)
      diags.error(ErrorKind::InvalidInput, Location::file_only(file), "cannot read the module",
                  "rebuild it, or check it with `wasm-validate`");
    return std::nullopt;
  }
  for (auto& [f, u] : scanner.uses_) out.features.push_back(u);
  return out;
}

}  // namespace fleetpack
