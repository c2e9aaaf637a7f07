// passes/lower_bulk_memory: memory.copy/fill become helper calls, passive data segments become active
// exactly where the rule allows (wasm-ld's __wasm_init_memory), the result validates without
// bulk-memory and has no DataCount section, and everything else is an error naming segment and
// function. (What the helpers compute is checked against V8 and wabt's interpreter by
// tests/parity/cases/bulk_memory.)
#include <gtest/gtest.h>

#include <wabt/cast.h>
#include <wabt/ir.h>

#include "base/wasm_module.h"
#include "lowering_test_util.h"
#include "passes/ir_util.h"
#include "passes/registry.h"
#include "profiles/profile.h"
#include "test_util.h"

namespace fleetpack {
namespace {

using testing::Lowered;

/// Runs validate, detect-features and the lowering for a VM with `vm` features.
Lowered lower(const std::string& wat_text, FeatureSet vm = {}) {
  return testing::lower_with(run_lower_bulk_memory, testing::wat(wat_text, "--debug-names"), vm);
}

/// The lowered module must be MVP (nothing left that needs bulk-memory) and carry no DataCount.
void expect_mvp(const Lowered& l) {
  std::optional<WasmModule> m;
  testing::expect_mvp_output(l, m);
  if (!m) return;
  EXPECT_FALSE(m->scan.has_data_count);
}

struct Segment {
  bool active;
  uint32_t offset;
  std::string data;
  std::string name;
  bool operator==(const Segment& o) const {
    return active == o.active && offset == o.offset && data == o.data && name == o.name;
  }
};
std::ostream& operator<<(std::ostream& os, const Segment& s) {
  return os << (s.active ? "active@" : "passive@") << s.offset << " '" << s.data << "' " << s.name;
}

std::vector<Segment> data_segments(const Bytes& bytes) {
  std::vector<Segment> out;
  auto ir = read_ir(bytes);
  for (const wabt::DataSegment* s : ir->data_segments) {
    uint32_t offset = 0;
    if (!s->offset.empty())
      if (auto* c = wabt::dyn_cast<wabt::ConstExpr>(&s->offset.front())) offset = c->const_.u32();
    out.push_back(
        {s->kind == wabt::SegmentKind::Active, offset, std::string(s->data.begin(), s->data.end()), s->name});
  }
  return out;
}

/// Function names in index order, and the instructions of one function by name, as wabt names their
/// kinds ("LocalGet", "Call $callee").
std::vector<std::string> function_names(const Bytes& bytes) {
  std::vector<std::string> out;
  auto ir = read_ir(bytes);
  for (const wabt::Func* f : ir->funcs) out.push_back(f->name);
  return out;
}

std::vector<std::string> body(const Bytes& bytes, const std::string& func) {
  std::vector<std::string> out;
  auto ir = read_ir(bytes);
  for (wabt::Func* f : ir->funcs) {
    if (f->name != "$" + func) continue;
    for_each_expr_list(*f, [&](wabt::ExprList& list) {
      for (const wabt::Expr& e : list) {
        std::string s = wabt::GetExprTypeName(e);
        if (auto* c = wabt::dyn_cast<wabt::CallExpr>(&e)) s += " " + ir->GetFunc(c->var)->name;
        out.push_back(s);
      }
    });
  }
  return out;
}

TEST(LowerBulkMemory, CopyAndFillBecomeCallsToOneHelperEach) {
  Lowered l = lower(R"((module (memory 1)
    (func $copy (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
    (func $both (param i32)
      (block (loop
        (memory.fill (local.get 0) (i32.const 300) (i32.const 8))
        (if (local.get 0) (then (memory.copy (i32.const 0) (i32.const 8) (local.get 0))))))))
  )");
  expect_mvp(l);
  EXPECT_EQ(function_names(l.bytes), (std::vector<std::string>{"$copy", "$both", "$__fleetpack_memory_copy",
                                                               "$__fleetpack_memory_fill"}));
  EXPECT_EQ(body(l.bytes, "copy"),
            (std::vector<std::string>{"LocalGet", "LocalGet", "LocalGet", "Call $__fleetpack_memory_copy"}));
  EXPECT_EQ(body(l.bytes, "both"),
            (std::vector<std::string>{"Block", "Loop", "LocalGet", "Const", "Const",
                                      "Call $__fleetpack_memory_fill", "LocalGet", "If", "Const", "Const",
                                      "LocalGet", "Call $__fleetpack_memory_copy"}));
}

TEST(LowerBulkMemory, AddsOnlyTheHelpersUsedWithUniqueNames) {
  Lowered l = lower(R"((module (memory 1)
    (func $__fleetpack_memory_fill (param i32) (memory.fill (local.get 0) (i32.const 0) (i32.const 1)))))");
  expect_mvp(l);
  EXPECT_EQ(function_names(l.bytes),
            (std::vector<std::string>{"$__fleetpack_memory_fill", "$__fleetpack_memory_fill.1"}));
}

TEST(LowerBulkMemory, InitMemoryPatternBecomesActiveSegments) {
  // As wasm-ld writes __wasm_init_memory (no shared memory, no PIC), plus an active segment that the
  // start function overwrites and a passive segment nothing reads.
  Lowered l = lower(R"((module (memory 1)
    (data $active (i32.const 100) "active")
    (data $rodata "hello world")
    (data $unused "never")
    (data $data "abcdefgh")
    (func $__wasm_init_memory
      (memory.init $data (i32.const 96) (i32.const 2) (i32.const 6))
      (memory.fill (i32.const 40) (i32.const 0) (i32.const 10))
      (memory.init $rodata (i32.const 16) (i32.const 0) (i32.const 11))
      (data.drop $rodata)
      (data.drop $data))
    (start $__wasm_init_memory)
    (func $other (data.drop $unused)))
  )");
  expect_mvp(l);
  EXPECT_EQ(data_segments(l.bytes), (std::vector<Segment>{{true, 100, "active", "$active"},
                                                          {true, 96, "cdefgh", "$data"},
                                                          {true, 16, "hello world", "$rodata"}}));
  EXPECT_EQ(body(l.bytes, "__wasm_init_memory"),
            (std::vector<std::string>{"Const", "Const", "Const", "Call $__fleetpack_memory_fill"}));
  EXPECT_EQ(body(l.bytes, "other"), std::vector<std::string>{});
}

TEST(LowerBulkMemory, ZeroLengthInitAtTheEndOfMemoryIsAnEmptyActiveSegment) {
  Lowered l = lower(R"((module (memory 1)
    (data $s "xyz")
    (func $init (memory.init $s (i32.const 65536) (i32.const 3) (i32.const 0)))
    (start $init)))");
  expect_mvp(l);
  EXPECT_EQ(data_segments(l.bytes), (std::vector<Segment>{{true, 65536, "", "$s"}}));
}

TEST(LowerBulkMemory, PassiveElementSegmentsAndElemDropGo) {
  Lowered l = lower(R"((module (table 2 funcref)
    (elem (i32.const 0) func $f)
    (elem $passive func $f $f)
    (func $f (elem.drop $passive) (elem.drop 0))))");
  expect_mvp(l);
  Diagnostics d;
  auto m = load_module("out.wasm", l.bytes, d);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->elem_segment_count, 1u);
  EXPECT_EQ(body(l.bytes, "f"), std::vector<std::string>{});
}

TEST(LowerBulkMemory, NothingToDoWhenTheVmHasIt) {
  FeatureSet vm;
  vm.add(Feature::BulkMemory);
  const char* text = "(module (memory 1) (func (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))))";
  Lowered l = lower(text, vm);
  EXPECT_TRUE(l.ok);
  EXPECT_EQ(l.bytes, testing::wat(text, "--debug-names"));
}

// Errors: one per segment or instruction, naming it and the function, with the full text.

const char kDataHint[] =
    "\n  hint: only a memory.init with constant operands at the start of the module's start function (as "
    "wasm-ld writes __wasm_init_memory without shared memory or PIC) can become an active data segment; "
    "link without --shared-memory and -pie, or choose a profile whose VM has bulk-memory";

std::vector<std::string> errors_of(const std::string& wat_text) {
  Lowered l = lower(wat_text);
  EXPECT_FALSE(l.ok);
  return l.errors;
}

TEST(LowerBulkMemory, InitOutsideTheStartFunction) {
  EXPECT_EQ(
      errors_of(R"((module (memory 1) (data $d "abc")
    (func $setup (memory.init $d (i32.const 0) (i32.const 0) (i32.const 3)))))"),
      std::vector<std::string>{
          "t.wasm:0x1a: error: profile 'tv': cannot lower 'bulk-memory' in function 'setup': memory.init of "
          "passive data segment 0 ('d') is not in a start function (the module has none)" +
          std::string(kDataHint)});
  EXPECT_EQ(
      errors_of(R"((module (memory 1) (data $d "abc")
    (func $start) (start $start)
    (func $setup (memory.init $d (i32.const 0) (i32.const 0) (i32.const 3)))))"),
      std::vector<std::string>{
          "t.wasm:0x1e: error: profile 'tv': cannot lower 'bulk-memory' in function 'setup': memory.init of "
          "passive data segment 0 ('d') is not in the start function 'start'" +
          std::string(kDataHint)});
}

TEST(LowerBulkMemory, StartFunctionThatMayRunAgain) {
  const std::string init = R"((memory 1) (data $d "abc") (start $init)
    (func $init (memory.init $d (i32.const 0) (i32.const 0) (i32.const 3))))";
  const std::string prefix =
      "error: profile 'tv': cannot lower 'bulk-memory' in function 'init': memory.init of passive data "
      "segment 0 ('d') is in the start function, but that may run more than once: ";
  EXPECT_EQ(errors_of("(module " + init + " (export \"init\" (func $init)))"),
            std::vector<std::string>{"t.wasm:0x27: " + prefix + "it is exported as \"init\"" + kDataHint});
  EXPECT_EQ(errors_of("(module " + init + " (func $again (call $init)))"),
            std::vector<std::string>{"t.wasm:0x1e: " + prefix + "function 'again' calls it" + kDataHint});
  EXPECT_EQ(errors_of("(module " + init + " (table 1 funcref) (elem (i32.const 0) $init))"),
            std::vector<std::string>{"t.wasm:0x2c: " + prefix + "element segment 0 holds it" + kDataHint});
}

TEST(LowerBulkMemory, InitThatIsNotFirstOrNotConstantOrTraps) {
  const std::string prefix =
      "error: profile 'tv': cannot lower 'bulk-memory' in function 'init': memory.init of passive data "
      "segment 0 ('d') ";
  EXPECT_EQ(
      errors_of(R"((module (memory 1) (data $d "abc") (global $g (mut i32) (i32.const 0)) (start $init)
    (func $init (global.set $g (i32.const 1)) (memory.init $d (i32.const 0) (i32.const 0) (i32.const 3)))))"),
      std::vector<std::string>{"t.wasm:0x25: " + prefix +
                               "does not come first in the start function (only memory.init, memory.fill "
                               "with constant operands, data.drop and nop may run before it)" +
                               kDataHint});
  EXPECT_EQ(
      errors_of(R"((module (memory 1) (data $d "abc") (global $g i32 (i32.const 8)) (start $init)
    (func $init (memory.init $d (global.get $g) (i32.const 0) (i32.const 3)))))"),
      std::vector<std::string>{"t.wasm:0x25: " + prefix +
                               "does not come first in the start function (only memory.init, memory.fill "
                               "with constant operands, data.drop and nop may run before it)" +
                               kDataHint});
  EXPECT_EQ(errors_of(R"((module (memory 1) (data $d "abc") (start $init)
    (func $init (memory.init $d (i32.const 0) (i32.const 1) (i32.const 3)))))"),
            std::vector<std::string>{"t.wasm:0x1d: " + prefix + "reads bytes [1, 4) of its 3: it traps" +
                                     kDataHint});
  EXPECT_EQ(
      errors_of(R"((module (memory 1) (data $d "abc") (start $init)
    (func $init (memory.init $d (i32.const 65534) (i32.const 0) (i32.const 3)))))"),
      std::vector<std::string>{"t.wasm:0x1d: " + prefix +
                               "writes [65534, 65537), past the memory's initial 65536 bytes" + kDataHint});
  EXPECT_EQ(errors_of(R"((module (memory 1) (data $d "abc") (start $init)
    (func $init (memory.fill (i32.const 2) (i32.const 0) (i32.const 1))
                (memory.init $d (i32.const 0) (i32.const 0) (i32.const 3)))))"),
            std::vector<std::string>{"t.wasm:0x1d: " + prefix +
                                     "writes [0, 3), which a memory.fill before it writes too" + kDataHint});
}

TEST(LowerBulkMemory, SegmentReadTwiceOrActiveSegmentRead) {
  EXPECT_EQ(
      errors_of(R"((module (memory 1) (data $d "abc") (start $init)
    (func $init (memory.init $d (i32.const 0) (i32.const 0) (i32.const 3)))
    (func $later (memory.init $d (i32.const 8) (i32.const 0) (i32.const 3)))))"),
      std::vector<std::string>{
          "t.wasm:0x1e: error: profile 'tv': cannot lower 'bulk-memory' in function 'init': passive data "
          "segment 0 ('d') is read by 2 memory.init instructions (in functions 'init', 'later'); only "
          "one, in the start function, can become an active segment" +
          std::string(kDataHint)});
  EXPECT_EQ(
      errors_of(R"((module (memory 1) (data $d (i32.const 0) "abc")
    (func $f (memory.init $d (i32.const 0) (i32.const 0) (i32.const 0)))))"),
      std::vector<std::string>{
          "t.wasm:0x1a: error: profile 'tv': cannot lower 'bulk-memory' in function 'f': memory.init of "
          "active data segment 0 ('d')" +
          std::string(kDataHint)});
}

TEST(LowerBulkMemory, TableInitAndTableCopyAreErrors) {
  const std::string hint =
      "\n  hint: build the engine without bulk-memory (clang -mno-bulk-memory, rustc -C "
      "target-feature=-bulk-memory), or choose a profile whose VM has bulk-memory";
  EXPECT_EQ(errors_of(R"((module (table 4 funcref) (elem $e func $f)
    (func $f (table.init $e (i32.const 0) (i32.const 0) (i32.const 1)))
    (func $g (table.copy (i32.const 0) (i32.const 1) (i32.const 1)))))"),
            (std::vector<std::string>{
                "t.wasm:0x1d: error: profile 'tv': cannot lower 'bulk-memory' in function 'f': table.init of "
                "element segment 0 ('e')" +
                    hint,
                "t.wasm:0x1d: error: profile 'tv': cannot lower 'bulk-memory' in function 'g': table.copy" +
                    hint}));
}

TEST(LowerBulkMemory, NullItemInAnActiveElementSegmentIsAnError) {
  EXPECT_EQ(
      errors_of(R"((module (memory 1) (table 2 funcref)
    (elem $e (i32.const 0) funcref (ref.func $f) (ref.null func))
    (func $f (memory.fill (i32.const 0) (i32.const 0) (i32.const 0)))))"),
      std::vector<std::string>{
          "t.wasm:0x21: error: profile 'tv': cannot lower 'bulk-memory' in the module: element segment 0 "
          "('e') holds a null reference\n  hint: build the engine without bulk-memory (clang "
          "-mno-bulk-memory, rustc -C target-feature=-bulk-memory), or choose a profile whose VM has "
          "bulk-memory"});
}

}  // namespace
}  // namespace fleetpack
