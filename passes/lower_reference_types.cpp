// lower-reference-types: toolchains turn reference-types on for encodings alone. LLVM writes every
// call_indirect's table immediate as a padded 5-byte LEB (for relocations), and element segments may
// use the newer encodings (explicit table 0, expressions, declarative segments). When the module uses
// no reference value, none of that needs rewriting: run_lowering writes the IR without reference-types,
// which re-encodes call_indirect with MVP's 0x00 byte and each active funcref segment of table 0 in the
// MVP form. This lowering checks that nothing else is left, and otherwise names the first use:
//   - one table, of funcref (imported or defined);
//   - no externref/funcref in any global, function parameter, result or local, block type or
//     call_indirect type;
//   - no ref.null, ref.is_null, ref.func, table.get/set/grow/size/fill, and no call_indirect, table.init
//     or table.copy on another table;
//   - element segments hold funcref items that are plain function references (no ref.null).
// What it does rewrite: a typed select of a numeric type becomes a plain select (same semantics);
// declarative element segments go (they only declare functions for ref.func, of which there is none);
// unreferenced types mentioning a reference type go (wabt writes every type).
#include <set>

#include <fmt/format.h>
#include <wabt/cast.h>

#include "passes/ir_util.h"
#include "passes/lowering.h"
#include "passes/registry.h"

namespace fleetpack {

namespace {

const char kHint[] =
    "build the engine without reference-types (clang -mno-reference-types, rustc -C "
    "target-feature=-reference-types), or choose a profile whose VM has reference-types";

bool has_ref(const wabt::TypeVector& types) {
  for (wabt::Type t : types)
    if (t.IsRef()) return true;
  return false;
}

std::string first_ref(const wabt::TypeVector& types) {
  for (wabt::Type t : types)
    if (t.IsRef()) return t.GetName();
  return "";
}

/// What a code use of reference types is, or "" for none. `m` resolves table indices.
std::string ref_use(const wabt::Module& m, wabt::Expr& e) {
  switch (e.type()) {
    case wabt::ExprType::RefNull:
      return "ref.null";
    case wabt::ExprType::RefIsNull:
      return "ref.is_null";
    case wabt::ExprType::RefFunc:
      return "ref.func";
    case wabt::ExprType::TableGet:
      return "table.get";
    case wabt::ExprType::TableSet:
      return "table.set";
    case wabt::ExprType::TableGrow:
      return "table.grow";
    case wabt::ExprType::TableSize:
      return "table.size";
    case wabt::ExprType::TableFill:
      return "table.fill";
    default:
      break;
  }
  if (auto* s = wabt::dyn_cast<wabt::SelectExpr>(&e)) {
    if (has_ref(s->result_type)) return fmt::format("select of {}", first_ref(s->result_type));
    s->result_type.clear();  // a typed select of numbers is a plain select
  }
  const wabt::FuncDeclaration* decl = nullptr;
  const char* what = nullptr;
  if (auto* b = wabt::dyn_cast<wabt::BlockExpr>(&e)) decl = &b->block.decl, what = "block";
  if (auto* l = wabt::dyn_cast<wabt::LoopExpr>(&e)) decl = &l->block.decl, what = "loop";
  if (auto* i = wabt::dyn_cast<wabt::IfExpr>(&e)) decl = &i->true_.decl, what = "if";
  if (auto* c = wabt::dyn_cast<wabt::CallIndirectExpr>(&e)) {
    if (m.GetTableIndex(c->table) != 0)
      return fmt::format("call_indirect on table {}", m.GetTableIndex(c->table));
    decl = &c->decl, what = "call_indirect";
  }
  if (decl && has_ref(decl->sig.param_types))
    return fmt::format("{} with a {} parameter", what, first_ref(decl->sig.param_types));
  if (decl && has_ref(decl->sig.result_types))
    return fmt::format("{} with a {} result", what, first_ref(decl->sig.result_types));
  if (auto* t = wabt::dyn_cast<wabt::TableInitExpr>(&e); t && m.GetTableIndex(t->table_index) != 0)
    return fmt::format("table.init on table {}", m.GetTableIndex(t->table_index));
  if (auto* t = wabt::dyn_cast<wabt::TableCopyExpr>(&e);
      t && (m.GetTableIndex(t->dst_table) != 0 || m.GetTableIndex(t->src_table) != 0))
    return "table.copy between tables";
  return "";
}

/// The first reference-typed thing outside code, or "".
std::string module_level_use(const wabt::Module& m) {
  if (m.tables.size() > 1) return fmt::format("a second table (table 1 of {})", m.tables.size());
  if (!m.tables.empty() && m.tables[0]->elem_type != wabt::Type::FuncRef)
    return fmt::format("table 0 holds {}", m.tables[0]->elem_type.GetName());
  for (wabt::Index i = 0; i < m.globals.size(); ++i)
    if (m.globals[i]->type.IsRef()) return fmt::format("global {} is a {}", i, m.globals[i]->type.GetName());
  for (wabt::Index i = 0; i < m.elem_segments.size(); ++i) {
    const wabt::ElemSegment& seg = *m.elem_segments[i];
    if (seg.elem_type != wabt::Type::FuncRef)
      return fmt::format("element segment {} holds {}", i, seg.elem_type.GetName());
    if (seg.kind == wabt::SegmentKind::Declared) continue;  // goes (see the top comment)
    for (const wabt::ExprList& item : seg.elem_exprs)
      if (item.size() != 1 || !wabt::isa<wabt::RefFuncExpr>(&item.front()))
        return fmt::format("element segment {} holds a null reference", i);
  }
  return "";
}

/// The first reference-typed thing in a function's signature, locals or code, or "".
std::string function_use(const wabt::Module& m, wabt::Func& f) {
  if (has_ref(f.decl.sig.param_types)) return fmt::format("{} parameter", first_ref(f.decl.sig.param_types));
  if (has_ref(f.decl.sig.result_types)) return fmt::format("{} result", first_ref(f.decl.sig.result_types));
  for (wabt::Type t : f.local_types)
    if (t.IsRef()) return fmt::format("{} local", t.GetName());
  std::string use;
  for_each_expr_list(f, [&](wabt::ExprList& list) {
    for (wabt::Expr& e : list)
      if (use.empty()) use = ref_use(m, e);
  });
  return use;
}

/// Unreferenced types that mention a reference type: nothing uses them, but wabt would still write them.
void remove_ref_types(wabt::Module& m) {
  remove_unreferenced_types(
      m, [](const wabt::FuncType& t) { return has_ref(t.sig.param_types) || has_ref(t.sig.result_types); });
}

/// Declarative segments go: they only declare functions for ref.func, of which there is none. table.init
/// and elem.drop name segments by index, so they are renumbered; elem.drop of a declarative segment does
/// nothing and goes too.
bool remove_declarative_segments(LoweringContext& lc) {
  wabt::Module& m = lc.module;
  std::vector<std::optional<wabt::Index>> new_index;
  std::vector<wabt::ElemSegment*> kept;
  std::set<const wabt::ElemSegment*> removed;
  for (wabt::ElemSegment* seg : m.elem_segments) {
    if (seg->kind == wabt::SegmentKind::Declared) {
      new_index.push_back(std::nullopt);
      removed.insert(seg);
    } else {
      new_index.push_back(static_cast<wabt::Index>(kept.size()));
      kept.push_back(seg);
    }
  }
  if (removed.empty()) return true;
  bool ok = true;
  for_each_defined_func(m, [&](wabt::Func& f, wabt::Index fi) {
    for_each_expr_list(f, [&](wabt::ExprList& list) {
      for (auto it = list.begin(); it != list.end();) {
        wabt::Var* seg = nullptr;
        if (auto* t = wabt::dyn_cast<wabt::TableInitExpr>(&*it)) seg = &t->segment_index;
        if (auto* d = wabt::dyn_cast<wabt::ElemDropExpr>(&*it)) seg = &d->var;
        const auto to = seg ? new_index[m.GetElemSegmentIndex(*seg)] : std::nullopt;
        if (seg && !to && wabt::isa<wabt::ElemDropExpr>(&*it)) {
          it = list.erase(it);
          continue;
        }
        if (seg && !to && ok) {
          lc.cannot_lower(
              fi, fmt::format("table.init of declarative element segment {}", m.GetElemSegmentIndex(*seg)),
              kHint);
          ok = false;
        }
        if (to) *seg = wabt::Var(*to, seg->loc);
        ++it;
      }
    });
  });
  if (!ok) return false;
  m.elem_segments = kept;
  for (auto it = m.fields.begin(); it != m.fields.end();) {
    auto* f = wabt::dyn_cast<wabt::ElemSegmentModuleField>(&*it);
    it = f && removed.count(&f->elem_segment) ? m.fields.erase(it) : std::next(it);
  }
  return true;
}

}  // namespace

bool lower_reference_types(LoweringContext& lc) {
  wabt::Module& m = lc.module;
  if (std::string use = module_level_use(m); !use.empty()) {
    lc.cannot_lower_in_module(use, kHint);
    return false;
  }
  for (wabt::Index fi = 0; fi < m.funcs.size(); ++fi) {
    if (std::string use = function_use(m, *m.funcs[fi]); !use.empty()) {
      lc.cannot_lower(fi, use, kHint);
      return false;
    }
  }

  if (!remove_declarative_segments(lc)) return false;
  remove_ref_types(m);
  return true;
}

bool run_lower_reference_types(StepContext& ctx) {
  return run_lowering(ctx, Feature::ReferenceTypes, lower_reference_types);
}

}  // namespace fleetpack
