// passes/lower_trunc_sat: every saturating truncation becomes a call to one helper per opcode used, the
// result validates without the feature, and lowering a lowered module changes nothing. (The helpers'
// values are checked against V8 and wabt's interpreter by tests/parity/cases/trunc_sat.)
#include <cstring>
#include <gtest/gtest.h>
#include <map>

#include <wabt/cast.h>
#include <wabt/ir.h>

#include "base/wasm_module.h"
#include "passes/ir_util.h"
#include "passes/lowering.h"
#include "passes/registry.h"
#include "profiles/profile.h"
#include "test_util.h"

namespace fleetpack {
namespace {

using wabt::Opcode;

const Opcode kSatOps[] = {Opcode::I32TruncSatF32S, Opcode::I32TruncSatF32U, Opcode::I32TruncSatF64S,
                          Opcode::I32TruncSatF64U, Opcode::I64TruncSatF32S, Opcode::I64TruncSatF32U,
                          Opcode::I64TruncSatF64S, Opcode::I64TruncSatF64U};

bool is_sat(Opcode op) {
  for (Opcode s : kSatOps)
    if (s == op) return true;
  return false;
}

/// The opcode of a plain instruction (wabt files them under four expression kinds).
std::optional<Opcode> opcode_of(const wabt::Expr& e) {
  if (auto* c = wabt::dyn_cast<wabt::ConvertExpr>(&e)) return c->opcode;
  if (auto* u = wabt::dyn_cast<wabt::UnaryExpr>(&e)) return u->opcode;
  if (auto* b = wabt::dyn_cast<wabt::BinaryExpr>(&e)) return b->opcode;
  if (auto* c = wabt::dyn_cast<wabt::CompareExpr>(&e)) return c->opcode;
  return std::nullopt;
}

/// What the lowered module holds: saturating ops left, calls per callee name, function names.
struct Census {
  size_t funcs = 0;
  int sat_ops = 0;
  std::map<std::string, int> calls;  ///< callee name ("" when unnamed) -> calls
  std::vector<std::string> helpers;  ///< functions named __fleetpack_*, in index order
};

Census census(const Bytes& bytes) {
  Census c;
  auto ir = read_ir(bytes);
  EXPECT_TRUE(ir);
  if (!ir) return c;
  c.funcs = ir->funcs.size();
  for (const wabt::Func* f : ir->funcs)
    if (f->name.rfind("$__fleetpack_", 0) == 0) c.helpers.push_back(f->name.substr(1));
  for_each_defined_func(*ir, [&](wabt::Func& func, wabt::Index) {
    for_each_expr_list(func, [&](wabt::ExprList& list) {
      for (const wabt::Expr& e : list) {
        if (auto op = opcode_of(e); op && is_sat(*op)) ++c.sat_ops;
        if (auto* call = wabt::dyn_cast<wabt::CallExpr>(&e)) {
          const wabt::Func* callee = ir->GetFunc(call->var);
          c.calls[callee && !callee->name.empty() ? callee->name.substr(1) : ""]++;
        }
      }
    });
  });
  return c;
}

/// Runs the lower-nontrapping-float-to-int step for a VM with `vm` features; the module after the step.
Bytes lower(const Bytes& input, FeatureSet vm = {}) {
  Diagnostics d;
  StepContext ctx(d);
  ctx.input_file = "t.wasm";
  ctx.module = load_module("t.wasm", input, d);
  EXPECT_TRUE(ctx.module);
  if (!ctx.module) return {};
  ctx.input_features = detect_features(*ctx.module);
  Profile profile;
  profile.id = "test";
  profile.features = vm;
  ctx.profile = &profile;
  EXPECT_TRUE(run_lower_trunc_sat(ctx));
  EXPECT_FALSE(d.has_errors()) << (d.all().empty() ? "" : format_diagnostic(d.all().front()));
  return ctx.module ? ctx.module->bytes : Bytes{};
}

Bytes wat(const std::string& text) { return testing::wat(text, "--debug-names"); }

const char* kThreeOps = R"((module
  (func $a (export "a") (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0)))
  (func $b (export "b") (param f32 f64) (result i64)
    (local $i i32)
    (block $out
      (loop $l
        (br_if $out (i32.ge_s (local.get $i) (i32.trunc_sat_f32_s (local.get 0))))
        (if (i32.and (local.get $i) (i32.const 1))
          (then (drop (i64.trunc_sat_f64_u (local.get 1))))
          (else (block (drop (i32.trunc_sat_f32_s (local.get 0))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (i64.trunc_sat_f64_u (local.get 1)))
  (func $c (param f64) (result i32) (i32.trunc_sat_f64_s (local.get 0)))
  (func $plain (param f32) (result i32) (i32.trunc_f32_s (local.get 0))))
)";

TEST(LowerTruncSat, ReplacesEveryUseWithACallToItsHelper) {
  Bytes in = wat(kThreeOps);
  Census before = census(in);
  ASSERT_EQ(before.sat_ops, 6);
  Bytes out = lower(in);
  Census after = census(out);
  EXPECT_EQ(after.sat_ops, 0);
  EXPECT_EQ(after.calls["__fleetpack_i32_trunc_sat_f32_s"], 3);
  EXPECT_EQ(after.calls["__fleetpack_i64_trunc_sat_f64_u"], 2);
  EXPECT_EQ(after.calls["__fleetpack_i32_trunc_sat_f64_s"], 1);
  Diagnostics d;
  auto m = load_module("out.wasm", out, d);
  ASSERT_TRUE(m);
  for (const auto& u : detect_features(*m)) EXPECT_NE(u.feature, Feature::NontrappingFloatToInt);
}

TEST(LowerTruncSat, AddsExactlyTheHelpersUsedAfterEveryFunction) {
  Bytes in = wat(kThreeOps);
  Census before = census(in);
  Census after = census(lower(in));
  // In the order of the opcodes (0xfc 0x00..0x07), whatever the order of first use.
  EXPECT_EQ(after.helpers,
            (std::vector<std::string>{"__fleetpack_i32_trunc_sat_f32_s", "__fleetpack_i32_trunc_sat_f64_s",
                                      "__fleetpack_i64_trunc_sat_f64_u"}));
  EXPECT_EQ(after.funcs, before.funcs + 3);
  // Appended: the module's own functions keep their indices (and names).
  auto ir = read_ir(lower(in));
  ASSERT_TRUE(ir);
  EXPECT_EQ(ir->funcs[0]->name, "$a");
  EXPECT_EQ(ir->funcs[3]->name, "$plain");
}

TEST(LowerTruncSat, AllEightOpsValidateWithEveryFeatureOff) {
  std::string text = "(module\n";
  const char* ops[] = {"i32.trunc_sat_f32_s", "i32.trunc_sat_f32_u", "i32.trunc_sat_f64_s",
                       "i32.trunc_sat_f64_u", "i64.trunc_sat_f32_s", "i64.trunc_sat_f32_u",
                       "i64.trunc_sat_f64_s", "i64.trunc_sat_f64_u"};
  for (const char* op : ops) {
    std::string name(op);
    const char* param = name.find("f32") != std::string::npos ? "f32" : "f64";
    text += "(func (export \"" + name + "\") (param " + param + ") (result " + name.substr(0, 3) + ") (" +
            name + " (local.get 0)))\n";
  }
  text += ")";
  Bytes in = wat(text);
  EXPECT_FALSE(validate_with_features(in, FeatureSet{}).ok);  // the input needs the feature
  Bytes out = lower(in);
  RevalidateResult r = validate_with_features(out, FeatureSet{});
  EXPECT_TRUE(r.ok) << r.message << " at 0x" << std::hex << r.offset;
  Census c = census(out);
  EXPECT_EQ(c.sat_ops, 0);
  ASSERT_EQ(c.helpers.size(), 8u);
  for (size_t i = 0; i < 8; ++i) {
    std::string expected = std::string("__fleetpack_") + ops[i];
    expected[expected.find('.')] = '_';
    EXPECT_EQ(c.helpers[i], expected);
    EXPECT_EQ(c.calls[expected], 1) << expected;
  }
}

uint32_t f32_bits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}
uint64_t f64_bits(double d) {
  uint64_t b;
  std::memcpy(&b, &d, 8);
  return b;
}

// The guard of each helper: (LO_CMP x LO) & (x < HI). The expected bounds are computed here from the
// numbers, independently of the lowering's bit-pattern table.
TEST(LowerTruncSat, HelpersCompareAgainstTheExactBounds) {
  Bytes out = lower(wat(R"((module
    (func (param f32 f64) (result i32)
      (i32.add (i32.trunc_sat_f32_s (local.get 0)) (i32.trunc_sat_f64_s (local.get 1))))
    (func (param f32 f64) (result i64)
      (i64.add (i64.trunc_sat_f32_u (local.get 0)) (i64.trunc_sat_f64_s (local.get 1))))))"));
  auto ir = read_ir(out);
  ASSERT_TRUE(ir);
  struct Expect {
    const char* helper;
    Opcode lo_cmp;
    uint64_t lo, hi;
    Opcode trunc;
  };
  const Expect expected[] = {
      // -2^31 is an f32 and in range; nothing lies between it and -2^31 - 1.
      {"$__fleetpack_i32_trunc_sat_f32_s", Opcode::F32Ge, f32_bits(-2147483648.0f), f32_bits(2147483648.0f),
       Opcode::I32TruncF32S},
      // -2147483648.9 truncates into range, -2147483649.0 (an f64) does not.
      {"$__fleetpack_i32_trunc_sat_f64_s", Opcode::F64Gt, f64_bits(-2147483649.0), f64_bits(2147483648.0),
       Opcode::I32TruncF64S},
      // -0.9 truncates to 0 (in range), -1.0 does not.
      {"$__fleetpack_i64_trunc_sat_f32_u", Opcode::F32Gt, f32_bits(-1.0f), f32_bits(18446744073709551616.0f),
       Opcode::I64TruncF32U},
      {"$__fleetpack_i64_trunc_sat_f64_s", Opcode::F64Ge, f64_bits(-9223372036854775808.0),
       f64_bits(9223372036854775808.0), Opcode::I64TruncF64S},
  };
  for (const Expect& e : expected) {
    const wabt::Func* f = ir->GetFunc(wabt::Var(e.helper, wabt::Location()));
    ASSERT_TRUE(f) << e.helper;
    std::vector<const wabt::Expr*> body;
    for (const wabt::Expr& x : f->exprs) body.push_back(&x);
    ASSERT_EQ(body.size(), 8u) << e.helper;
    auto bits = [](const wabt::Expr* x) -> uint64_t {
      auto* c = wabt::cast<wabt::ConstExpr>(x);
      return c->const_.type() == wabt::Type::F32 ? c->const_.f32_bits() : c->const_.f64_bits();
    };
    EXPECT_EQ(bits(body[1]), e.lo) << e.helper;
    EXPECT_EQ(opcode_of(*body[2]), e.lo_cmp) << e.helper;
    EXPECT_EQ(opcode_of(*body[5]),
              e.lo_cmp == Opcode::F32Ge || e.lo_cmp == Opcode::F32Gt ? Opcode::F32Lt : Opcode::F64Lt);
    EXPECT_EQ(bits(body[4]), e.hi) << e.helper;
    auto* branch = wabt::cast<wabt::IfExpr>(body[7]);
    EXPECT_EQ(opcode_of(branch->true_.exprs.back()), e.trunc) << e.helper;
  }
}

TEST(LowerTruncSat, LoweringTwiceIsANoOp) {
  Bytes once = lower(wat(kThreeOps));
  Bytes twice = lower(once);
  EXPECT_EQ(twice, once);
  EXPECT_EQ(census(twice).helpers.size(), 3u);

  // The lowering itself, on the IR of a lowered module, adds nothing either.
  Diagnostics d;
  StepContext ctx(d);
  auto ir = read_ir(once);
  ASSERT_TRUE(ir);
  const size_t funcs = ir->funcs.size();
  LoweringContext lc(*ir, ctx, Feature::NontrappingFloatToInt);
  EXPECT_TRUE(lower_trunc_sat(lc));
  EXPECT_EQ(ir->funcs.size(), funcs);
  EXPECT_EQ(write_ir(*ir, FeatureSet{}), write_ir(*read_ir(once), FeatureSet{}));
}

TEST(LowerTruncSat, NothingToDoWhenUnusedOrTheVmHasIt) {
  Bytes plain =
      wat("(module (func (export \"f\") (param f32) (result i32) (i32.trunc_f32_s (local.get 0))))");
  EXPECT_EQ(lower(plain), plain);
  Bytes sat = wat(kThreeOps);
  FeatureSet vm;
  vm.add(Feature::NontrappingFloatToInt);
  EXPECT_EQ(lower(sat, vm), sat);
}

TEST(LowerTruncSat, HelperNameDoesNotCollideWithAUserFunction) {
  Bytes out = lower(wat(R"((module
    (func $__fleetpack_i32_trunc_sat_f32_s (export "f") (param f32) (result i32)
      (i32.trunc_sat_f32_s (local.get 0)))))"));
  Census c = census(out);
  EXPECT_EQ(c.helpers, (std::vector<std::string>{"__fleetpack_i32_trunc_sat_f32_s",
                                                 "__fleetpack_i32_trunc_sat_f32_s.1"}));
  EXPECT_EQ(c.calls["__fleetpack_i32_trunc_sat_f32_s.1"], 1);
  EXPECT_EQ(c.calls["__fleetpack_i32_trunc_sat_f32_s"], 0);
}

}  // namespace
}  // namespace fleetpack
