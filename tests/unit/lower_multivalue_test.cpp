// passes/lower_multivalue: type-index block types become plain, block and if parameters go through new
// locals, unused multi-result types go, the result validates without multivalue, and what has no MVP
// form is an error naming function and signature. (Values are checked against V8 and wabt's interpreter
// by tests/parity/cases/multivalue.)
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
  return testing::lower_with(run_lower_multivalue, input, vm);
}

Lowered lower(const std::string& wat_text) { return lower(testing::wat(wat_text, "--debug-names")); }

void expect_mvp(const Lowered& l) {
  std::optional<WasmModule> m;
  testing::expect_mvp_output(l, m);
}

/// One function's locals and instructions ("LocalSet 3", "If (result i32)", "Else", "End" mark arms).
std::vector<std::string> body(const Bytes& bytes, const std::string& func, std::string* locals = nullptr) {
  std::vector<std::string> out;
  auto ir = read_ir(bytes);
  std::function<void(const wabt::ExprList&)> walk = [&](const wabt::ExprList& list) {
    for (const wabt::Expr& e : list) {
      std::string s = wabt::GetExprTypeName(e);
      if (auto* g = wabt::dyn_cast<wabt::LocalGetExpr>(&e)) s += " " + std::to_string(g->var.index());
      if (auto* g = wabt::dyn_cast<wabt::LocalSetExpr>(&e)) s += " " + std::to_string(g->var.index());
      if (auto* c = wabt::dyn_cast<wabt::ConstExpr>(&e)) s += " " + std::to_string(c->const_.u32());
      const wabt::Block* block = nullptr;
      if (auto* b = wabt::dyn_cast<wabt::BlockExpr>(&e)) block = &b->block;
      if (auto* b = wabt::dyn_cast<wabt::LoopExpr>(&e)) block = &b->block;
      if (auto* b = wabt::dyn_cast<wabt::IfExpr>(&e)) block = &b->true_;
      if (block) {
        s += " (";
        for (wabt::Type t : block->decl.sig.param_types) s += "param " + t.GetName() + " ";
        for (wabt::Type t : block->decl.sig.result_types) s += "result " + t.GetName() + " ";
        s += block->decl.has_func_type ? "type)" : ")";
      }
      out.push_back(s);
      if (block) walk(block->exprs);
      if (auto* i = wabt::dyn_cast<wabt::IfExpr>(&e); i && !i->false_.empty()) {
        out.push_back("Else");
        walk(i->false_);
      }
      if (block) out.push_back("End");
    }
  };
  for (wabt::Func* f : ir->funcs) {
    if (f->name != "$" + func) continue;
    walk(f->exprs);
    if (locals)
      for (wabt::Type t : f->local_types) *locals += t.GetName() + " ";
  }
  return out;
}

TEST(LowerMultivalue, TypeIndexBlockWithoutParamsBecomesPlain) {
  // block (type 0) where type 0 is [] -> [i32]: only the multivalue encoding, as some toolchains write.
  Bytes in = testing::raw_module({1,    5, 1,    0x60, 0, 1, 0x7f,  // type 0: () -> (i32)
                                  3,    2, 1,    0,                 // func 0: type 0
                                  10,   9, 1,    7,    0,           // code: 1 body of 7 bytes, no locals
                                  2,    0,                          // block (type 0)
                                  0x41, 5, 0x0b, 0x0b});            // i32.const 5, end, end
  Lowered l = lower(in);
  expect_mvp(l);
  auto ir = read_ir(l.bytes);
  auto& block = wabt::cast<wabt::BlockExpr>(&ir->funcs[0]->exprs.front())->block;
  EXPECT_FALSE(block.decl.has_func_type);
  EXPECT_EQ(block.decl.sig.result_types, wabt::TypeVector{wabt::Type::I32});
}

TEST(LowerMultivalue, BlockParamsGoThroughNewLocals) {
  Lowered l = lower(R"((module
    (func $f (export "f") (param i32 i64) (result i64) (local f32)
      (local.get 0) (local.get 1)
      (block (param i32 i64) (result i64)
        (drop) (i64.extend_i32_u) (br 0))))
  )");
  expect_mvp(l);
  std::string locals;
  EXPECT_EQ(
      body(l.bytes, "f", &locals),
      (std::vector<std::string>{"LocalGet 0", "LocalGet 1", "LocalSet 4", "LocalSet 3", "Block (result i64 )",
                                "LocalGet 3", "LocalGet 4", "Drop", "Convert", "Br", "End"}));
  EXPECT_EQ(locals, "f32 i32 i64 ");
}

TEST(LowerMultivalue, IfParamsAndConditionGoThroughNewLocals) {
  Lowered l = lower(R"((module
    (func $with_else (param i32 i32) (result i32)
      (local.get 0)
      (if (param i32) (result i32) (local.get 1)
        (then (i32.const 10) (i32.add))
        (else (i32.const 3) (i32.mul))))
    (func $without_else (param i32 i32) (result i32)
      (local.get 0)
      (if (param i32) (result i32) (local.get 1) (then (i32.const 100) (i32.add)))))
  )");
  expect_mvp(l);
  EXPECT_EQ(body(l.bytes, "with_else"),
            (std::vector<std::string>{"LocalGet 0", "LocalGet 1", "LocalSet 2", "LocalSet 3", "LocalGet 2",
                                      "If (result i32 )", "LocalGet 3", "Const 10", "Binary", "Else",
                                      "LocalGet 3", "Const 3", "Binary", "End"}));
  // Without else the parameters are the results: the new else hands them on.
  EXPECT_EQ(body(l.bytes, "without_else"),
            (std::vector<std::string>{"LocalGet 0", "LocalGet 1", "LocalSet 2", "LocalSet 3", "LocalGet 2",
                                      "If (result i32 )", "LocalGet 3", "Const 100", "Binary", "Else",
                                      "LocalGet 3", "End"}));
}

TEST(LowerMultivalue, NestedBlocksWithParamsEachGetTheirOwnLocals) {
  Lowered l = lower(R"((module
    (func $f (param i32) (result i32)
      (local.get 0)
      (block (param i32) (result i32)
        (i32.const 1)
        (block (param i32 i32) (result i32) (i32.add)))))
  )");
  expect_mvp(l);
  EXPECT_EQ(body(l.bytes, "f"),
            (std::vector<std::string>{"LocalGet 0", "LocalSet 1", "Block (result i32 )", "LocalGet 1",
                                      "Const 1", "LocalSet 3", "LocalSet 2", "Block (result i32 )",
                                      "LocalGet 2", "LocalGet 3", "Binary", "End", "End"}));
}

TEST(LowerMultivalue, UnusedMultiResultTypesGoAndTypeIndicesFollow) {
  Lowered l = lower(R"((module
    (type $pair (func (result i32 i32)))
    (type $unary (func (param i32) (result i32)))
    (type $triple (func (param f64) (result i32 i64 f32)))
    (type $binary (func (param i32 i32) (result i32)))
    (table 1 funcref) (elem (i32.const 0) $inc)
    (func $inc (type $unary) (i32.add (local.get 0) (i32.const 1)))
    (func $call (type $binary) (call_indirect (type $unary) (local.get 0) (local.get 1))))
  )");
  expect_mvp(l);
  auto ir = read_ir(l.bytes);
  ASSERT_EQ(ir->types.size(), 2u);
  EXPECT_EQ(ir->types[0]->name, "$unary");
  EXPECT_EQ(ir->types[1]->name, "$binary");
  EXPECT_EQ(ir->GetFuncTypeIndex(ir->funcs[0]->decl), 0u);
  EXPECT_EQ(ir->GetFuncTypeIndex(ir->funcs[1]->decl), 1u);
  auto& call = wabt::cast<wabt::CallIndirectExpr>(&ir->funcs[1]->exprs.back())->decl;
  EXPECT_EQ(ir->GetFuncTypeIndex(call), 0u);
}

TEST(LowerMultivalue, NothingToDoWhenTheVmHasIt) {
  FeatureSet vm;
  vm.add(Feature::Multivalue);
  Bytes in = testing::wat("(module (func (result i32 i32) (i32.const 1) (i32.const 2)))", "--debug-names");
  Lowered l = lower(in, vm);
  EXPECT_TRUE(l.ok);
  EXPECT_EQ(l.bytes, in);
}

// Errors: one per function, naming it and what has no MVP form, with the full text.

const char kHint[] =
    "\n  hint: build the engine without multivalue (clang -mno-multivalue; rustc -C "
    "target-feature=-multivalue), or choose a profile whose VM has multivalue";

TEST(LowerMultivalue, FunctionsReturningSeveralValuesAreErrors) {
  Lowered l = lower(R"((module
    (import "env" "pair" (func $pair (result i32 i64)))
    (func $swap (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
    (func $ok (param i32) (result i32) (local.get 0)))
  )");
  EXPECT_FALSE(l.ok);
  EXPECT_EQ(
      l.errors,
      (std::vector<std::string>{
          "t.wasm:0x10: error: profile 'tv': cannot lower 'multivalue' in function 'pair': the import "
          "returns 2 values: () -> (i32, i64)" +
              std::string(kHint),
          "t.wasm:0x10: error: profile 'tv': cannot lower 'multivalue' in function 'swap': it returns 2 "
          "values: (i32, i32) -> (i32, i32)" +
              std::string(kHint)}));
}

TEST(LowerMultivalue, BlocksWithoutAnMvpFormAreErrors) {
  Lowered l = lower(R"((module
    (type $pair (func (result i32 i32)))
    (func $results (result i32) (block (result i32 i32) (i32.const 1) (i32.const 2)) (i32.add))
    (func $loop (param i32) (result i32)
      (local.get 0) (loop (param i32) (result i32) (i32.const 1) (i32.sub)))
    (func $indirect (drop (drop (call_indirect (type $pair) (i32.const 0)))))
    (table 1 funcref))
  )");
  EXPECT_FALSE(l.ok);
  EXPECT_EQ(
      l.errors,
      (std::vector<std::string>{
          "t.wasm:0x10: error: profile 'tv': cannot lower 'multivalue' in function 'results': block with 2 "
          "results (i32, i32)" +
              std::string(kHint),
          "t.wasm:0x10: error: profile 'tv': cannot lower 'multivalue' in function 'loop': loop with "
          "parameters (i32)" +
              std::string(kHint),
          "t.wasm:0x10: error: profile 'tv': cannot lower 'multivalue' in function 'indirect': "
          "call_indirect of type () -> (i32, i32), which returns 2 values" +
              std::string(kHint)}));
}

}  // namespace
}  // namespace fleetpack
