// lower-multivalue: the multivalue proposal lets blocks take parameters and everything return several
// values. What has an MVP form is rewritten:
//   - a block, loop or if whose block type is a type index with no parameters and 0 or 1 results gets
//     the plain form (empty or one value type);
//   - a block or if with parameters: the parameters (and the if's condition) are stored in new locals
//     just before it and read back at the start of its body (and of both arms of an if; an if without
//     else has results = parameters, so its new else just reads them back). Branches to a block carry
//     its results, never its parameters, so nothing else changes.
// What has none is an error: a loop with parameters (a branch back to a loop carries the loop's
// parameters, so every br/br_if/br_table to it would need rewriting), any block with several results,
// and a function type (function, import, call_indirect) with several results. A type-section entry with
// several results that nothing references is removed, since the module would otherwise still use
// multivalue (wabt writes every type).
#include <set>

#include <fmt/format.h>
#include <wabt/cast.h>

#include "passes/ir_util.h"
#include "passes/lowering.h"
#include "passes/registry.h"

namespace fleetpack {

namespace {

const char kHint[] =
    "build the engine without multivalue (clang -mno-multivalue; rustc -C target-feature=-multivalue), "
    "or choose a profile whose VM has multivalue";

std::string type_list(const wabt::TypeVector& types) {
  std::string s;
  for (wabt::Type t : types) s += (s.empty() ? "" : ", ") + t.GetName();
  return "(" + s + ")";
}

std::string signature(const wabt::FuncSignature& sig) {
  return type_list(sig.param_types) + " -> " + type_list(sig.result_types);
}

/// Stores the `types.size()` values on top of the stack (the last on top) in new locals of `func`
/// (inserted before `pos`); returns the first new local's index.
wabt::Index stash(wabt::Func& func, wabt::ExprList& list, wabt::ExprList::iterator pos,
                  const wabt::TypeVector& types) {
  const wabt::Index first = func.GetNumParamsAndLocals();
  for (wabt::Type t : types) func.local_types.AppendDecl(t, 1);
  for (wabt::Index k = static_cast<wabt::Index>(types.size()); k-- > 0;) {
    auto set = local_set(first + k);
    set->loc = pos->loc;
    list.insert(pos, std::move(set));
  }
  return first;
}

/// Puts local.get first..first+count-1 at the start of `body`.
void reload(wabt::ExprList& body, wabt::Index first, size_t count) {
  for (size_t k = count; k-- > 0;) body.push_front(local_get(first + static_cast<wabt::Index>(k)));
}

}  // namespace

bool lower_multivalue(LoweringContext& lc) {
  wabt::Module& m = lc.module;
  bool ok = true;
  for (wabt::Index fi = 0; fi < m.funcs.size(); ++fi) {
    const wabt::Func& f = *m.funcs[fi];
    if (f.GetNumResults() <= 1) continue;
    lc.cannot_lower(fi,
                    fmt::format("{} returns {} values: {}", fi < m.num_func_imports ? "the import" : "it",
                                f.GetNumResults(), signature(f.decl.sig)),
                    kHint);
    ok = false;
  }
  for_each_defined_func(m, [&](wabt::Func& func, wabt::Index fi) {
    if (func.GetNumResults() > 1) return;  // reported above
    std::string problem;
    for_each_expr_list(func, [&](wabt::ExprList& list) {
      for (auto it = list.begin(); it != list.end() && problem.empty(); ++it) {
        wabt::Block* block = nullptr;
        const char* what = "block";
        if (auto* b = wabt::dyn_cast<wabt::BlockExpr>(&*it)) block = &b->block;
        if (auto* l = wabt::dyn_cast<wabt::LoopExpr>(&*it)) block = &l->block, what = "loop";
        if (auto* i = wabt::dyn_cast<wabt::IfExpr>(&*it)) block = &i->true_, what = "if";
        if (auto* t = wabt::dyn_cast<wabt::TryExpr>(&*it)) block = &t->block, what = "try";
        const wabt::FuncDeclaration* call_type = nullptr;
        const char* call = "call_indirect";
        if (auto* c = wabt::dyn_cast<wabt::CallIndirectExpr>(&*it)) call_type = &c->decl;
        if (auto* c = wabt::dyn_cast<wabt::ReturnCallIndirectExpr>(&*it))
          call_type = &c->decl, call = "return_call_indirect";
        if (call_type && call_type->GetNumResults() > 1) {
          problem = fmt::format("{} of type {}, which returns {} values", call, signature(call_type->sig),
                                call_type->GetNumResults());
        }
        if (!block) continue;
        wabt::FuncDeclaration& d = block->decl;
        if (d.GetNumResults() > 1) {
          problem =
              fmt::format("{} with {} results {}", what, d.GetNumResults(), type_list(d.sig.result_types));
        } else if (d.GetNumParams() > 0 &&
                   (wabt::isa<wabt::LoopExpr>(&*it) || wabt::isa<wabt::TryExpr>(&*it))) {
          problem = fmt::format("{} with parameters {}", what, type_list(d.sig.param_types));
        } else if (d.GetNumParams() > 0) {
          const wabt::TypeVector params = d.sig.param_types;
          if (auto* i = wabt::dyn_cast<wabt::IfExpr>(&*it)) {
            // The condition is on top of the parameters: set it aside, stash them, and put it back.
            const wabt::Index cond = stash(func, list, it, {wabt::Type::I32});
            const wabt::Index first = stash(func, list, it, params);
            list.insert(it, local_get(cond));
            reload(i->true_.exprs, first, params.size());
            reload(i->false_, first, params.size());
          } else {
            const wabt::Index first = stash(func, list, it, params);
            reload(block->exprs, first, params.size());
          }
          d.sig.param_types.clear();
        }
        if (problem.empty()) d.has_func_type = false;  // the plain form: empty or one value type
      }
    });
    if (problem.empty()) return;
    lc.cannot_lower(fi, problem, kHint);
    ok = false;
  });
  if (!ok) return false;
  remove_unreferenced_types(m, [](const wabt::FuncType& t) { return t.GetNumResults() > 1; });
  return true;
}

bool run_lower_multivalue(StepContext& ctx) {
  return run_lowering(ctx, Feature::Multivalue, lower_multivalue);
}

}  // namespace fleetpack
