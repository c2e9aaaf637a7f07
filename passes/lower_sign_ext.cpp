// lower-sign-ext: i32.extend8_s/16_s and i64.extend8_s/16_s/32_s become a shift pair with the same
// result: shift the sign bit to the top, then arithmetic-shift back ((x << k) >> k, k = width - n).
// The operand is already on the stack, so each instruction is replaced in place by four.
#include <wabt/cast.h>

#include "passes/ir_util.h"
#include "passes/lowering.h"
#include "passes/registry.h"

namespace fleetpack {

namespace {
struct Shift {
  bool is64;
  uint32_t k;
};

std::optional<Shift> shift_for(wabt::Opcode op) {
  switch (op) {
    case wabt::Opcode::I32Extend8S:
      return Shift{false, 24};
    case wabt::Opcode::I32Extend16S:
      return Shift{false, 16};
    case wabt::Opcode::I64Extend8S:
      return Shift{true, 56};
    case wabt::Opcode::I64Extend16S:
      return Shift{true, 48};
    case wabt::Opcode::I64Extend32S:
      return Shift{true, 32};
    default:
      return std::nullopt;
  }
}
}  // namespace

bool lower_sign_ext(LoweringContext& lc) {
  for_each_defined_func(lc.module, [](wabt::Func& func, wabt::Index) {
    for_each_expr_list(func, [](wabt::ExprList& list) {
      for (auto it = list.begin(); it != list.end();) {
        auto* unary = wabt::dyn_cast<wabt::UnaryExpr>(&*it);
        auto shift = unary ? shift_for(unary->opcode) : std::nullopt;
        if (!shift) {
          ++it;
          continue;
        }
        const wabt::Location loc = it->loc;
        auto add = [&](std::unique_ptr<wabt::Expr> e) {
          e->loc = loc;
          list.insert(it, std::move(e));
        };
        if (shift->is64) {
          add(i64_const(shift->k));
          add(op(wabt::Opcode::I64Shl));
          add(i64_const(shift->k));
          add(op(wabt::Opcode::I64ShrS));
        } else {
          add(i32_const(shift->k));
          add(op(wabt::Opcode::I32Shl));
          add(i32_const(shift->k));
          add(op(wabt::Opcode::I32ShrS));
        }
        it = list.erase(it);
      }
    });
  });
  return true;
}

bool run_lower_sign_ext(StepContext& ctx) { return run_lowering(ctx, Feature::SignExt, lower_sign_ext); }

}  // namespace fleetpack
