#include "passes/ir_util.h"

#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/binary-writer.h>
#include <wabt/cast.h>
#include <wabt/stream.h>

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
  auto field = std::make_unique<wabt::FuncModuleField>(wabt::Location(), "$" + name);
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

}  // namespace fleetpack
