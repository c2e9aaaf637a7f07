// lower-traps (JS fallbacks only): makes the fallback trap where Wasm traps. wasm2js translates a load or
// store to a typed-array access (out of bounds: undefined, or nothing written), integer division to JS
// division (by zero: no error) and float-to-int truncation to `~~x` (out of range: wraps); Wasm traps on
// each. An engine that relies on a trap (a bounds bug caught, an abort) would run on in the fallback with
// wrong values, or loop for ever. So every such instruction becomes a call to a helper that checks the
// operands and executes `unreachable` (wasm2js: env.abort, which the wrapper throws as a RuntimeError)
// exactly where Wasm would trap, then does the operation. call_indirect gets a check of its table slot
// against the function type it calls (see StaticTable).
//
// Accesses at addresses that are not a multiple of their size take wasm2js's byte-by-byte form (see
// aligned_or_not). Bounds are compared in f64 (address + offset + size > memory.size * 65536): exact for
// every 32-bit address, and cheap in JS, where wasm2js emulates i64 arithmetic in pairs of i32.
#include <map>
#include <optional>
#include <vector>

#include <fmt/format.h>
#include <wabt/cast.h>

#include "passes/ir_util.h"
#include "passes/registry.h"

namespace fleetpack {

namespace {

/// A value type as WebAssembly text names it ("i32", "f64", ...).
std::string wat_type(wabt::Type t) { return t.GetName(); }

std::string bounds_check(uint64_t end) {
  return fmt::format(
      "(if (f64.gt (f64.add (f64.convert_i32_u (local.get 0)) (f64.const {}))"
      " (f64.mul (f64.convert_i32_u (memory.size)) (f64.const 65536))) (then (unreachable)))",
      end);
}

/// wasm2js turns an access into a typed-array index (HEAP32[addr >> 2]): at an address that is not a
/// multiple of the access size that silently reads or writes the aligned word instead, although Wasm
/// allows any address whatever the alignment hint. An access that is not aligned takes the align=1 form,
/// which wasm2js does byte by byte; aligned ones keep the fast form.
std::string aligned_or_not(const std::string& op_name, uint64_t offset, uint64_t size,
                           const std::string& operands, const std::string& result) {
  if (size == 1) return fmt::format("({} offset={} {})", op_name, offset, operands);
  return fmt::format(
      "(if {} (i32.and (i32.add (local.get 0) (i32.const {})) (i32.const {})) (then ({} offset={} align=1 "
      "{})) "
      "(else ({} offset={} {})))",
      result, static_cast<uint32_t>(offset), size - 1, op_name, offset, operands, op_name, offset, operands);
}

std::string load_helper(const wabt::LoadExpr& e) {
  const wabt::Opcode op = e.opcode;
  const std::string type = wat_type(op.GetResultType());
  return fmt::format(
      "(module (memory 0) (func (param i32) (result {}) {} {}))", type,
      bounds_check(e.offset + op.GetMemorySize()),
      aligned_or_not(op.GetName(), e.offset, op.GetMemorySize(), "(local.get 0)", "(result " + type + ")"));
}

std::string store_helper(const wabt::StoreExpr& e) {
  const wabt::Opcode op = e.opcode;
  return fmt::format(
      "(module (memory 0) (func (param i32) (param {}) {} {}))", wat_type(op.GetParamType2()),
      bounds_check(e.offset + op.GetMemorySize()),
      aligned_or_not(op.GetName(), e.offset, op.GetMemorySize(), "(local.get 0) (local.get 1)", ""));
}

/// Integer division and remainder: trap on a zero divisor, and div_s on MIN / -1 (overflow).
std::string division_helper(wabt::Opcode op) {
  const std::string t = wat_type(op.GetResultType());
  const bool is_div_s = op == wabt::Opcode::I32DivS || op == wabt::Opcode::I64DivS;
  const std::string min = t == "i32" ? "0x80000000" : "0x8000000000000000";
  std::string overflow =
      is_div_s ? fmt::format(
                     "(if (i32.and ({0}.eq (local.get 0) ({0}.const {1})) ({0}.eq (local.get 1) ({0}.const "
                     "-1))) (then (unreachable)))",
                     t, min)
               : "";
  return fmt::format(
      "(module (func (param {0}) (param {0}) (result {0}) (if ({0}.eqz (local.get 1)) (then "
      "(unreachable))) {1} ({2} (local.get 0) (local.get 1))))",
      t, overflow, op.GetName());
}

/// Float-to-int truncation: trap on NaN and on values whose truncation the result type cannot hold.
/// Each range is the open or half-open interval of floats that truncate into the type, with bounds that
/// are exact in f32 and f64 (-2^31 - 1 is not an f32, so i32 from f32 uses x >= -2^31).
std::string trunc_helper(wabt::Opcode op) {
  using O = wabt::Opcode;
  const std::string f = wat_type(op.GetParamType1());
  std::string lower, upper;
  switch (op) {
    case O::I32TruncF32S:
      lower = "(f32.ge (local.get 0) (f32.const -2147483648))";
      upper = "2147483648";
      break;
    case O::I32TruncF64S:
      lower = "(f64.gt (local.get 0) (f64.const -2147483649))";
      upper = "2147483648";
      break;
    case O::I32TruncF32U:
    case O::I32TruncF64U:
      lower = fmt::format("({}.gt (local.get 0) ({}.const -1))", f, f);
      upper = "4294967296";
      break;
    case O::I64TruncF32S:
    case O::I64TruncF64S:
      lower = fmt::format("({}.ge (local.get 0) ({}.const -9223372036854775808))", f, f);
      upper = "9223372036854775808";
      break;
    default:
      lower = fmt::format("({}.gt (local.get 0) ({}.const -1))", f, f);
      upper = "18446744073709551616";
      break;
  }
  // wasm2js 108 truncates f32 to i64 imprecisely above 2^53 (it splits the value in f32 arithmetic);
  // promoting to f64 first is exact, and its f64 truncation is right.
  std::string operation = fmt::format("({} (local.get 0))", op.GetName());
  if (op == O::I64TruncF32S) operation = "(i64.trunc_f64_s (f64.promote_f32 (local.get 0)))";
  if (op == O::I64TruncF32U) operation = "(i64.trunc_f64_u (f64.promote_f32 (local.get 0)))";
  return fmt::format(
      "(module (func (param {0}) (result {1}) (if (i32.eqz (i32.and {2} ({0}.lt (local.get 0) ({0}.const "
      "{3}))))"
      " (then (unreachable))) {4}))",
      f, wat_type(op.GetResultType()), lower, upper, operation);
}

/// call_indirect: Wasm traps when the table slot is out of range, empty, or holds a function of another
/// type; wasm2js calls whatever is there. In an MVP module the table's contents are fixed at
/// instantiation (no table.set/grow: those are lowered or refused earlier), so each called type gets a
/// check of the slot against the slots that hold a function of that type. Slots of a table fleetpack
/// cannot know statically (imported, or filled at a non-constant offset) are left unchecked.
struct StaticTable {
  bool known = false;
  std::vector<std::optional<wabt::FuncSignature>> slots;  ///< the function type in each slot, if any
};

StaticTable static_table(const wabt::Module& m) {
  StaticTable t;
  if (m.tables.size() != 1 || m.num_table_imports != 0) return t;
  t.slots.resize(m.tables[0]->elem_limits.initial);
  for (const wabt::ElemSegment* seg : m.elem_segments) {
    if (seg->kind != wabt::SegmentKind::Active) continue;
    const auto* c = seg->offset.size() == 1 ? wabt::dyn_cast<wabt::ConstExpr>(&seg->offset.front()) : nullptr;
    if (!c || c->const_.type() != wabt::Type::I32) return t;
    uint64_t at = c->const_.u32();
    for (const wabt::ExprList& e : seg->elem_exprs) {
      if (at >= t.slots.size()) return t;
      const auto* ref = e.size() == 1 ? wabt::dyn_cast<wabt::RefFuncExpr>(&e.front()) : nullptr;
      if (ref)
        if (const wabt::Func* f = m.GetFunc(ref->var)) t.slots[at] = f->decl.sig;
      ++at;
    }
  }
  t.known = true;
  return t;
}

std::string call_indirect_helper(const StaticTable& table, const wabt::FuncSignature& sig) {
  std::string targets;
  for (const auto& slot : table.slots) targets += slot && *slot == sig ? "$ok " : "$bad ";
  return fmt::format(
      "(module (func (param i32) (result i32) (block $ok (block $bad (br_table {}$bad (local.get 0))) "
      "(unreachable)) (local.get 0)))",
      targets);
}

bool is_division(wabt::Opcode op) {
  using O = wabt::Opcode;
  return op == O::I32DivS || op == O::I32DivU || op == O::I32RemS || op == O::I32RemU || op == O::I64DivS ||
         op == O::I64DivU || op == O::I64RemS || op == O::I64RemU;
}

bool is_trapping_trunc(wabt::Opcode op) {
  using O = wabt::Opcode;
  return op == O::I32TruncF32S || op == O::I32TruncF32U || op == O::I32TruncF64S || op == O::I32TruncF64U ||
         op == O::I64TruncF32S || op == O::I64TruncF32U || op == O::I64TruncF64S || op == O::I64TruncF64U;
}

}  // namespace

bool run_lower_traps(StepContext& ctx) {
  if (!ctx.build_fallback || !ctx.module) return true;
  auto ir = read_ir(ctx.module->bytes);
  if (!ir) return false;
  wabt::Module& m = *ir;
  const wabt::Index first_helper = static_cast<wabt::Index>(m.funcs.size());
  const StaticTable table = static_table(m);
  std::map<std::string, wabt::Index> helpers;  // by helper text: one helper per distinct operation
  auto helper_for = [&](const std::string& wat, const std::string& name) {
    auto [it, inserted] = helpers.try_emplace(wat, 0);
    if (inserted)
      it->second = add_helper(m, fmt::format("__fleetpack_trap_{}_{}", name, helpers.size()), wat);
    return it->second;
  };
  for_each_defined_func(m, [&](wabt::Func& func, wabt::Index index) {
    if (index >= first_helper) return;
    // Helpers that bulk-memory lowering added check their whole range themselves.
    if (func.name.rfind("$__fleetpack_memory_", 0) == 0) return;
    for_each_expr_list(func, [&](wabt::ExprList& list) {
      for (auto it = list.begin(); it != list.end(); ++it) {
        std::optional<wabt::Index> helper;
        if (auto* load = wabt::dyn_cast<wabt::LoadExpr>(&*it)) {
          helper = helper_for(load_helper(*load), "load");
        } else if (auto* store = wabt::dyn_cast<wabt::StoreExpr>(&*it)) {
          helper = helper_for(store_helper(*store), "store");
        } else if (auto* bin = wabt::dyn_cast<wabt::BinaryExpr>(&*it); bin && is_division(bin->opcode)) {
          helper = helper_for(division_helper(bin->opcode), "div");
        } else if (auto* conv = wabt::dyn_cast<wabt::ConvertExpr>(&*it);
                   conv && is_trapping_trunc(conv->opcode)) {
          helper = helper_for(trunc_helper(conv->opcode), "trunc");
        }
        if (auto* ci = wabt::dyn_cast<wabt::CallIndirectExpr>(&*it); ci && table.known) {
          // The check takes and returns the slot index, which is on top of the stack: call it just before.
          auto c = call(helper_for(call_indirect_helper(table, ci->decl.sig), "call_indirect"));
          c->loc = it->loc;
          it = list.insert(it, std::move(c));
          ++it;
          continue;
        }
        if (!helper) continue;
        auto c = call(*helper);
        c->loc = it->loc;
        it = list.erase(it);
        it = list.insert(it, std::move(c));
      }
    });
  });
  if (helpers.empty()) return true;
  Bytes bytes = write_ir(m, wasm2js_features(), /*names=*/false);
  ir.reset();  // the IR's pages go back before the module is read again (and wasm2js's worker is forked)
  release_free_heap();
  auto lowered = load_module(ctx.module->file, std::move(bytes), ctx.diags);
  if (!lowered) {
    ctx.diags.error(ErrorKind::Internal, Location::file_only(ctx.input_file),
                    "the fallback's trap checks produced an invalid module", "report this to fleetpack");
    return false;
  }
  ctx.module = std::move(lowered);
  return true;
}

}  // namespace fleetpack
