#include "base/module_reader.h"

#include <algorithm>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>
#include <wabt/binary-reader-nop.h>
#include <wabt/binary-reader.h>
#include <wabt/ir.h>
#include <wabt/leb128.h>
#include <wabt/shared-validator.h>

#include "base/wasm_module.h"

namespace fleetpack {

namespace {

using wabt::Address;
using wabt::Index;
using wabt::Opcode;
using wabt::Result;
using wabt::Type;
using wabt::Var;

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

struct Signature {
  std::vector<Type> params, results;
};

std::string signature_text(const Signature& sig) {
  std::string s = "(";
  for (size_t i = 0; i < sig.params.size(); ++i) s += (i ? ", " : "") + std::string(sig.params[i].GetName());
  s += ") -> ";
  if (sig.results.empty()) return s + "nil";
  if (sig.results.size() == 1) return s + sig.results[0].GetName();
  s += "(";
  for (size_t i = 0; i < sig.results.size(); ++i)
    s += (i ? ", " : "") + std::string(sig.results[i].GetName());
  return s + ")";
}

/// The number of segments in the data section, 0 when there is none or it cannot be found (the read then
/// fails anyway). wabt's IR validator tells SharedValidator this count before the code section, whether or
/// not a DataCount section declares it; a streaming read has not seen the data section yet at that point.
Index count_data_segments(const Bytes& b) {
  const uint8_t* end = b.data() + b.size();
  size_t p = 8;
  while (p < b.size()) {
    const uint8_t id = b[p++];
    uint32_t size = 0;
    size_t n = wabt::ReadU32Leb128(b.data() + p, end, &size);
    if (n == 0) return 0;
    p += n;
    if (size > b.size() - p) return 0;
    if (id == static_cast<uint8_t>(wabt::BinarySection::Data)) {
      uint32_t count = 0;
      return wabt::ReadU32Leb128(b.data() + p, b.data() + p + size, &count) ? count : 0;
    }
    p += size;
  }
  return 0;
}

/// Drives wabt's SharedValidator with the calls wabt's IR validator (validator.cc) makes, at the offsets
/// wabt's IR records: an instruction's offset is where the reader stands after its immediates, a function
/// body's is where its local declarations start, a section entry's where the reader stands when it is
/// announced. Where the IR validator's order differs from the binary's (tags are validated after the
/// globals; an `if` whose `else` branch is empty has no else in the IR; the implicit end of a function or
/// a constant expression is no instruction), the calls follow the IR. Validation stops at the first error
/// (only the first is reported); reading goes on, because a reading error later in the file is what
/// ReadBinaryIr reports (the IR validator never runs on a module that does not read).
class ValidatingReader : public wabt::BinaryReaderNop {
 public:
  ValidatingReader(const wabt::Features& features, Index data_segments, WasmModule* m)
      : validator_(&validation_errors_, wabt::ValidateOptions(features)),
        data_segments_(data_segments),
        m_(m) {}

  const wabt::Errors& read_errors() const { return read_errors_; }
  const wabt::Errors& validation_errors() const { return validation_errors_; }
  bool validation_failed() const { return failed_; }
  const wabt::Location& validation_failed_at() const { return failed_at_; }

  bool OnError(const wabt::Error& e) override {
    read_errors_.push_back(e);
    return true;
  }

  // Sections.
  Result BeginSection(Index, wabt::BinarySection section, wabt::Offset) override {
    // The IR validator checks tags after the globals; in the binary the tag section comes before them.
    if (section != wabt::BinarySection::Tag && section != wabt::BinarySection::Global &&
        section != wabt::BinarySection::Custom)
      flush_tags();
    return Result::Ok;
  }
  Result EndModule() override {
    flush_tags();
    if (valid()) check(validator_.EndModule());
    return Result::Ok;
  }

  // Types, imports and definitions.
  Result OnFuncType(Index index, Index param_count, Type* params, Index result_count,
                    Type* results) override {
    const wabt::Location l = loc();
    if (valid()) check(validator_.OnFuncType(l, param_count, params, result_count, results, index));
    if (m_) types_.push_back({{params, params + param_count}, {results, results + result_count}});
    return Result::Ok;
  }
  Result OnImportFunc(Index, std::string_view module, std::string_view field, Index, Index sig) override {
    const wabt::Location l = loc();
    if (valid()) check(validator_.OnFunction(l, Var(sig, l)));
    if (m_) {
      ++m_->func_import_count;
      add_function(sig);
      std::string type = sig < types_.size() ? "func " + signature_text(types_[sig]) : "func";
      m_->imports.push_back({std::string(module), std::string(field), ExternKind::Func, std::move(type)});
    }
    return Result::Ok;
  }
  Result OnImportTable(Index, std::string_view module, std::string_view field, Index, Type elem_type,
                       const wabt::Limits* limits) override {
    const wabt::Location l = loc();
    if (valid()) check(validator_.OnTable(l, elem_type, *limits));
    if (m_) {
      m_->tables.push_back({elem_type.GetName(), to_limits(*limits), true, {}});
      m_->imports.push_back(
          {std::string(module), std::string(field), ExternKind::Table,
           fmt::format("table {} {}", elem_type.GetName(), limits_text(m_->tables.back().elements))});
    }
    return Result::Ok;
  }
  Result OnImportMemory(Index, std::string_view module, std::string_view field, Index,
                        const wabt::Limits* limits) override {
    const wabt::Location l = loc();
    if (valid()) check(validator_.OnMemory(l, *limits));
    memory_is64_.push_back(limits->is_64);
    if (m_) {
      m_->memories.push_back({to_limits(*limits), true, {}});
      m_->imports.push_back({std::string(module), std::string(field), ExternKind::Memory,
                             "memory " + limits_text(m_->memories.back().pages)});
    }
    return Result::Ok;
  }
  Result OnImportGlobal(Index, std::string_view module, std::string_view field, Index, Type type,
                        bool mutable_) override {
    const wabt::Location l = loc();
    if (valid()) check(validator_.OnGlobalImport(l, type, mutable_));
    if (m_) {
      m_->globals.push_back({type.GetName(), mutable_, true, {}});
      m_->imports.push_back({std::string(module), std::string(field), ExternKind::Global,
                             fmt::format("global {}{}", mutable_ ? "mut " : "", type.GetName())});
    }
    return Result::Ok;
  }
  Result OnImportTag(Index, std::string_view module, std::string_view field, Index, Index sig) override {
    const wabt::Location l = loc();
    if (valid()) check(validator_.OnTag(l, Var(sig, l)));  // imports are checked in the import phase
    ++tag_count_;
    if (m_) m_->imports.push_back({std::string(module), std::string(field), ExternKind::Tag, "tag"});
    return Result::Ok;
  }
  Result OnFunction(Index, Index sig) override {
    const wabt::Location l = loc();
    if (valid()) check(validator_.OnFunction(l, Var(sig, l)));
    if (m_) add_function(sig);
    return Result::Ok;
  }
  Result OnTable(Index, Type elem_type, const wabt::Limits* limits) override {
    const wabt::Location l = loc();
    if (valid()) check(validator_.OnTable(l, elem_type, *limits));
    if (m_) m_->tables.push_back({elem_type.GetName(), to_limits(*limits), false, {}});
    return Result::Ok;
  }
  Result OnMemory(Index, const wabt::Limits* limits) override {
    const wabt::Location l = loc();
    if (valid()) check(validator_.OnMemory(l, *limits));
    memory_is64_.push_back(limits->is_64);
    if (m_) m_->memories.push_back({to_limits(*limits), false, {}});
    return Result::Ok;
  }
  Result BeginGlobal(Index, Type type, bool mutable_) override {
    const wabt::Location l = loc();
    if (valid()) check(validator_.OnGlobal(l, type, mutable_));
    entry_loc_ = l;
    global_type_ = type;
    if (m_) m_->globals.push_back({type.GetName(), mutable_, false, {}});
    return Result::Ok;
  }
  Result BeginGlobalInitExpr(Index) override { return begin_init_expr(global_type_); }
  Result EndGlobalInitExpr(Index) override { return end_init_expr(); }
  Result OnTagType(Index, Index sig) override {
    pending_tags_.push_back({loc(), sig});
    ++tag_count_;
    return Result::Ok;
  }
  Result OnExport(Index, wabt::ExternalKind kind, Index item, std::string_view name) override {
    const wabt::Location l = loc();
    if (valid()) check(validator_.OnExport(l, kind, Var(item, l), name));
    if (m_) {
      auto mark = [&](auto& list) {
        if (item < list.size()) list[item].exported_as.push_back(std::string(name));
      };
      if (kind == wabt::ExternalKind::Memory) mark(m_->memories);
      if (kind == wabt::ExternalKind::Table) mark(m_->tables);
      if (kind == wabt::ExternalKind::Global) mark(m_->globals);
      m_->exports.push_back({std::string(name), to_kind(kind), item});
    }
    return Result::Ok;
  }
  Result OnStartFunction(Index func) override {
    const wabt::Location l = loc();
    if (valid()) check(validator_.OnStart(l, Var(func, l)));
    return Result::Ok;
  }

  // Segments. (The IR validator checks an element segment's type before its offset expression; the
  // binary has it after. For segments whose type is implied that makes no difference; for the others only
  // the choice between two errors in one segment could.)
  Result BeginElemSegment(Index, Index table, uint8_t flags) override {
    const wabt::Location l = loc();
    entry_loc_ = l;
    wabt::SegmentKind kind = (flags & wabt::SegDeclared) == wabt::SegDeclared ? wabt::SegmentKind::Declared
                             : (flags & wabt::SegPassive)                     ? wabt::SegmentKind::Passive
                                                                              : wabt::SegmentKind::Active;
    if (valid()) check(validator_.OnElemSegment(l, Var(table, l), kind));
    ++elem_count_;
    if (m_) ++m_->elem_segment_count;
    return Result::Ok;
  }
  Result BeginElemSegmentInitExpr(Index) override { return begin_init_expr(Type::I32); }
  Result EndElemSegmentInitExpr(Index) override { return end_init_expr(); }
  Result OnElemSegmentElemType(Index, Type elem_type) override {
    if (valid()) check(validator_.OnElemSegmentElemType(entry_loc_, elem_type));
    return Result::Ok;
  }
  Result OnElemSegmentElemExpr_RefNull(Index, Type type) override {
    const wabt::Location l = loc();
    if (valid()) check(validator_.OnElemSegmentElemExpr_RefNull(l, type));
    return Result::Ok;
  }
  Result OnElemSegmentElemExpr_RefFunc(Index, Index func) override {
    const wabt::Location l = loc();
    if (valid()) check(validator_.OnElemSegmentElemExpr_RefFunc(l, Var(func, l)));
    return Result::Ok;
  }
  Result BeginDataSegment(Index, Index memory, uint8_t flags) override {
    const wabt::Location l = loc();
    entry_loc_ = l;
    data_memory_ = memory;
    const bool passive = (flags & wabt::SegPassive) == wabt::SegPassive;
    if (valid())
      check(validator_.OnDataSegment(l, Var(memory, l),
                                     passive ? wabt::SegmentKind::Passive : wabt::SegmentKind::Active));
    ++data_count_;
    if (m_) m_->data_segments.push_back({passive, 0});
    return Result::Ok;
  }
  Result BeginDataSegmentInitExpr(Index) override {
    const bool is64 = data_memory_ < memory_is64_.size() && memory_is64_[data_memory_];
    return begin_init_expr(is64 ? Type::I64 : Type::I32);
  }
  Result EndDataSegmentInitExpr(Index) override { return end_init_expr(); }
  Result OnDataSegmentData(Index, const void*, Address size) override {
    if (m_ && !m_->data_segments.empty()) m_->data_segments.back().size = size;
    return Result::Ok;
  }

  // Code.
  Result BeginCodeSection(wabt::Offset) override {
    if (valid()) validator_.OnDataCount(data_segments_);
    return Result::Ok;
  }
  Result BeginFunctionBody(Index index, wabt::Offset) override {
    body_start_ = loc();
    last_top_level_ = body_start_;
    frames_.assign(1, Frame::Function);
    try_locs_.clear();
    in_function_ = true;
    current_func_ = index;
    if (valid()) check(validator_.BeginFunctionBody(body_start_, index));
    return Result::Ok;
  }
  Result OnLocalDecl(Index, Index count, Type type) override {
    if (count == 0) return Result::Ok;  // the IR keeps no empty declarations
    if (valid()) check(validator_.OnLocalDecl(body_start_, count, type));
    if (m_ && current_func_ < func_locals_.size()) func_locals_[current_func_] += count;
    return Result::Ok;
  }
  Result EndFunctionBody(Index) override {
    // The IR has no instruction for the final `end`: the function's result is checked at its last
    // top-level instruction (or at the body's start when it has none).
    if (valid()) check(validator_.EndFunctionBody(last_top_level_));
    in_function_ = false;
    frames_.clear();
    return Result::Ok;
  }

  Result OnOpcode(Opcode op) override {
    // An `else` whose branch has an instruction is an else in the IR; an empty one is not.
    if (else_pending_ && op != Opcode::End) {
      else_pending_ = false;
      if (valid()) check(validator_.OnElse(else_loc_));
    }
    return Result::Ok;
  }
  Result OnBlockExpr(Type sig) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnBlock(l, sig));
    frames_.push_back(Frame::Block);
    return Result::Ok;
  }
  Result OnLoopExpr(Type sig) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnLoop(l, sig));
    frames_.push_back(Frame::Block);
    return Result::Ok;
  }
  Result OnIfExpr(Type sig) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnIf(l, sig));
    frames_.push_back(Frame::If);
    return Result::Ok;
  }
  Result OnTryExpr(Type sig) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnTry(l, sig));
    frames_.push_back(Frame::Try);
    try_locs_.push_back(l);
    return Result::Ok;
  }
  Result OnElseExpr() override {
    if (frames_.empty() || frames_.back() != Frame::If) return structure_error("else without a matching if");
    frames_.back() = Frame::Else;
    else_pending_ = true;
    else_loc_ = loc();
    return Result::Ok;
  }
  Result OnCatchExpr(Index tag) override {
    if (!in_try()) return structure_error("catch outside a try block");
    const wabt::Location l = loc();
    if (valid()) check(validator_.OnCatch(l, Var(tag, l), false));
    return Result::Ok;
  }
  Result OnCatchAllExpr() override {
    if (!in_try()) return structure_error("catch_all outside a try block");
    const wabt::Location l = loc();
    if (valid()) check(validator_.OnCatch(l, Var(), true));
    return Result::Ok;
  }
  Result OnDelegateExpr(Index depth) override {
    if (frames_.size() < 2 || frames_.back() != Frame::Try)
      return structure_error("delegate outside a try block");
    // wabt's IR keeps the delegate in its try: checked at the try's place.
    const wabt::Location l = loc();
    if (valid()) check(validator_.OnDelegate(try_locs_.back(), Var(depth, l)));
    frames_.pop_back();  // delegate ends its try
    try_locs_.pop_back();
    return Result::Ok;
  }
  Result OnEndExpr() override {
    if (frames_.empty()) return structure_error("end without an open block");
    if (frames_.size() == 1) {  // the end of a function body or a constant expression: no instruction
      frames_.pop_back();
      return Result::Ok;
    }
    wabt::Location l = loc();
    if (else_pending_) {  // `if ... else end`: the IR has an if without else, ending where else stood
      else_pending_ = false;
      l = else_loc_;
    }
    if (valid()) check(validator_.OnEnd(l));
    if (frames_.back() == Frame::Try || frames_.back() == Frame::Catch) try_locs_.pop_back();
    frames_.pop_back();
    return Result::Ok;
  }

  Result OnBrExpr(Index depth) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnBr(l, Var(depth, l)));
    return Result::Ok;
  }
  Result OnBrIfExpr(Index depth) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnBrIf(l, Var(depth, l)));
    return Result::Ok;
  }
  Result OnBrTableExpr(Index count, Index* depths, Index default_depth) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (!valid()) return Result::Ok;
    check(validator_.BeginBrTable(l));
    for (Index i = 0; i < count && valid(); ++i) check(validator_.OnBrTableTarget(l, Var(depths[i], l)));
    if (valid()) check(validator_.OnBrTableTarget(l, Var(default_depth, l)));
    if (valid()) check(validator_.EndBrTable(l));
    return Result::Ok;
  }
  Result OnCallExpr(Index func) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnCall(l, Var(func, l)));
    return Result::Ok;
  }
  Result OnCallIndirectExpr(Index sig, Index table) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnCallIndirect(l, Var(sig, l), Var(table, l)));
    return Result::Ok;
  }
  Result OnReturnCallExpr(Index func) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnReturnCall(l, Var(func, l)));
    return Result::Ok;
  }
  Result OnReturnCallIndirectExpr(Index sig, Index table) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnReturnCallIndirect(l, Var(sig, l), Var(table, l)));
    return Result::Ok;
  }
  Result OnReturnExpr() override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnReturn(l));
    return Result::Ok;
  }
  Result OnUnreachableExpr() override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnUnreachable(l));
    return Result::Ok;
  }
  Result OnNopExpr() override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnNop(l));
    return Result::Ok;
  }
  Result OnDropExpr() override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnDrop(l));
    return Result::Ok;
  }
  Result OnSelectExpr(Index count, Type* types) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnSelect(l, count, types));
    return Result::Ok;
  }
  Result OnThrowExpr(Index tag) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnThrow(l, Var(tag, l)));
    return Result::Ok;
  }
  Result OnRethrowExpr(Index depth) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnRethrow(l, Var(depth, l)));
    return Result::Ok;
  }

  Result OnUnaryExpr(Opcode op) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnUnary(l, op));
    return Result::Ok;
  }
  Result OnBinaryExpr(Opcode op) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnBinary(l, op));
    return Result::Ok;
  }
  Result OnCompareExpr(Opcode op) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnCompare(l, op));
    return Result::Ok;
  }
  Result OnConvertExpr(Opcode op) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnConvert(l, op));
    return Result::Ok;
  }
  Result OnTernaryExpr(Opcode op) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnTernary(l, op));
    return Result::Ok;
  }
  Result OnI32ConstExpr(uint32_t) override { return constant(Type::I32); }
  Result OnI64ConstExpr(uint64_t) override { return constant(Type::I64); }
  Result OnF32ConstExpr(uint32_t) override { return constant(Type::F32); }
  Result OnF64ConstExpr(uint64_t) override { return constant(Type::F64); }
  Result OnV128ConstExpr(::v128) override { return constant(Type::V128); }

  Result OnLocalGetExpr(Index i) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnLocalGet(l, Var(i, l)));
    return Result::Ok;
  }
  Result OnLocalSetExpr(Index i) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnLocalSet(l, Var(i, l)));
    return Result::Ok;
  }
  Result OnLocalTeeExpr(Index i) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnLocalTee(l, Var(i, l)));
    return Result::Ok;
  }
  Result OnGlobalGetExpr(Index i) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnGlobalGet(l, Var(i, l)));
    return Result::Ok;
  }
  Result OnGlobalSetExpr(Index i) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnGlobalSet(l, Var(i, l)));
    return Result::Ok;
  }

  Result OnLoadExpr(Opcode op, Index mem, Address align_log2, Address) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnLoad(l, op, Var(mem, l), alignment(align_log2)));
    return Result::Ok;
  }
  Result OnStoreExpr(Opcode op, Index mem, Address align_log2, Address) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnStore(l, op, Var(mem, l), alignment(align_log2)));
    return Result::Ok;
  }
  Result OnMemorySizeExpr(Index mem) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnMemorySize(l, Var(mem, l)));
    return Result::Ok;
  }
  Result OnMemoryGrowExpr(Index mem) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnMemoryGrow(l, Var(mem, l)));
    return Result::Ok;
  }
  Result OnMemoryFillExpr(Index mem) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnMemoryFill(l, Var(mem, l)));
    return Result::Ok;
  }
  Result OnMemoryCopyExpr(Index src, Index dest) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnMemoryCopy(l, Var(src, l), Var(dest, l)));
    return Result::Ok;
  }
  Result OnMemoryInitExpr(Index segment, Index mem) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnMemoryInit(l, Var(segment, l), Var(mem, l)));
    return Result::Ok;
  }
  Result OnDataDropExpr(Index segment) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnDataDrop(l, Var(segment, l)));
    return Result::Ok;
  }

  Result OnTableGetExpr(Index table) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnTableGet(l, Var(table, l)));
    return Result::Ok;
  }
  Result OnTableSetExpr(Index table) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnTableSet(l, Var(table, l)));
    return Result::Ok;
  }
  Result OnTableGrowExpr(Index table) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnTableGrow(l, Var(table, l)));
    return Result::Ok;
  }
  Result OnTableSizeExpr(Index table) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnTableSize(l, Var(table, l)));
    return Result::Ok;
  }
  Result OnTableFillExpr(Index table) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnTableFill(l, Var(table, l)));
    return Result::Ok;
  }
  Result OnTableCopyExpr(Index dst, Index src) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnTableCopy(l, Var(dst, l), Var(src, l)));
    return Result::Ok;
  }
  Result OnTableInitExpr(Index segment, Index table) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnTableInit(l, Var(segment, l), Var(table, l)));
    return Result::Ok;
  }
  Result OnElemDropExpr(Index segment) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnElemDrop(l, Var(segment, l)));
    return Result::Ok;
  }
  Result OnRefFuncExpr(Index func) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnRefFunc(l, Var(func, l)));
    return Result::Ok;
  }
  Result OnRefNullExpr(Type type) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnRefNull(l, type));
    return Result::Ok;
  }
  Result OnRefIsNullExpr() override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnRefIsNull(l));
    return Result::Ok;
  }

  Result OnAtomicLoadExpr(Opcode op, Index mem, Address align_log2, Address) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnAtomicLoad(l, op, Var(mem, l), alignment(align_log2)));
    return Result::Ok;
  }
  Result OnAtomicStoreExpr(Opcode op, Index mem, Address align_log2, Address) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnAtomicStore(l, op, Var(mem, l), alignment(align_log2)));
    return Result::Ok;
  }
  Result OnAtomicRmwExpr(Opcode op, Index mem, Address align_log2, Address) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnAtomicRmw(l, op, Var(mem, l), alignment(align_log2)));
    return Result::Ok;
  }
  Result OnAtomicRmwCmpxchgExpr(Opcode op, Index mem, Address align_log2, Address) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnAtomicRmwCmpxchg(l, op, Var(mem, l), alignment(align_log2)));
    return Result::Ok;
  }
  Result OnAtomicWaitExpr(Opcode op, Index mem, Address align_log2, Address) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnAtomicWait(l, op, Var(mem, l), alignment(align_log2)));
    return Result::Ok;
  }
  Result OnAtomicNotifyExpr(Opcode op, Index mem, Address align_log2, Address) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnAtomicNotify(l, op, Var(mem, l), alignment(align_log2)));
    return Result::Ok;
  }
  Result OnAtomicFenceExpr(uint32_t consistency_model) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnAtomicFence(l, consistency_model));
    return Result::Ok;
  }

  Result OnSimdLaneOpExpr(Opcode op, uint64_t lane) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnSimdLaneOp(l, op, lane));
    return Result::Ok;
  }
  Result OnSimdShuffleOpExpr(Opcode op, ::v128 lanes) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnSimdShuffleOp(l, op, lanes));
    return Result::Ok;
  }
  Result OnSimdLoadLaneExpr(Opcode op, Index mem, Address align_log2, Address, uint64_t lane) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnSimdLoadLane(l, op, Var(mem, l), alignment(align_log2), lane));
    return Result::Ok;
  }
  Result OnSimdStoreLaneExpr(Opcode op, Index mem, Address align_log2, Address, uint64_t lane) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnSimdStoreLane(l, op, Var(mem, l), alignment(align_log2), lane));
    return Result::Ok;
  }
  Result OnLoadSplatExpr(Opcode op, Index mem, Address align_log2, Address) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnLoadSplat(l, op, Var(mem, l), alignment(align_log2)));
    return Result::Ok;
  }
  Result OnLoadZeroExpr(Opcode op, Index mem, Address align_log2, Address) override {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnLoadZero(l, op, Var(mem, l), alignment(align_log2)));
    return Result::Ok;
  }

  // Names (read only with `describe`). The checks are those of wabt's IR reader, whose failures are
  // warnings here as there (a name section is a custom section: a broken one does not make the module
  // invalid); the IR reader gives them no offset, here they have the reader's.
  Result OnFunctionNamesCount(Index count) override {
    if (!m_ || count <= func_sigs_.size()) return Result::Ok;
    return name_error(
        fmt::format("expected function name count ({}) <= function count ({})", count, func_sigs_.size()));
  }
  Result OnFunctionName(Index index, std::string_view name) override {
    return m_ ? set_function_name(index, name) : Result(Result::Ok);
  }
  Result OnFunctionSymbol(Index, uint32_t, std::string_view name, Index func) override {
    // A linking section's symbols name the functions the name section left unnamed.
    if (!m_) return Result::Ok;
    if (!name.empty() && func < func_sigs_.size() && !m_->func_names[func].empty()) return Result::Ok;
    return set_function_name(func, name);
  }
  Result OnLocalNameLocalCount(Index func, Index count) override {
    if (!m_ || func >= func_sigs_.size()) return Result::Ok;  // the reader checks the index itself
    const Index sig = func_sigs_[func];
    const Index locals =
        (sig < types_.size() ? static_cast<Index>(types_[sig].params.size()) : 0) + func_locals_[func];
    if (count <= locals) return Result::Ok;
    return name_error(fmt::format("expected local name count ({}) <= local count ({})", count, locals));
  }
  Result OnNameEntry(wabt::NameSectionSubsection type, Index index, std::string_view name) override {
    using S = wabt::NameSectionSubsection;
    if (!m_ || name.empty()) return Result::Ok;
    auto check = [&](size_t count, const char* what) {
      if (index >= count) name_error(fmt::format("invalid {} index: {}", what, index));
    };
    switch (type) {
      case S::Type:
        check(types_.size(), "type");
        break;
      case S::Global:
        check(m_->globals.size(), "global");
        break;
      case S::Table:
        check(m_->tables.size(), "table");
        break;
      case S::Memory:
        check(m_->memories.size(), "memory");
        break;
      case S::DataSegment:
        check(data_count_, "data segment");
        break;
      case S::ElemSegment:
        check(elem_count_, "elem segment");
        break;
      case S::Tag:
        check(tag_count_, "tag");
        break;
      default:
        break;
    }
    return Result::Ok;  // as wabt's IR reader: the name is dropped, the section read on
  }

 private:
  bool valid() const { return !failed_; }
  /// SharedValidator sometimes fails without a message (wabt 1.0.32: ref.is_null on an empty stack):
  /// failing is what counts.
  void check(Result r) {
    if (wabt::Failed(r) && !failed_) {
      failed_ = true;
      failed_at_ = loc();
    }
  }

  wabt::Location loc() const {
    wabt::Location l;
    l.offset = state->offset;
    return l;
  }
  /// The location of an instruction, false (after reporting it) when it comes after the end of its
  /// function. Remembers the last one at a function's top level (see EndFunctionBody).
  bool instr(wabt::Location& l) {
    l = loc();
    if (in_function_ && frames_.empty()) {
      structure_error("instruction after the end of the function body");
      return false;
    }
    if (in_function_ && frames_.size() == 1) last_top_level_ = l;
    return true;
  }

  /// An alignment from its log2 (the reader allows 0..63). wabt's IR computes it as a 32-bit shift, which
  /// wraps from 32 on (x86 takes the count mod 32): it passes alignment 2^32 as 1. Here 2^31 stands for
  /// every alignment from 2^31 up, larger than any natural one ("alignment must not be larger than natural
  /// alignment", as for any other too large one; SharedValidator takes them as 32-bit numbers), and
  /// Binaryen, which refuses them, never sees them.
  static Address alignment(Address log2) { return Address{1u << std::min<Address>(log2, 31)}; }

  Result constant(Type type) {
    wabt::Location l;
    if (!instr(l)) return Result::Error;
    if (valid()) check(validator_.OnConst(l, type));
    return Result::Ok;
  }

  Result begin_init_expr(Type type) {
    frames_.assign(1, Frame::ConstantExpression);
    try_locs_.clear();
    in_function_ = false;
    if (valid()) check(validator_.BeginInitExpr(entry_loc_, type));
    return Result::Ok;
  }
  Result end_init_expr() {
    if (valid()) check(validator_.EndInitExpr());
    frames_.clear();
    return Result::Ok;
  }

  bool in_try() {
    if (frames_.size() < 2 || (frames_.back() != Frame::Try && frames_.back() != Frame::Catch)) return false;
    frames_.back() = Frame::Catch;
    return true;
  }

  /// Broken nesting is a reading error (wabt's IR reader cannot build the tree), reported before any
  /// validation error, in the words of the streaming scan (base/wasm_scan.cpp).
  Result structure_error(const std::string& what) {
    const std::string where =
        in_function_ ? fmt::format("function {}", current_func_) : "a constant expression";
    read_errors_.emplace_back(wabt::ErrorLevel::Error, loc(), fmt::format("{} in {}", what, where));
    return Result::Error;
  }

  void flush_tags() {
    for (const auto& [l, sig] : pending_tags_)
      if (valid()) check(validator_.OnTag(l, Var(sig, l)));
    pending_tags_.clear();
  }

  void add_function(Index sig) {
    func_sigs_.push_back(sig);
    func_locals_.push_back(0);
    m_->func_names.emplace_back();
  }

  Result set_function_name(Index index, std::string_view name) {
    if (name.empty()) return Result::Ok;
    if (index >= func_sigs_.size()) return name_error(fmt::format("invalid function index: {}", index));
    // Duplicate names get a suffix, as wabt's IR reader gives them (name, name.1, name.2, ...).
    std::string unique(name);
    for (int n = 1; used_names_.count(unique); ++n) unique = fmt::format("{}.{}", name, n);
    used_names_.insert(unique);
    m_->func_names[index] = std::move(unique);
    return Result::Ok;
  }

  Result name_error(std::string message) {
    read_errors_.emplace_back(wabt::ErrorLevel::Error, loc(), message);
    return Result::Error;
  }

  wabt::Errors read_errors_;
  wabt::Errors validation_errors_;
  bool failed_ = false;
  wabt::Location failed_at_;
  wabt::SharedValidator validator_;
  const Index data_segments_;
  WasmModule* m_;

  wabt::Location entry_loc_;  ///< of the global or segment whose constant expression is read
  Type global_type_ = Type::I32;
  Index data_memory_ = 0;
  std::vector<bool> memory_is64_;
  std::vector<std::pair<wabt::Location, Index>> pending_tags_;
  Index tag_count_ = 0, elem_count_ = 0, data_count_ = 0;

  wabt::Location body_start_, last_top_level_, else_loc_;
  bool in_function_ = false, else_pending_ = false;
  /// Open control structures, the function's (or constant expression's) own first. wabt's IR reader
  /// refuses mismatched else/catch/delegate/end (with no offset): so does this reader, with one.
  enum class Frame { Function, ConstantExpression, Block, If, Else, Try, Catch };
  std::vector<Frame> frames_;
  std::vector<wabt::Location> try_locs_;  ///< of the open try blocks
  Index current_func_ = 0;

  // For `describe` only.
  std::vector<Signature> types_;
  std::vector<Index> func_sigs_;    ///< type index of every function, imports first
  std::vector<Index> func_locals_;  ///< declared locals of every function
  std::unordered_set<std::string> used_names_;
};

}  // namespace

ModuleReadResult read_module(const Bytes& bytes, const wabt::Features& features, WasmModule* describe) {
  ValidatingReader reader(features, count_data_segments(bytes), describe);
  wabt::ReadBinaryOptions options(features, nullptr, /*read_debug_names=*/describe != nullptr,
                                  /*stop_on_first_error=*/true, /*fail_on_custom_section_error=*/false);
  const Result r = wabt::ReadBinary(bytes.data(), bytes.size(), &reader, options);
  ModuleReadResult out;
  if (wabt::Failed(r)) {
    for (const auto& e : reader.read_errors())
      if (e.error_level == wabt::ErrorLevel::Error) {
        out.error = e;
        break;
      }
    if (!out.error)
      out.error = wabt::Error(wabt::ErrorLevel::Error, wabt::Location(wabt::kInvalidOffset), "");
    return out;
  }
  if (reader.validation_failed()) {
    // A failure without a message has an empty one (and the offset where it happened).
    out.error = reader.validation_errors().empty()
                    ? wabt::Error(wabt::ErrorLevel::Error, reader.validation_failed_at(), "")
                    : reader.validation_errors().front();
    return out;
  }
  out.warnings = reader.read_errors();
  return out;
}

}  // namespace fleetpack
