// base/module_reader (through load_module, validate_with_features and detect_features): wabt's validator
// without wabt's IR. Invalid modules are still refused, with the message and byte offset wabt's IR path
// (ReadBinaryIr + ValidateModule) gives; the oracle tests run that path beside ours on real modules and on
// corruptions of them, and compare errors, warnings and the described interface.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/cast.h>
#include <wabt/ir.h>
#include <wabt/validator.h>

#include "base/wabt_glue.h"
#include "base/wasm_module.h"
#include "passes/registry.h"
#include "test_util.h"

namespace fleetpack {
namespace {

using testing::load_error;
using testing::raw_module;

/// An invalid module from text (wat2wasm --no-check writes what it is given).
Bytes invalid(const std::string& text) { return testing::wat(text, "--no-check --enable-all"); }

TEST(ModuleReader, ValidationErrorsKeepMessageAndOffset) {
  // Offsets as wabt's IR path reports them: an instruction where its immediates end, a function's
  // implicit return at its last top-level instruction (at its body's start when it has none), an entry
  // of a section where the reader announces it.
  const std::pair<const char*, const char*> cases[] = {
      {"(module (func (drop (i32.add (i32.const 1) (f32.const 1)))))",
       "0x1f: error: type mismatch in i32.add, expected [i32, i32] but got [i32, f32]"},
      {"(module (func (result i32)))",
       "0x17: error: type mismatch in implicit return, expected [i32] but got []"},
      {"(module (func (result i32) nop))",
       "0x19: error: type mismatch in implicit return, expected [i32] but got []"},
      {"(module (func (result i32) (block (nop))))",
       "0x1a: error: type mismatch in implicit return, expected [i32] but got []"},
      {"(module (func (i32.const 1)))",
       "0x19: error: type mismatch at end of function, expected [] but got [i32]"},
      {"(module (func (br 3)))", "0x19: error: invalid depth: 3 (max 0)"},
      {"(module (func (block (br_table 0 5 (i32.const 0)))))", "0x1f: error: invalid depth: 5 (max 1)"},
      {"(module (func (drop (local.get 3))))", "0x19: error: local variable out of range (max 0)"},
      {"(module (func $g (param i32)) (func (call $g)))",
       "0x21: error: type mismatch in call, expected [i32] but got []"},
      // An empty else branch is no else in wabt's IR: the if ends where the else stood.
      {"(module (func (result i32) (if (result i32) (i32.const 1) (then (i32.const 1)) (else))))",
       "0x1f: error: type mismatch in `if false` branch, expected [i32] but got []"},
      {"(module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1))))",
       "0x23: error: can't global.set on immutable global at index 0."},
      {"(module (func (drop (memory.size))))", "0x19: error: memory index 0 out of range"},
      {"(module (global i32 (f32.const 1)))",
       "0x12: error: type mismatch in initializer expression, expected [i32] but got [f32]"},
      {"(module (memory i64 1) (data (i32.const 0) \"a\"))",
       "0x13: error: type mismatch in initializer expression, expected [i64] but got [i32]"},
      {"(module (data (i32.const 0) \"ab\"))", "0xc: error: no memory to copy data to"},
      {"(module (table 2 funcref) (elem (i32.const 0) 5))",
       "0x17: error: function variable out of range: 5 (max 0)"},
      {"(module (func $f) (export \"a\" (func $f)) (export \"a\" (func $f)))",
       "0x1d: error: duplicate export \"a\""},
      {"(module (func (param i32)) (start 0))", "0x16: error: start function must be nullary"},
  };
  for (const auto& [text, error] : cases)
    EXPECT_EQ(load_error(invalid(text)), std::string("t.wasm:") + error) << text;
}

TEST(ModuleReader, FailureWithoutMessageIsAnError) {
  // wabt 1.0.32's validator fails ref.is_null on an empty stack without saying why; the module must not
  // pass for valid. The place is where it failed.
  EXPECT_EQ(load_error(invalid("(module (func block end ref.is_null drop))")),
            "t.wasm:0x1b: error: the module is invalid");
  EXPECT_FALSE(
      validate_with_features(invalid("(module (func block end ref.is_null drop))"), FeatureSet::all()).ok);
}

TEST(ModuleReader, AlignmentOf2Pow32IsTooLarge) {
  // i32.load8_u with alignment log2 32: wabt's IR wraps 1 << 32 to 1 and passes it; engines and Binaryen
  // refuse it.
  Bytes b = raw_module({1,    4,  1,    0x60, 0, 0,     // type 0: () -> ()
                        3,    2,  1,    0,              // func 0: type 0
                        5,    3,  1,    0,    1,        // memory 1
                        10,   10, 1,    8,    0,        // code: 1 body of 8 bytes, no locals
                        0x41, 0,  0x2d, 32,   0, 0x1a,  // i32.const 0, i32.load8_u align=2^32, drop
                        0x0b});
  EXPECT_EQ(load_error(b), "t.wasm:0x21: error: alignment must not be larger than natural alignment (1)");
}

TEST(ModuleReader, BrokenNestingIsRefusedWithoutTheScan) {
  // validate_with_features does not run the streaming scan, which refuses these first in load_module.
  Bytes after_end = raw_module({1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0,     //
                                10, 6, 1, 4, 0, 0x0b, 0x01, 0x0b});  // end, nop, end
  RevalidateResult r = validate_with_features(after_end, FeatureSet::all());
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.message, "instruction after the end of the function body in function 0");
  Bytes else_without_if = raw_module({1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0,  //
                                      10, 5, 1, 3, 0, 0x05, 0x0b});     // else, end
  r = validate_with_features(else_without_if, FeatureSet::all());
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.message, "else without a matching if in function 0");
  EXPECT_EQ(r.offset, 0x18u);
}

TEST(ModuleReader, ValidationOnlyWithTheFeaturesGiven) {
  Bytes b = testing::wat("(module (func (result i32) (i32.extend8_s (i32.const 1))))");
  EXPECT_TRUE(validate_with_features(b, FeatureSet::all()).ok);
  FeatureSet sign_ext;
  sign_ext.add(Feature::SignExt);
  EXPECT_TRUE(validate_with_features(b, sign_ext).ok);
  RevalidateResult r = validate_with_features(b, FeatureSet());
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.message, "unexpected opcode: 0xc0");
  EXPECT_EQ(r.offset, 0x1bu);  // just after the opcode (at 0x1a), in the function's body
}

/// A loaded module whose scan found no feature: what detect-features then reports comes from validation
/// alone (the rechecks with one feature off), not from the opcode scan.
std::vector<FeatureUse> detect_by_validation(const Bytes& bytes) {
  Diagnostics d;
  auto m = load_module("t.wasm", bytes, d);
  EXPECT_TRUE(m) << (d.all().empty() ? "" : format_diagnostic(d.all().front()));
  if (!m) return {};
  m->scan.features.clear();
  return detect_features(*m);
}

TEST(ModuleReader, DetectionByValidationFindsAFeatureInAFunctionBody) {
  Bytes b = testing::wat("(module (func) (func (result i32) (i32.extend8_s (i32.const 1))))");
  auto uses = detect_by_validation(b);
  ASSERT_EQ(uses.size(), 1u);
  EXPECT_EQ(uses[0].feature, Feature::SignExt);
  EXPECT_EQ(uses[0].first_func, 1u);
  EXPECT_EQ(uses[0].first_offset, 0x22u);  // just after the opcode
  EXPECT_EQ(uses[0].first_what, "unexpected opcode: 0xc0");
}

TEST(ModuleReader, DetectionByValidationFindsASectionLevelFeature) {
  // A shared memory is refused by wabt's validator (not its reader) without threads.
  auto uses = detect_by_validation(testing::wat("(module (memory 1 1 shared))", "--enable-threads"));
  ASSERT_EQ(uses.size(), 1u);
  EXPECT_EQ(uses[0].feature, Feature::Threads);
  EXPECT_FALSE(uses[0].first_func);
}

TEST(ModuleReader, DetectionIsKeptWithTheModule) {
  Diagnostics d;
  auto m =
      load_module("t.wasm", testing::wat("(module (func (result i32) (i32.extend8_s (i32.const 1))))"), d);
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->detected_features);
  auto first = detect_features(*m);
  ASSERT_TRUE(m->detected_features);
  WasmModule copy = *m;
  EXPECT_EQ(copy.detected_features, m->detected_features);  // copies share it: the bytes are the same
  ASSERT_EQ(detect_features(copy).size(), 1u);
  EXPECT_EQ(detect_features(copy)[0].feature, first[0].feature);
}

TEST(ModuleReader, NameSectionWarningsHaveTheirOffset) {
  // A global-names subsection naming global 3 of none: wabt's IR reader drops the name and says so
  // without an offset; here the place is where the reader stood.
  Bytes b = raw_module({1, 4,  1, 0x60, 0,   0,   3,   2, 1, 0, 10, 4, 1,  2, 0, 0x0b,  //
                        0, 11, 4, 'n',  'a', 'm', 'e', 7, 4, 1, 3,  1, 'g'});
  Diagnostics d;
  auto m = load_module("t.wasm", b, d);
  ASSERT_TRUE(m);
  ASSERT_EQ(d.all().size(), 1u);
  Diagnostic w = d.all().front();
  w.hint.clear();
  EXPECT_EQ(format_diagnostic(w), "t.wasm:0x25: warning: invalid global index: 3");
}

// --- Oracle: wabt's IR path, as load_module and validate_with_features used it before.

std::string interface_text(const WasmModule& m) {
  std::string s = fmt::format("imports of functions {}\n", m.func_import_count);
  for (size_t i = 0; i < m.func_names.size(); ++i) s += fmt::format("name {} {}\n", i, m.func_names[i]);
  for (const auto& i : m.imports)
    s += fmt::format("import {}.{} {} {}\n", i.module, i.field, extern_kind_name(i.kind), i.type);
  for (const auto& e : m.exports)
    s += fmt::format("export {} {} {}\n", e.name, extern_kind_name(e.kind), e.index);
  auto limits = [](const Limits& l) {
    return fmt::format("{} {} {} {}", l.initial, l.max ? std::to_string(*l.max) : "-", l.shared, l.is64);
  };
  for (const auto& x : m.memories)
    s += fmt::format("memory {} {} {}\n", limits(x.pages), x.imported, fmt::join(x.exported_as, ","));
  for (const auto& x : m.tables)
    s += fmt::format("table {} {} {} {}\n", x.elem_type, limits(x.elements), x.imported,
                     fmt::join(x.exported_as, ","));
  for (const auto& x : m.globals)
    s += fmt::format("global {} {} {} {}\n", x.type, x.mutable_, x.imported, fmt::join(x.exported_as, ","));
  for (const auto& d : m.data_segments) s += fmt::format("data {} {}\n", d.passive, d.size);
  return s + fmt::format("elem segments {}\n", m.elem_segment_count);
}

std::string signature(const wabt::FuncSignature& sig) {
  auto list = [](const wabt::TypeVector& v) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::string(v[i].GetName());
    return s;
  };
  if (sig.result_types.empty()) return "(" + list(sig.param_types) + ") -> nil";
  if (sig.result_types.size() == 1) return "(" + list(sig.param_types) + ") -> " + list(sig.result_types);
  return "(" + list(sig.param_types) + ") -> (" + list(sig.result_types) + ")";
}

std::string limits_text(const wabt::Limits& l) {
  return l.has_max ? fmt::format("{}..{}", l.initial, l.max) : fmt::format("{}..", l.initial);
}

Limits to_limits(const wabt::Limits& l) {
  Limits r;
  r.initial = l.initial;
  if (l.has_max) r.max = l.max;
  r.shared = l.is_shared;
  r.is64 = l.is_64;
  return r;
}

ExternKind kind_of(wabt::ExternalKind k) { return static_cast<ExternKind>(static_cast<int>(k)); }

/// The interface as the IR gave it (the describe() of load_module before the streaming reader).
WasmModule describe_ir(const wabt::Module& ir) {
  WasmModule m;
  m.func_import_count = ir.num_func_imports;
  for (const wabt::Func* f : ir.funcs)
    m.func_names.push_back(!f->name.empty() && f->name[0] == '$' ? f->name.substr(1) : f->name);
  for (const wabt::Import* imp : ir.imports) {
    ImportInfo info{imp->module_name, imp->field_name, kind_of(imp->kind()), "tag"};
    if (auto* fi = wabt::dyn_cast<wabt::FuncImport>(imp)) info.type = "func " + signature(fi->func.decl.sig);
    if (auto* ti = wabt::dyn_cast<wabt::TableImport>(imp))
      info.type =
          fmt::format("table {} {}", ti->table.elem_type.GetName(), limits_text(ti->table.elem_limits));
    if (auto* mi = wabt::dyn_cast<wabt::MemoryImport>(imp))
      info.type = "memory " + limits_text(mi->memory.page_limits);
    if (auto* gi = wabt::dyn_cast<wabt::GlobalImport>(imp))
      info.type = fmt::format("global {}{}", gi->global.mutable_ ? "mut " : "", gi->global.type.GetName());
    m.imports.push_back(info);
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
    const uint32_t index = e->var.index();
    if (e->kind == wabt::ExternalKind::Memory && index < m.memories.size())
      m.memories[index].exported_as.push_back(e->name);
    if (e->kind == wabt::ExternalKind::Table && index < m.tables.size())
      m.tables[index].exported_as.push_back(e->name);
    if (e->kind == wabt::ExternalKind::Global && index < m.globals.size())
      m.globals[index].exported_as.push_back(e->name);
    m.exports.push_back({e->name, kind_of(e->kind), index});
  }
  for (const wabt::DataSegment* d : ir.data_segments)
    m.data_segments.push_back({d->kind == wabt::SegmentKind::Passive, d->data.size()});
  m.elem_segment_count = static_cast<uint32_t>(ir.elem_segments.size());
  return m;
}

struct Outcome {
  std::string error;     ///< "0x<offset> message", "" when valid
  std::string warnings;  ///< messages only: wabt's IR reader gives some no offset
  std::string interface;
};

Outcome through_ir(const Bytes& b) {
  Outcome out;
  wabt::Module ir;
  wabt::Errors errors;
  wabt::ReadBinaryOptions options(all_wabt_features(), nullptr, true, true, false);
  wabt::Result r = wabt::ReadBinaryIr("", b.data(), b.size(), options, &errors, &ir);
  if (wabt::Succeeded(r)) r = wabt::ValidateModule(&ir, &errors, wabt::ValidateOptions(all_wabt_features()));
  if (wabt::Failed(r)) {
    out.error = "invalid";
    for (const auto& e : errors)
      if (e.error_level == wabt::ErrorLevel::Error) {
        out.error = fmt::format("{:#x} {}", static_cast<uint64_t>(e.loc.offset), e.message);
        break;
      }
    return out;
  }
  for (const auto& e : errors) out.warnings += e.message + "\n";
  out.interface = interface_text(describe_ir(ir));
  return out;
}

Outcome through_reader(const Bytes& b) {
  Outcome out;
  Diagnostics d;
  auto m = load_module("t.wasm", b, d);
  for (const auto& diag : d.all()) {
    std::string where = diag.where.offset ? fmt::format("{:#x} ", *diag.where.offset) : "";
    if (diag.severity == Severity::Error && out.error.empty()) out.error = where + diag.message;
    if (diag.severity == Severity::Warning) out.warnings += diag.message + "\n";
  }
  if (m) out.interface = interface_text(*m);
  return out;
}

/// Compares one module; differences the reader makes on purpose are allowed (and counted).
void compare(const Bytes& b, const std::string& what, int& allowed) {
  Diagnostics scan_diags;
  if (!scan_module("t.wasm", b.data(), b.size(), ModuleLimits{}, scan_diags)) return;  // refused before
  Outcome ir = through_ir(b), reader = through_reader(b);
  if (ir.error != reader.error) {
    // Where wabt's IR gives no offset or no message (broken nesting, which the scan reports for us, or a
    // silent validator failure), both must refuse the module; alignments of 2^32 and up the IR wraps.
    const bool no_place = ir.error == "invalid" || ir.error.rfind("0xffffffffffffffff ", 0) == 0;
    const bool alignment = reader.error.find(" alignment must ") != std::string::npos;
    ASSERT_TRUE((no_place && !reader.error.empty()) || alignment)
        << what << "\n  wabt IR: " << ir.error << "\n  reader:  " << reader.error;
    ++allowed;
    return;
  }
  EXPECT_EQ(ir.warnings, reader.warnings) << what;
  EXPECT_EQ(ir.interface, reader.interface) << what;
}

const char* const kOracleModules[] = {
    R"((module
      (type $t (func (param i32 i64) (result f32)))
      (import "env" "f" (func $f (param i32) (result i32)))
      (import "env" "f2" (func (param f64 i32) (result i64 i32)))
      (import "env" "t" (table 2 10 funcref))
      (import "env" "m" (memory 1 2))
      (import "env" "g" (global $g (mut i32)))
      (import "env" "gi" (global i64))
      (table $t2 3 externref)
      (global $h (mut i64) (i64.const 0))
      (global f32 (f32.const 1))
      (export "mem" (memory 0))
      (export "tab" (table 0))
      (export "tab2" (table 1))
      (export "h" (global $h))
      (export "h2" (global $h))
      (export "g" (global $g))
      (func $main (export "main") (result i32) (call $f (i32.const 1)))
      (func $same (param i32 i64) (result f32) (f32.const 0))
      (func $same2 (type $t) (block (result f32) (f32.const 2)))
      (func (export "dup") (param i32) (result i32)
        (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2))))
      (elem (i32.const 0) $main $same)
      (elem func $main)
      (elem declare func $same2)
      (data (i32.const 0) "abc")
      (data "passive!")))",
    R"((module
      (import "env" "e" (tag $e (param i32)))
      (tag $e2 (param i64))
      (export "e2" (tag $e2))
      (func (try (do (throw $e (i32.const 1))) (catch $e drop) (catch_all)))
      (func (try (do nop) (delegate 0)))))",
    R"((module (memory i64 1 100) (data (i64.const 8) "x")
      (func (result i64) (i64.load offset=8 (i64.const 0)))))",
    R"((module (memory 1 1 shared)
      (func (param i32) (result i32) (i32.atomic.rmw.add (local.get 0) (i32.const 1)))
      (func (result v128) (v128.const i32x4 1 2 3 4))
      (func (param i32) (result i32) (i32.trunc_sat_f32_s (f32.const 1)) (i32.extend8_s))))",
};

TEST(ModuleReader, AgreesWithWabtIrOnModules) {
  int allowed = 0;
  for (const char* text : kOracleModules) {
    Bytes b = testing::wat(text, "--enable-all --debug-names");
    Outcome ir = through_ir(b), reader = through_reader(b);
    EXPECT_EQ(ir.error, "") << text;
    EXPECT_EQ(reader.error, "") << text;
    compare(b, text, allowed);
    // And validation with each feature off, and with each feature alone, as detect-features asks.
    std::vector<FeatureSet> sets{FeatureSet()};
    for (Feature f : all_features()) {
      FeatureSet without = FeatureSet::all();
      without.remove(f);
      FeatureSet only;
      only.add(f);
      sets.push_back(without);
      sets.push_back(only);
    }
    for (FeatureSet s : sets) {
      wabt::Module ir_module;
      wabt::Errors errors;
      wabt::Features wf = to_wabt_features(s);
      wabt::ReadBinaryOptions options(wf, nullptr, false, true, false);
      wabt::Result r = wabt::ReadBinaryIr("", b.data(), b.size(), options, &errors, &ir_module);
      if (wabt::Succeeded(r)) r = wabt::ValidateModule(&ir_module, &errors, wabt::ValidateOptions(wf));
      RevalidateResult ours = validate_with_features(b, s);
      EXPECT_EQ(ours.ok, wabt::Succeeded(r)) << text << "\nwith " << s.to_string();
      if (!ours.ok && !errors.empty()) {
        EXPECT_EQ(ours.message, errors.front().message) << text << "\nwith " << s.to_string();
        EXPECT_EQ(ours.offset, errors.front().loc.offset) << text << "\nwith " << s.to_string();
      }
    }
  }
  EXPECT_EQ(allowed, 0);
}

TEST(ModuleReader, AgreesWithWabtIrOnCorruptions) {
  // Every single-byte change (three values each) of the modules above, and every truncation.
  int allowed = 0, total = 0;
  for (const char* text : kOracleModules) {
    const Bytes base = testing::wat(text, "--enable-all --debug-names");
    for (size_t at = 8; at < base.size(); ++at) {
      for (uint8_t x : {0x01, 0x20, 0xff}) {
        Bytes b = base;
        b[at] ^= x;
        compare(b, fmt::format("byte {:#x} ^ {:#x} of\n{}", at, x, text), allowed);
        ++total;
      }
      compare(Bytes(base.begin(), base.begin() + at), fmt::format("truncated at {:#x}", at), allowed);
      ++total;
    }
  }
  std::printf("%d corruptions compared, %d allowed differences (no offset in wabt's IR, alignment >= 2^32)\n",
              total, allowed);
}

}  // namespace
}  // namespace fleetpack
