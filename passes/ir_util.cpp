#include "passes/ir_util.h"

#include <optional>
#include <set>

#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/binary-writer.h>
#include <wabt/cast.h>
#include <wabt/resolve-names.h>
#include <wabt/stream.h>
#include <wabt/wast-lexer.h>
#include <wabt/wast-parser.h>

#include "base/wabt_glue.h"

namespace fleetpack {

std::unique_ptr<wabt::Module> read_ir(const Bytes& bytes) {
  auto module = std::make_unique<wabt::Module>();
  wabt::Errors errors;
  wabt::ReadBinaryOptions options(all_wabt_features(), nullptr, /*read_debug_names=*/true,
                                  /*stop_on_first_error=*/true, /*fail_on_custom_section_error=*/false);
  if (wabt::Failed(wabt::ReadBinaryIr("", bytes.data(), bytes.size(), options, &errors, module.get())))
    return nullptr;
  return module;
}

Bytes write_ir(const wabt::Module& module, FeatureSet features, bool names) {
  wabt::MemoryStream stream;
  wabt::WriteBinaryOptions options(to_wabt_features(features), /*canonicalize_lebs=*/true,
                                   /*relocatable=*/false, /*write_debug_names=*/names);
  if (wabt::Failed(wabt::WriteBinaryModule(&stream, &module, options))) return {};
  const auto& data = stream.output_buffer().data;
  return Bytes(data.begin(), data.end());
}

namespace {
void visit(wabt::ExprList& list, const std::function<void(wabt::ExprList&)>& fn) {
  fn(list);
  for (wabt::Expr& e : list) {
    if (auto* b = wabt::dyn_cast<wabt::BlockExpr>(&e))
      visit(b->block.exprs, fn);
    else if (auto* l = wabt::dyn_cast<wabt::LoopExpr>(&e))
      visit(l->block.exprs, fn);
    else if (auto* i = wabt::dyn_cast<wabt::IfExpr>(&e)) {
      visit(i->true_.exprs, fn);
      visit(i->false_, fn);
    } else if (auto* t = wabt::dyn_cast<wabt::TryExpr>(&e)) {
      visit(t->block.exprs, fn);
      for (auto& c : t->catches) visit(c.exprs, fn);
    }
  }
}
}  // namespace

void for_each_expr_list(wabt::Func& func, const std::function<void(wabt::ExprList&)>& fn) {
  visit(func.exprs, fn);
}

void for_each_defined_func(wabt::Module& module, const std::function<void(wabt::Func&, wabt::Index)>& fn) {
  for (wabt::Index i = module.num_func_imports; i < module.funcs.size(); ++i) fn(*module.funcs[i], i);
}

wabt::Index ensure_func_type(wabt::Module& module, const wabt::TypeVector& params,
                             const wabt::TypeVector& results) {
  for (wabt::Index i = 0; i < module.types.size(); ++i) {
    auto* ft = wabt::dyn_cast<wabt::FuncType>(module.types[i]);
    if (ft && ft->sig.param_types == params && ft->sig.result_types == results) return i;
  }
  auto field = std::make_unique<wabt::TypeModuleField>();
  auto type = std::make_unique<wabt::FuncType>();
  type->sig.param_types = params;
  type->sig.result_types = results;
  field->type = std::move(type);
  module.AppendField(std::move(field));
  return static_cast<wabt::Index>(module.types.size() - 1);
}

wabt::Index add_function(wabt::Module& module, const std::string& name, const wabt::TypeVector& params,
                         const wabt::TypeVector& results, const wabt::TypeVector& locals,
                         wabt::ExprList body) {
  wabt::Index type = ensure_func_type(module, params, results);
  std::string unique = name;
  for (int n = 1; module.func_bindings.count("$" + unique); ++n) unique = name + "." + std::to_string(n);
  auto field = std::make_unique<wabt::FuncModuleField>(wabt::Location(), "$" + unique);
  wabt::Func& f = field->func;
  f.decl.has_func_type = true;
  f.decl.type_var = wabt::Var(type, wabt::Location());
  f.decl.sig.param_types = params;
  f.decl.sig.result_types = results;
  for (wabt::Type t : locals) f.local_types.AppendDecl(t, 1);
  f.exprs = std::move(body);
  module.AppendField(std::move(field));
  return static_cast<wabt::Index>(module.funcs.size() - 1);
}

namespace {

/// Calls `fn` on every function-type reference in the module: functions (imported ones too), block
/// types (is_block), call_indirect, return_call_indirect and tags.
void for_each_type_use(wabt::Module& m,
                       const std::function<void(wabt::FuncDeclaration&, bool is_block)>& fn) {
  for (wabt::Func* f : m.funcs) {
    fn(f->decl, false);
    for_each_expr_list(*f, [&](wabt::ExprList& list) {
      for (wabt::Expr& e : list) {
        if (auto* b = wabt::dyn_cast<wabt::BlockExpr>(&e)) fn(b->block.decl, true);
        if (auto* l = wabt::dyn_cast<wabt::LoopExpr>(&e)) fn(l->block.decl, true);
        if (auto* i = wabt::dyn_cast<wabt::IfExpr>(&e)) fn(i->true_.decl, true);
        if (auto* t = wabt::dyn_cast<wabt::TryExpr>(&e)) fn(t->block.decl, true);
        if (auto* c = wabt::dyn_cast<wabt::CallIndirectExpr>(&e)) fn(c->decl, false);
        if (auto* c = wabt::dyn_cast<wabt::ReturnCallIndirectExpr>(&e)) fn(c->decl, false);
      }
    });
  }
  for (wabt::Tag* t : m.tags) fn(t->decl, false);
}

/// The type a declaration refers to in the type section, if any (a block type with no parameters and at
/// most one result refers to none unless it names one).
std::optional<wabt::Index> type_of(const wabt::Module& m, const wabt::FuncDeclaration& d, bool is_block) {
  if (d.has_func_type) return m.GetFuncTypeIndex(d.type_var);
  if (is_block && d.GetNumParams() == 0 && d.GetNumResults() <= 1) return std::nullopt;
  wabt::Index i = m.GetFuncTypeIndex(d.sig);
  return i == wabt::kInvalidIndex ? std::nullopt : std::optional<wabt::Index>(i);
}

}  // namespace

void remove_unreferenced_types(wabt::Module& m, const std::function<bool(const wabt::FuncType&)>& unwanted) {
  std::vector<bool> used(m.types.size(), false);
  for_each_type_use(m, [&](wabt::FuncDeclaration& d, bool is_block) {
    if (auto i = type_of(m, d, is_block); i && *i < used.size()) used[*i] = true;
  });
  std::vector<wabt::Index> new_index(m.types.size(), wabt::kInvalidIndex);
  std::vector<wabt::TypeEntry*> kept;
  std::set<const wabt::TypeEntry*> removed;
  for (wabt::Index i = 0; i < m.types.size(); ++i) {
    auto* ft = wabt::dyn_cast<wabt::FuncType>(m.types[i]);
    if (!used[i] && ft && unwanted(*ft)) {
      removed.insert(m.types[i]);
      continue;
    }
    new_index[i] = static_cast<wabt::Index>(kept.size());
    kept.push_back(m.types[i]);
  }
  if (removed.empty()) return;
  for_each_type_use(m, [&](wabt::FuncDeclaration& d, bool) {
    if (d.has_func_type) d.type_var = wabt::Var(new_index[m.GetFuncTypeIndex(d.type_var)], d.type_var.loc);
  });
  m.types = kept;
  for (auto it = m.fields.begin(); it != m.fields.end();) {
    auto* t = wabt::dyn_cast<wabt::TypeModuleField>(&*it);
    it = t && removed.count(t->type.get()) ? m.fields.erase(it) : std::next(it);
  }
}

std::unique_ptr<wabt::Expr> i32_const(uint32_t v) {
  return std::make_unique<wabt::ConstExpr>(wabt::Const::I32(v));
}
std::unique_ptr<wabt::Expr> i64_const(uint64_t v) {
  return std::make_unique<wabt::ConstExpr>(wabt::Const::I64(v));
}
std::unique_ptr<wabt::Expr> f32_const_bits(uint32_t bits) {
  return std::make_unique<wabt::ConstExpr>(wabt::Const::F32(bits));
}
std::unique_ptr<wabt::Expr> f64_const_bits(uint64_t bits) {
  return std::make_unique<wabt::ConstExpr>(wabt::Const::F64(bits));
}

std::unique_ptr<wabt::Expr> op(wabt::Opcode opcode) {
  // wabt files plain instructions under Unary/Binary/Compare/Convert nodes, but its binary writer emits
  // all four the same way (the opcode), and our lowered modules are re-read from bytes, not from this IR.
  if (opcode.GetParamType2() != wabt::Type::Void) return std::make_unique<wabt::BinaryExpr>(opcode);
  return std::make_unique<wabt::UnaryExpr>(opcode);
}

std::unique_ptr<wabt::Expr> local_get(wabt::Index i) {
  return std::make_unique<wabt::LocalGetExpr>(wabt::Var(i, wabt::Location()));
}
std::unique_ptr<wabt::Expr> local_set(wabt::Index i) {
  return std::make_unique<wabt::LocalSetExpr>(wabt::Var(i, wabt::Location()));
}
std::unique_ptr<wabt::Expr> local_tee(wabt::Index i) {
  return std::make_unique<wabt::LocalTeeExpr>(wabt::Var(i, wabt::Location()));
}
std::unique_ptr<wabt::Expr> call(wabt::Index func) {
  return std::make_unique<wabt::CallExpr>(wabt::Var(func, wabt::Location()));
}

wabt::Index add_helper(wabt::Module& module, const std::string& name, const std::string& wat) {
  wabt::Errors errors;
  auto lexer = wabt::WastLexer::CreateBufferLexer("fleetpack-helper.wat", wat.data(), wat.size(), &errors);
  std::unique_ptr<wabt::Module> parsed;
  wabt::WastParseOptions options(all_wabt_features());
  wabt::Func* f = nullptr;
  if (wabt::Succeeded(wabt::ParseWatModule(lexer.get(), &parsed, &errors, &options)) &&
      wabt::Succeeded(wabt::ResolveNamesModule(parsed.get(), &errors)) && parsed->funcs.size() == 1)
    f = parsed->funcs[0];
  if (!f) return add_function(module, name, {}, {}, {}, {});
  wabt::TypeVector locals;
  for (wabt::Type t : f->local_types) locals.push_back(t);
  return add_function(module, name, f->decl.sig.param_types, f->decl.sig.result_types, locals,
                      std::move(f->exprs));
}

}  // namespace fleetpack
