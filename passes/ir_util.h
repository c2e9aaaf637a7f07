// Helpers for steps that rewrite code on wabt's IR (the lowerings): read and write a module, visit every
// instruction list, add helper functions. wabt's IR is a flat stack-machine list per block, so replacing
// one instruction by a sequence with the same stack effect is a local edit.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <wabt/ir.h>

#include "base/diagnostic.h"
#include "base/features.h"
#include "base/file_io.h"

namespace fleetpack {

/// Reads a module that already validated (load_module), with its names. nullopt only on a wabt bug.
std::unique_ptr<wabt::Module> read_ir(const Bytes& bytes);
/// Writes the IR as a binary whose encoding uses only `features` (e.g. without bulk-memory wabt writes no
/// DataCount section; without reference-types, call_indirect's table immediate is MVP's 0x00). Writes a
/// name section when `names` (wabt would otherwise add an empty one to a module that had none).
Bytes write_ir(const wabt::Module& module, FeatureSet features, bool names = true);

/// Calls `fn` on every instruction list of the function: its body and every nested block, loop, if/else
/// and try/catch, outermost first. `fn` may insert and erase in the list it is given.
void for_each_expr_list(wabt::Func& func, const std::function<void(wabt::ExprList&)>& fn);
/// Every defined function with its index in the function index space (imports first).
void for_each_defined_func(wabt::Module& module, const std::function<void(wabt::Func&, wabt::Index)>& fn);

/// The index of a function type with this signature, adding one to the type section if needed.
wabt::Index ensure_func_type(wabt::Module& module, const wabt::TypeVector& params,
                             const wabt::TypeVector& results);
/// Appends a function (after every existing one, so no index changes) and returns its index. `name` is
/// written to the name section, so symbol maps show helpers by name; when a function already has that
/// name (a module may define one of ours), `name.1`, `name.2`, ... is used instead.
wabt::Index add_function(wabt::Module& module, const std::string& name, const wabt::TypeVector& params,
                         const wabt::TypeVector& results, const wabt::TypeVector& locals,
                         wabt::ExprList body);

/// Appends the one function of `wat` (our own text, so a parse failure is a fleetpack bug: the
/// re-validation of the caller then fails) to `module` as `name` (see add_function); returns its index.
wabt::Index add_helper(wabt::Module& module, const std::string& name, const std::string& wat);

/// Removes the function types `unwanted` selects that nothing references (functions, imports, block
/// types, call_indirect, tags) and renumbers every type reference.
void remove_unreferenced_types(wabt::Module& module,
                               const std::function<bool(const wabt::FuncType&)>& unwanted);

// Expression builders, for helper bodies and replacement sequences.
std::unique_ptr<wabt::Expr> i32_const(uint32_t v);
std::unique_ptr<wabt::Expr> i64_const(uint64_t v);
std::unique_ptr<wabt::Expr> f32_const_bits(uint32_t bits);
std::unique_ptr<wabt::Expr> f64_const_bits(uint64_t bits);
std::unique_ptr<wabt::Expr> op(wabt::Opcode opcode);  ///< binary/unary/compare/convert, by opcode
std::unique_ptr<wabt::Expr> local_get(wabt::Index i);
std::unique_ptr<wabt::Expr> local_set(wabt::Index i);
std::unique_ptr<wabt::Expr> local_tee(wabt::Index i);
std::unique_ptr<wabt::Expr> call(wabt::Index func);

}  // namespace fleetpack
