// passes/lower_reference_types: a module that uses reference-types only for encodings (LLVM's padded
// call_indirect table index, typed select of numbers, declarative element segments) is written back in
// MVP form; any real reference value is an error naming the first one. (Behaviour is checked against V8
// and wabt's interpreter by tests/parity/cases/reference_types.)
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
Lowered lower(const Bytes& input, FeatureSet vm = {}) {
  return testing::lower_with(run_lower_reference_types, input, vm);
}

Lowered lower(const std::string& wat_text) { return lower(testing::wat(wat_text, "--debug-names")); }

void expect_mvp(const Lowered& l) {
  std::optional<WasmModule> m;
  testing::expect_mvp_output(l, m);
  if (!m) return;
  EXPECT_EQ(m->scan.call_indirect_reftypes_encoding, 0u);
}

TEST(LowerReferenceTypes, PaddedCallIndirectTableIndexBecomesMvpZeroByte) {
  // call_indirect type 0, table 0 encoded as a 5-byte LEB, as LLVM emits with reference-types on.
  Bytes in =
      testing::raw_module({1,    4,  1,    0x60, 0,    0,           // type 0: () -> ()
                           3,    2,  1,    0,                       // func 0: type 0
                           4,    4,  1,    0x70, 0,    1,           // table: funcref, min 1
                           10,   13, 1,    11,   0,                 // code: 1 body of 11 bytes, no locals
                           0x41, 0,                                 // i32.const 0
                           0x11, 0,  0x80, 0x80, 0x80, 0x80, 0x00,  // call_indirect 0, table 0 (padded)
                           0x0b});
  Lowered l = lower(in);
  expect_mvp(l);
  Diagnostics d;
  auto m = load_module("out.wasm", l.bytes, d);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->scan.bodies.size(), 1u);
  // The body is now 7 bytes: i32.const 0, call_indirect 0 0x00, end.
  const auto& b = m->scan.bodies[0];
  EXPECT_EQ(Bytes(l.bytes.begin() + b.offset, l.bytes.begin() + b.offset + b.size),
            (Bytes{0, 0x41, 0, 0x11, 0, 0, 0x0b}));
}

TEST(LowerReferenceTypes, TypedSelectDeclarativeSegmentsAndUnusedTypesGo) {
  Lowered l = lower(R"((module
    (type $t (func (param i32) (result i32)))
    (type $unused (func (param externref)))
    (table 2 funcref)
    (elem (i32.const 0) func $double $square)
    (elem $declared declare func $double)
    (elem $passive func $square)
    (func $double (type $t) (i32.mul (local.get 0) (i32.const 2)))
    (func $square (type $t) (elem.drop $declared) (elem.drop $passive) (i32.mul (local.get 0) (local.get 0)))
    (func $dispatch (param i32 i32) (result i32) (call_indirect (type $t) (local.get 1) (local.get 0)))
    (func $pick (param i32 i32 i32) (result i32)
      (select (result i32) (local.get 0) (local.get 1) (local.get 2))))
  )");
  // The passive segment and its elem.drop stay: they are bulk-memory's, which this VM has.
  ASSERT_TRUE(l.ok) << (l.errors.empty() ? "" : l.errors.front());
  FeatureSet bulk;
  bulk.add(Feature::BulkMemory);
  EXPECT_TRUE(validate_with_features(l.bytes, bulk).ok);
  auto ir = read_ir(l.bytes);
  ASSERT_EQ(ir->elem_segments.size(), 2u);
  EXPECT_EQ(ir->elem_segments[1]->name, "$passive");
  EXPECT_EQ(ir->types.size(), 3u);  // $t and the two of $dispatch and $pick
  EXPECT_EQ(ir->types[0]->name, "$t");
  auto& drop = wabt::cast<wabt::ElemDropExpr>(&ir->funcs[1]->exprs.front())->var;
  EXPECT_EQ(ir->GetElemSegmentIndex(drop), 1u);  // renumbered; the elem.drop of $declared went
  EXPECT_EQ(ir->funcs[1]->exprs.size(), 4u);
  EXPECT_TRUE(wabt::cast<wabt::SelectExpr>(&ir->funcs[3]->exprs.back())->result_type.empty());
  Diagnostics d;
  auto m = load_module("out.wasm", l.bytes, d);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->scan.used().to_string(), "bulk-memory");
}

TEST(LowerReferenceTypes, NothingToDoWhenTheVmHasIt) {
  FeatureSet vm;
  vm.add(Feature::ReferenceTypes);
  vm.add(Feature::BulkMemory);
  Bytes in = testing::wat("(module (func (param externref)))", "--debug-names");
  Lowered l = lower(in, vm);
  EXPECT_TRUE(l.ok);
  EXPECT_EQ(l.bytes, in);
}

// Errors: the first reference-typed thing, with the full text.

const char kHint[] =
    "\n  hint: build the engine without reference-types (clang -mno-reference-types, rustc -C "
    "target-feature=-reference-types), or choose a profile whose VM has reference-types";

std::string error_of(const std::string& wat_text) {
  Lowered l = lower(wat_text);
  EXPECT_FALSE(l.ok);
  EXPECT_EQ(l.errors.size(), 1u);
  return l.errors.empty() ? "" : l.errors.front();
}

std::string in_function(const std::string& offset, const std::string& func, const std::string& what) {
  return "t.wasm:" + offset + ": error: profile 'tv': cannot lower 'reference-types' in function '" + func +
         "': " + what + kHint;
}

std::string in_module(const std::string& offset, const std::string& what) {
  return "t.wasm:" + offset + ": error: profile 'tv': cannot lower 'reference-types' in the module: " + what +
         kHint;
}

TEST(LowerReferenceTypes, ModuleLevelReferencesAreErrors) {
  EXPECT_EQ(error_of("(module (table 1 funcref) (table 1 funcref))"),
            in_module("0x11", "a second table (table 1 of 2)"));
  EXPECT_EQ(error_of("(module (table 1 externref))"), in_module("0xe", "table 0 holds externref"));
  EXPECT_EQ(error_of("(module (global $g (mut externref) (ref.null extern)))"),
            in_module("0xd", "global 0 is a externref"));
  // (The declarative segment makes the module use reference-types: wabt takes a null item for MVP.)
  EXPECT_EQ(
      error_of(
          "(module (table 2 funcref) (elem (i32.const 0) funcref (ref.null func)) (elem declare func $f) "
          "(func $f))"),
      in_module("0x24", "element segment 0 holds a null reference"));
}

TEST(LowerReferenceTypes, FunctionLevelReferencesAreErrors) {
  EXPECT_EQ(error_of("(module (func $f (param externref)))"), in_function("0xf", "f", "externref parameter"));
  EXPECT_EQ(error_of("(module (func $f (result funcref) (ref.null func)))"),
            in_function("0xf", "f", "funcref result"));
  EXPECT_EQ(error_of("(module (func $f (local externref)))"), in_function("0x19", "f", "externref local"));
  EXPECT_EQ(error_of("(module (table 1 funcref) (func $f (drop (table.size 0))))"),
            in_function("0x1d", "f", "table.size"));
  EXPECT_EQ(error_of("(module (table 1 funcref) (func $f (drop (table.get 0 (i32.const 0)))))"),
            in_function("0x1f", "f", "table.get"));
  EXPECT_EQ(error_of("(module (func $f (result i32) (ref.is_null (ref.null extern))))"),
            in_function("0x18", "f", "ref.null"));
  EXPECT_EQ(error_of("(module (func $f (block (result externref) (ref.null extern)) (drop)))"),
            in_function("0x19", "f", "block with a externref result"));
}

}  // namespace
}  // namespace fleetpack
