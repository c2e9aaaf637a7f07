// passes/detect_features: each feature is found at its first use, and nothing else is reported.
#include <gtest/gtest.h>

#include "base/wasm_module.h"
#include "passes/registry.h"
#include "test_util.h"

namespace fleetpack {
namespace {

std::vector<FeatureUse> detect(const std::string& wat_text, const std::string& flags = "") {
  Diagnostics d;
  auto m = load_module("t.wasm", testing::wat(wat_text, flags + " --debug-names"), d);
  EXPECT_TRUE(m) << (d.all().empty() ? "" : format_diagnostic(d.all().front()));
  return m ? detect_features(*m) : std::vector<FeatureUse>{};
}

std::string names(const std::vector<FeatureUse>& uses) {
  FeatureSet s;
  for (const auto& u : uses) s.add(u.feature);
  return s.to_string();
}

TEST(DetectFeatures, MvpModuleUsesNothing) {
  EXPECT_EQ(names(detect("(module (memory 1) (func (export \"f\") (param i32) (result i32) (i32.add "
                         "(local.get 0) (i32.const 1))))")),
            "none (MVP)");
}

TEST(DetectFeatures, SignExtWithCountAndFirstFunction) {
  auto uses = detect(R"((module
    (func $plain (result i32) (i32.const 1))
    (func $ext (param i32) (result i32) (i32.extend8_s (i32.extend16_s (local.get 0))))
    (func $ext64 (param i64) (result i64) (i64.extend32_s (local.get 0)))))");
  ASSERT_EQ(uses.size(), 1u);
  EXPECT_EQ(uses[0].feature, Feature::SignExt);
  EXPECT_EQ(uses[0].count, 3u);
  ASSERT_TRUE(uses[0].first_func);
  EXPECT_EQ(*uses[0].first_func, 1u);
  EXPECT_EQ(uses[0].first_what, "i32.extend16_s");  // the innermost operand comes first in the binary
}

TEST(DetectFeatures, SaturatingTruncation) {
  auto uses = detect("(module (func (param f64) (result i64) (i64.trunc_sat_f64_u (local.get 0))))");
  ASSERT_EQ(uses.size(), 1u);
  EXPECT_EQ(uses[0].feature, Feature::NontrappingFloatToInt);
  EXPECT_EQ(uses[0].first_what, "i64.trunc_sat_f64_u");
}

TEST(DetectFeatures, BulkMemoryOpcodesAndDataCount) {
  auto uses = detect(R"((module (memory 1) (data $d "xyz")
    (func (memory.init $d (i32.const 0) (i32.const 0) (i32.const 3)) (data.drop $d))))");
  EXPECT_EQ(names(uses), "bulk-memory");
}

TEST(DetectFeatures, MutableGlobalImportAndExport) {
  auto uses = detect(R"((module (import "env" "sp" (global (mut i32)))
    (global $g (mut i32) (i32.const 0)) (export "g" (global $g))))");
  ASSERT_EQ(uses.size(), 1u);
  EXPECT_EQ(uses[0].feature, Feature::MutableGlobals);
  EXPECT_EQ(uses[0].count, 2u);
  EXPECT_EQ(uses[0].first_what, "mutable global import env.sp");
}

TEST(DetectFeatures, ImmutableGlobalExportIsMvp) {
  EXPECT_EQ(names(detect("(module (global $g i32 (i32.const 0)) (export \"g\" (global $g)))")), "none (MVP)");
}

TEST(DetectFeatures, Multivalue) {
  EXPECT_EQ(names(detect("(module (func (result i32 i32) (i32.const 1) (i32.const 2)))")), "multivalue");
}

TEST(DetectFeatures, ReferenceTypes) {
  EXPECT_EQ(names(detect("(module (func (param externref)))")), "reference-types");
  EXPECT_EQ(names(detect("(module (table 1 funcref) (table 1 funcref))")), "reference-types");
}

TEST(DetectFeatures, PaddedCallIndirectTableIndexIsReferenceTypes) {
  // call_indirect type 0, table 0 encoded as a 5-byte LEB, as LLVM emits with reference-types on.
  Bytes b = testing::raw_module({1,    4,  1,    0x60, 0,    0,  // type 0: () -> ()
                                 3,    2,  1,    0,              // func 0: type 0
                                 4,    4,  1,    0x70, 0,    1,  // table: funcref, min 1
                                 10,   13, 1,    11,   0,        // code: 1 body of 11 bytes, no locals
                                 0x41, 0,                        // i32.const 0
                                 0x11, 0,  0x80, 0x80, 0x80, 0x80, 0x00,  // call_indirect 0, table 0 (padded)
                                 0x0b});
  Diagnostics d;
  auto m = load_module("t.wasm", b, d);
  ASSERT_TRUE(m) << format_diagnostic(d.all().front());
  EXPECT_EQ(m->scan.call_indirect_count, 1u);
  EXPECT_EQ(m->scan.call_indirect_reftypes_encoding, 1u);
  auto uses = detect_features(*m);
  ASSERT_EQ(uses.size(), 1u);
  EXPECT_EQ(uses[0].feature, Feature::ReferenceTypes);
  EXPECT_EQ(uses[0].first_offset, 0x1fu);  // the call_indirect opcode
  EXPECT_EQ(uses[0].first_what, "call_indirect table index encoded in 5 bytes");
}

TEST(DetectFeatures, PlainCallIndirectIsMvp) {
  auto uses =
      detect("(module (type $t (func)) (table 1 funcref) (func (call_indirect (type $t) (i32.const 0))))");
  EXPECT_EQ(names(uses), "none (MVP)");
}

TEST(DetectFeatures, SimdAndThreads) {
  EXPECT_EQ(names(detect("(module (func (result v128) (v128.const i32x4 0 0 0 0)))")), "simd");
  EXPECT_EQ(names(detect("(module (memory 1 1 shared) (func (result i32) (i32.atomic.load (i32.const 0))))",
                         "--enable-threads")),
            "threads");
}

TEST(DetectFeatures, TailCall) {
  EXPECT_EQ(names(detect("(module (func $f (return_call $f)))", "--enable-tail-call")), "tail-call");
}

}  // namespace
}  // namespace fleetpack

namespace fleetpack {
namespace {

// An active element segment in expression form (flags 4: ref.func items), which wasm-ld and Binaryen
// emit with bulk-memory on. wabt 1.0.32 accepts it with every feature off; MVP engines reject it.
Bytes expression_form_elem() {
  return testing::raw_module({1,    4, 1,    0x60, 0,    0,  // type 0: () -> ()
                              3,    2, 1,    0,              // func 0: type 0
                              4,    4, 1,    0x70, 0,    1,  // table: funcref, min 1
                              9,    9, 1,    4,    0x41, 0,
                              0x0b, 1, 0xd2, 0,    0x0b,          // elem: flags 4, [ref.func 0]
                              10,   4, 1,    2,    0,    0x0b});  // code: empty body
}

TEST(DetectFeatures, ExpressionFormElementSegmentIsBulkMemory) {
  Diagnostics d;
  auto m = load_module("t.wasm", expression_form_elem(), d);
  ASSERT_TRUE(m) << format_diagnostic(d.all().front());
  auto uses = detect_features(*m);
  ASSERT_EQ(uses.size(), 1u);
  EXPECT_EQ(uses[0].feature, Feature::BulkMemory);
  EXPECT_EQ(uses[0].first_what, "element segment 0 in expression form");
}

}  // namespace
}  // namespace fleetpack
