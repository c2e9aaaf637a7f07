// lower-nontrapping-float-to-int: the eight saturating truncations (i32/i64.trunc_sat_f32/f64_s/u) become
// calls to one helper function per opcode used, added once per module, with the spec's exact semantics
// (not LLVM's fptosi.sat-on-undefined-input shortcuts): NaN -> 0, values whose truncation does not fit the
// integer type saturate to its min or max, everything else is truncated toward zero (-0.0 and -0.9 -> 0).
//
// A helper (x is its only parameter, T its integer result type) reads:
//
//   (if (result T) (i32.and (LO_CMP x LO) (f.lt x HI))   ;; exactly the x whose truncation fits T
//     (then (TRUNC x))                                  ;; the trapping op, which cannot trap here
//     (else (select (select MIN MAX (f.lt x 0))         ;; out of range: saturate by sign...
//                   0 (f.eq x x))))                     ;; ...unless NaN (x != x), which gives 0
//
// The trapping TRUNC traps exactly when x is NaN or trunc(x) (x rounded toward zero) lies outside
// [MIN, MAX]. The guard accepts exactly the other x, so the helper never traps and returns trunc(x)
// wherever the spec defines trunc_sat as trunc. NaN makes both comparisons false (then x == x is false:
// 0); +-infinity fail the guard and saturate by sign.
//
// Deriving the bounds. N is the integer width, M = 2^N for _u and 2^(N-1) for _s, so MAX = M - 1.
//
//   Upper bound, every op: trunc(x) <= M - 1  <=>  x < M.  (For x >= 0, trunc(x) = floor(x), and
//   floor(x) <= M - 1 <=> x < M.) M is a power of two, exact in f32 and f64, so `x < M` is an exact
//   comparison: HI = 2^31, 2^32, 2^63 or 2^64, compared with f.lt. The tempting `x <= MAX` is wrong:
//   2^31 - 1 (f32), 2^63 - 1 and 2^64 - 1 (f32 and f64) are not representable and round up to M, so
//   the constant would admit x = M, whose truncation traps. So the test is `>= 2^31` to saturate, not
//   `> 2^31 - 1`. (The largest f32 below 2^31 is 2147483520.0f = 0x4effffff: in range.)
//
//   Lower bound, _s: trunc(x) >= -M  <=>  x > -M - 1.  (For x < 0, trunc(x) = ceil(x), and for an
//   integer m, ceil(x) >= m <=> x > m - 1.) Whether -M - 1 is a float decides the comparison:
//     f64 -> i32: -2^31 - 1 = -2147483649 has 32 significant bits (<= 53): exact. LO = -2147483649.0,
//                 compared with f64.gt: -2147483648.9 truncates to -2147483648 (in range, NOT
//                 saturated by accident), -2147483649.0 saturates.
//     f32 -> i32: -2^31 - 1 is not an f32 (24 significant bits; the f32 neighbours of -2^31 are
//                 -2^31 + 128 and -2^31 - 256), so no f32 lies in (-2^31 - 1, -2^31) and
//                 x > -2^31 - 1 <=> x >= -2^31. LO = -2^31, compared with f32.ge: -2^31 is in range.
//     f32/f64 -> i64: -2^63 - 1 needs 64 significant bits, in neither type (the neighbours below
//                 -2^63 are -2^63 - 2^40 in f32 and -2^63 - 2048 in f64), so x > -2^63 - 1 <=>
//                 x >= -2^63. LO = -2^63, compared with f.ge.
//   Lower bound, _u: trunc(x) >= 0  <=>  x > -1.  -1 is exact, LO = -1.0 compared with f.gt: -0.9
//   truncates to -0 = 0 (in range: no trap, no saturation), -1.0 saturates (to 0 as well).
//
// Constants (bit patterns; f32 | f64):
//   2^31  0x4f000000 | 0x41e0000000000000     -2^31       0xcf000000 | (unused)
//   2^32  0x4f800000 | 0x41f0000000000000     -2147483649 (no f32)   | 0xc1e0000000200000
//   2^63  0x5f000000 | 0x43e0000000000000     -2^63       0xdf000000 | 0xc3e0000000000000
//   2^64  0x5f800000 | 0x43f0000000000000     -1          0xbf800000 | 0xbff0000000000000
//
// Helpers are appended after every existing function (no index changes) and named in the name section
// (`__fleetpack_i32_trunc_sat_f32_s`, ...), so symbol maps show them. Only helpers used are added, in
// the table's order, so the output is deterministic.
#include <array>
#include <string>

#include <wabt/cast.h>

#include "passes/ir_util.h"
#include "passes/lowering.h"
#include "passes/registry.h"

namespace fleetpack {

namespace {
using wabt::Opcode;

struct TruncSatOp {
  Opcode sat;         ///< the non-trapping opcode being lowered
  Opcode trunc;       ///< its trapping twin, used only where it cannot trap
  const char* name;   ///< helper name
  bool f64;           ///< operand type f64 (else f32)
  bool i64;           ///< result type i64 (else i32)
  bool lo_inclusive;  ///< in range when x >= LO (else x > LO)
  uint64_t lo_bits;   ///< LO, as the operand type's bits
  uint64_t hi_bits;   ///< HI (exclusive), as the operand type's bits
  uint64_t min, max;  ///< saturation values, as the result type's bits
};

constexpr uint64_t kI32Min = 0x80000000u, kI32Max = 0x7fffffffu, kU32Max = 0xffffffffu;
constexpr uint64_t kI64Min = 0x8000000000000000u, kI64Max = 0x7fffffffffffffffu, kU64Max = ~uint64_t{0};

// The derivation of every bound is in the comment at the top of this file.
const std::array<TruncSatOp, 8> kOps = {{
    {Opcode::I32TruncSatF32S, Opcode::I32TruncF32S, "__fleetpack_i32_trunc_sat_f32_s", false, false, true,
     0xcf000000u /* -2^31 */, 0x4f000000u /* 2^31 */, kI32Min, kI32Max},
    {Opcode::I32TruncSatF32U, Opcode::I32TruncF32U, "__fleetpack_i32_trunc_sat_f32_u", false, false, false,
     0xbf800000u /* -1 */, 0x4f800000u /* 2^32 */, 0, kU32Max},
    {Opcode::I32TruncSatF64S, Opcode::I32TruncF64S, "__fleetpack_i32_trunc_sat_f64_s", true, false, false,
     0xc1e0000000200000u /* -2147483649 */, 0x41e0000000000000u /* 2^31 */, kI32Min, kI32Max},
    {Opcode::I32TruncSatF64U, Opcode::I32TruncF64U, "__fleetpack_i32_trunc_sat_f64_u", true, false, false,
     0xbff0000000000000u /* -1 */, 0x41f0000000000000u /* 2^32 */, 0, kU32Max},
    {Opcode::I64TruncSatF32S, Opcode::I64TruncF32S, "__fleetpack_i64_trunc_sat_f32_s", false, true, true,
     0xdf000000u /* -2^63 */, 0x5f000000u /* 2^63 */, kI64Min, kI64Max},
    {Opcode::I64TruncSatF32U, Opcode::I64TruncF32U, "__fleetpack_i64_trunc_sat_f32_u", false, true, false,
     0xbf800000u /* -1 */, 0x5f800000u /* 2^64 */, 0, kU64Max},
    {Opcode::I64TruncSatF64S, Opcode::I64TruncF64S, "__fleetpack_i64_trunc_sat_f64_s", true, true, true,
     0xc3e0000000000000u /* -2^63 */, 0x43e0000000000000u /* 2^63 */, kI64Min, kI64Max},
    {Opcode::I64TruncSatF64U, Opcode::I64TruncF64U, "__fleetpack_i64_trunc_sat_f64_u", true, true, false,
     0xbff0000000000000u /* -1 */, 0x43f0000000000000u /* 2^64 */, 0, kU64Max},
}};

/// The kOps entry of a saturating truncation (wabt reads them as Convert, older versions as Unary).
const TruncSatOp* trunc_sat_of(const wabt::Expr& e) {
  Opcode opcode;
  if (auto* c = wabt::dyn_cast<wabt::ConvertExpr>(&e))
    opcode = c->opcode;
  else if (auto* u = wabt::dyn_cast<wabt::UnaryExpr>(&e))
    opcode = u->opcode;
  else
    return nullptr;
  for (const auto& t : kOps)
    if (t.sat == opcode) return &t;
  return nullptr;
}

wabt::Index add_helper(wabt::Module& module, const TruncSatOp& t) {
  const wabt::Type ft = t.f64 ? wabt::Type::F64 : wabt::Type::F32;
  const wabt::Type it = t.i64 ? wabt::Type::I64 : wabt::Type::I32;
  auto fconst = [&](uint64_t bits) {
    return t.f64 ? f64_const_bits(bits) : f32_const_bits(static_cast<uint32_t>(bits));
  };
  auto iconst = [&](uint64_t v) { return t.i64 ? i64_const(v) : i32_const(static_cast<uint32_t>(v)); };
  auto fop = [&](Opcode o32, Opcode o64) { return op(t.f64 ? o64 : o32); };

  wabt::ExprList body;
  // In range: (LO_CMP x LO) & (x < HI).
  body.push_back(local_get(0));
  body.push_back(fconst(t.lo_bits));
  body.push_back(t.lo_inclusive ? fop(Opcode::F32Ge, Opcode::F64Ge) : fop(Opcode::F32Gt, Opcode::F64Gt));
  body.push_back(local_get(0));
  body.push_back(fconst(t.hi_bits));
  body.push_back(fop(Opcode::F32Lt, Opcode::F64Lt));
  body.push_back(op(Opcode::I32And));

  auto branch = std::make_unique<wabt::IfExpr>();
  branch->true_.decl.sig.result_types = {it};
  branch->true_.exprs.push_back(local_get(0));
  branch->true_.exprs.push_back(op(t.trunc));
  // Out of range or NaN: (x < 0 ? MIN : MAX), then (x == x ? that : 0).
  wabt::ExprList& out = branch->false_;
  out.push_back(iconst(t.min));
  out.push_back(iconst(t.max));
  out.push_back(local_get(0));
  out.push_back(fconst(0));
  out.push_back(fop(Opcode::F32Lt, Opcode::F64Lt));
  out.push_back(std::make_unique<wabt::SelectExpr>(wabt::TypeVector{}));
  out.push_back(iconst(0));
  out.push_back(local_get(0));
  out.push_back(local_get(0));
  out.push_back(fop(Opcode::F32Eq, Opcode::F64Eq));
  out.push_back(std::make_unique<wabt::SelectExpr>(wabt::TypeVector{}));
  body.push_back(std::move(branch));

  return add_function(module, t.name, {ft}, {it}, {}, std::move(body));
}
}  // namespace

bool lower_trunc_sat(LoweringContext& lc) {
  wabt::Module& module = lc.module;
  // Which helpers are needed, before any is added, so only the module's own functions are rewritten.
  std::array<bool, kOps.size()> used{};
  for_each_defined_func(module, [&](wabt::Func& func, wabt::Index) {
    for_each_expr_list(func, [&](wabt::ExprList& list) {
      for (const wabt::Expr& e : list)
        if (const TruncSatOp* t = trunc_sat_of(e)) used[t - kOps.data()] = true;
    });
  });
  const wabt::Index own_funcs = static_cast<wabt::Index>(module.funcs.size());
  std::array<wabt::Index, kOps.size()> helper{};
  for (size_t i = 0; i < kOps.size(); ++i)
    if (used[i]) helper[i] = add_helper(module, kOps[i]);

  for_each_defined_func(module, [&](wabt::Func& func, wabt::Index index) {
    if (index >= own_funcs) return;
    for_each_expr_list(func, [&](wabt::ExprList& list) {
      for (auto it = list.begin(); it != list.end();) {
        const TruncSatOp* t = trunc_sat_of(*it);
        if (!t) {
          ++it;
          continue;
        }
        auto c = call(helper[t - kOps.data()]);
        c->loc = it->loc;
        list.insert(it, std::move(c));
        it = list.erase(it);
      }
    });
  });
  return true;
}

bool run_lower_trunc_sat(StepContext& ctx) {
  return run_lowering(ctx, Feature::NontrappingFloatToInt, lower_trunc_sat);
}

}  // namespace fleetpack
