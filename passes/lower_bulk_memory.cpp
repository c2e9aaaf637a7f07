// lower-bulk-memory: memory.copy and memory.fill become calls to two helper functions with the spec's
// semantics: both ranges are bounds-checked before anything is written (in i64, so src + n cannot
// wrap; n = 0 at exactly the end is fine, past it traps), copies run backward when the destination lies
// above the source, and words of 8 bytes are moved where source and destination share their alignment
// (only at 8-aligned addresses: wasm2js's output assumes alignment hints hold), bytes elsewhere.
//
// Passive data segments have no MVP form. One becomes active only where that provably changes nothing;
// the rule is conservative on purpose. A passive data segment S becomes active iff
//   - exactly one memory.init in the module reads S, and it is in the module's start function F;
//   - F runs once: nothing calls it, exports it, puts it in an element segment or takes its ref.func;
//   - the memory.init is in F's prefix: the top-level instructions before anything but groups of
//     `i32.const; i32.const; i32.const; memory.init|memory.fill` (fills within the initial memory),
//     data.drop and nop (wasm-ld's __wasm_init_memory without shared memory or PIC), so no other code
//     runs before it;
//   - it cannot trap: its operands (d, s, n) are constants with s + n <= the size of S and d + n <= the
//     memory's initial size, and no memory.fill earlier in the prefix writes into [d, d + n).
// S then becomes an active segment of its bytes [s, s + n) at d, placed after every other segment (so it
// still lands after them, in the prefix's order, as the start function did), and the memory.init goes.
// A passive segment no memory.init reads has no effect and goes. data.drop only ends a segment's life,
// so once no memory.init is left to observe that, every data.drop goes. Anything else is an error
// naming the segment and the function.
//
// Element segments: table.init and table.copy have no MVP form and are errors, and so is a null item in
// an active segment (it needs the expression encoding). Without table.init no passive element segment
// is ever read, so they go (or become declarative, when the module takes ref.func references, which
// they may declare), and so does every elem.drop.
#include <cstring>
#include <map>
#include <set>

#include <fmt/format.h>
#include <wabt/cast.h>
#include <wabt/resolve-names.h>
#include <wabt/wast-lexer.h>
#include <wabt/wast-parser.h>

#include "base/wabt_glue.h"
#include "passes/ir_util.h"
#include "passes/lowering.h"
#include "passes/registry.h"

namespace fleetpack {

namespace {

// __fleetpack_memory_copy(dst, src, n): memory.copy's semantics in MVP instructions.
constexpr const char kMemoryCopy[] = R"((module (memory 0)
  (func (param $dst i32) (param $src i32) (param $n i32)
    ;; Both ranges are checked before anything is written, in i64 so that src + n cannot wrap.
    (if (i32.or
          (i64.gt_u (i64.add (i64.extend_i32_u (local.get $src)) (i64.extend_i32_u (local.get $n)))
                    (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))
          (i64.gt_u (i64.add (i64.extend_i32_u (local.get $dst)) (i64.extend_i32_u (local.get $n)))
                    (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16))))
      (then (unreachable)))
    (if (i32.le_u (local.get $dst) (local.get $src))
      (then
        ;; Forward: every piece is read before it is written, and written below what is still unread.
        (if (i32.eqz (i32.and (i32.xor (local.get $dst) (local.get $src)) (i32.const 7)))
          (then
            (block $aligned
              (loop $head
                (br_if $aligned (i32.eqz (i32.and (local.get $dst) (i32.const 7))))
                (br_if $aligned (i32.eqz (local.get $n)))
                (i32.store8 (local.get $dst) (i32.load8_u (local.get $src)))
                (local.set $dst (i32.add (local.get $dst) (i32.const 1)))
                (local.set $src (i32.add (local.get $src) (i32.const 1)))
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (br $head)))
            (block $short
              (loop $words
                (br_if $short (i32.lt_u (local.get $n) (i32.const 8)))
                (i64.store (local.get $dst) (i64.load (local.get $src)))
                (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
                (local.set $src (i32.add (local.get $src) (i32.const 8)))
                (local.set $n (i32.sub (local.get $n) (i32.const 8)))
                (br $words)))))
        (block $done
          (loop $bytes
            (br_if $done (i32.eqz (local.get $n)))
            (i32.store8 (local.get $dst) (i32.load8_u (local.get $src)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 1)))
            (local.set $src (i32.add (local.get $src) (i32.const 1)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br $bytes))))
      (else
        ;; Backward (dst > src): the destination may overlap the source's tail, so start at the end.
        (if (i32.eqz (i32.and (i32.xor (local.get $dst) (local.get $src)) (i32.const 7)))
          (then
            (block $aligned
              (loop $tail
                (br_if $aligned (i32.eqz (i32.and (i32.add (local.get $dst) (local.get $n)) (i32.const 7))))
                (br_if $aligned (i32.eqz (local.get $n)))
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (i32.store8 (i32.add (local.get $dst) (local.get $n))
                            (i32.load8_u (i32.add (local.get $src) (local.get $n))))
                (br $tail)))
            (block $short
              (loop $words
                (br_if $short (i32.lt_u (local.get $n) (i32.const 8)))
                (local.set $n (i32.sub (local.get $n) (i32.const 8)))
                (i64.store (i32.add (local.get $dst) (local.get $n))
                           (i64.load (i32.add (local.get $src) (local.get $n))))
                (br $words)))))
        (block $done
          (loop $bytes
            (br_if $done (i32.eqz (local.get $n)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (i32.store8 (i32.add (local.get $dst) (local.get $n))
                        (i32.load8_u (i32.add (local.get $src) (local.get $n))))
            (br $bytes)))))))
)";

// __fleetpack_memory_fill(dst, val, n): memory.fill's semantics in MVP instructions.
constexpr const char kMemoryFill[] = R"((module (memory 0)
  (func (param $dst i32) (param $val i32) (param $n i32) (local $word i64)
    (if (i64.gt_u (i64.add (i64.extend_i32_u (local.get $dst)) (i64.extend_i32_u (local.get $n)))
                  (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))
      (then (unreachable)))
    (block $aligned
      (loop $head
        (br_if $aligned (i32.eqz (i32.and (local.get $dst) (i32.const 7))))
        (br_if $aligned (i32.eqz (local.get $n)))
        (i32.store8 (local.get $dst) (local.get $val))
        (local.set $dst (i32.add (local.get $dst) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $head)))
    ;; The low byte of val in all eight bytes of a word.
    (local.set $word (i64.mul (i64.extend_i32_u (i32.and (local.get $val) (i32.const 255)))
                              (i64.const 0x0101010101010101)))
    (block $short
      (loop $words
        (br_if $short (i32.lt_u (local.get $n) (i32.const 8)))
        (i64.store (local.get $dst) (local.get $word))
        (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 8)))
        (br $words)))
    (block $done
      (loop $bytes
        (br_if $done (i32.eqz (local.get $n)))
        (i32.store8 (local.get $dst) (local.get $val))
        (local.set $dst (i32.add (local.get $dst) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $bytes)))))
)";

const char kDataHint[] =
    "only a memory.init with constant operands at the start of the module's start function (as wasm-ld "
    "writes __wasm_init_memory without shared memory or PIC) can become an active data segment; link "
    "without --shared-memory and -pie, or choose a profile whose VM has bulk-memory";
const char kTableHint[] =
    "build the engine without bulk-memory (clang -mno-bulk-memory, rustc -C "
    "target-feature=-bulk-memory), or choose a profile whose VM has bulk-memory";

std::optional<uint32_t> i32_value(const wabt::Expr& e) {
  auto* c = wabt::dyn_cast<wabt::ConstExpr>(&e);
  if (!c || c->const_.type() != wabt::Type::I32) return std::nullopt;
  return c->const_.u32();
}

/// An instruction that names a segment or a function, and where it is.
struct Site {
  wabt::Index func;
  const wabt::Expr* expr;
};

/// A memory.init or memory.fill with constant operands in the start function's prefix.
struct PrefixOp {
  const wabt::Expr* expr;         ///< the memory.init / memory.fill
  const wabt::Expr* operands[3];  ///< its three i32.const
  uint64_t dst, src_or_val, n;
};

class BulkMemoryLowering {
 public:
  explicit BulkMemoryLowering(LoweringContext& lc) : lc_(lc), m_(lc.module) {}

  bool run() {
    collect();
    find_start_prefix();
    bool ok = check_memory_ops();
    ok = check_data_segments() && ok;
    ok = check_table_ops() && ok;
    ok = check_elem_segments() && ok;
    if (!ok) return false;
    rewrite();
    return true;
  }

 private:
  void collect() {
    for_each_defined_func(m_, [&](wabt::Func& func, wabt::Index fi) {
      for_each_expr_list(func, [&](wabt::ExprList& list) {
        for (const wabt::Expr& e : list) {
          if (auto* init = wabt::dyn_cast<wabt::MemoryInitExpr>(&e))
            inits_[m_.GetDataSegmentIndex(init->var)].push_back({fi, &e});
          else if (wabt::isa<wabt::MemoryCopyExpr>(&e) || wabt::isa<wabt::MemoryFillExpr>(&e))
            memory_ops_.push_back({fi, &e});
          else if (wabt::isa<wabt::TableInitExpr>(&e) || wabt::isa<wabt::TableCopyExpr>(&e))
            table_ops_.push_back({fi, &e});
          else if (auto* call = wabt::dyn_cast<wabt::CallExpr>(&e))
            calls_.push_back({fi, m_.GetFuncIndex(call->var)});
          else if (auto* rcall = wabt::dyn_cast<wabt::ReturnCallExpr>(&e))
            calls_.push_back({fi, m_.GetFuncIndex(rcall->var)});
          else if (auto* ref = wabt::dyn_cast<wabt::RefFuncExpr>(&e))
            ref_funcs_.push_back({fi, m_.GetFuncIndex(ref->var)});
        }
      });
    });
    for (const wabt::Global* g : m_.globals)
      for (const wabt::Expr& e : g->init_expr)
        if (auto* ref = wabt::dyn_cast<wabt::RefFuncExpr>(&e))
          ref_funcs_.push_back({std::nullopt, m_.GetFuncIndex(ref->var)});
    if (!m_.starts.empty()) start_ = m_.GetFuncIndex(*m_.starts[0]);
  }

  uint64_t memory_bytes() const {
    return m_.memories.empty() ? 0 : m_.memories[0]->page_limits.initial * 65536;
  }

  /// The prefix of the start function's body that runs before any other code (see the top comment).
  void find_start_prefix() {
    if (!start_ || *start_ < m_.num_func_imports) return;
    const wabt::ExprList& body = m_.funcs[*start_]->exprs;
    std::vector<const wabt::Expr*> consts;
    std::set<wabt::Index> dropped;
    for (const wabt::Expr& e : body) {
      if (i32_value(e) && consts.size() < 3) {
        consts.push_back(&e);
        continue;
      }
      bool group = consts.size() == 3;
      PrefixOp op{&e, {}, 0, 0, 0};
      if (group) {
        std::copy(consts.begin(), consts.end(), op.operands);
        op.dst = *i32_value(*consts[0]);
        op.src_or_val = *i32_value(*consts[1]);
        op.n = *i32_value(*consts[2]);
      }
      consts.clear();
      if (auto* init = wabt::dyn_cast<wabt::MemoryInitExpr>(&e)) {
        wabt::Index seg = m_.GetDataSegmentIndex(init->var);
        if (!group || dropped.count(seg)) break;  // runs code, or traps
        prefix_inits_[seg] = op;
      } else if (wabt::isa<wabt::MemoryFillExpr>(&e)) {
        if (!group || op.dst + op.n > memory_bytes()) break;  // runs code, or traps
        prefix_fills_.push_back(op);
      } else if (auto* drop = wabt::dyn_cast<wabt::DataDropExpr>(&e)) {
        if (group) break;
        dropped.insert(m_.GetDataSegmentIndex(drop->var));
      } else if (!wabt::isa<wabt::NopExpr>(&e) || group) {
        break;
      }
      prefix_order_.push_back(&e);
    }
  }

  std::string segment_label(const char* kind, wabt::Index i, const std::string& name) const {
    if (name.empty()) return fmt::format("{} {}", kind, i);
    return fmt::format("{} {} ('{}')", kind, i, name[0] == '$' ? name.substr(1) : name);
  }

  /// Why the start function may run more than once (or ""): every other way a function can be reached.
  std::string start_reached_otherwise() const {
    for (const wabt::Export* e : m_.exports)
      if (e->kind == wabt::ExternalKind::Func && m_.GetFuncIndex(e->var) == *start_)
        return fmt::format("it is exported as \"{}\"", e->name);
    for (const auto& c : calls_)
      if (c.callee == *start_) return fmt::format("function '{}' calls it", lc_.function_label(c.caller));
    for (const auto& r : ref_funcs_)
      if (r.target == *start_)
        return r.from ? fmt::format("function '{}' takes its ref.func", lc_.function_label(*r.from))
                      : std::string("a global takes its ref.func");
    for (wabt::Index i = 0; i < m_.elem_segments.size(); ++i)
      for (const wabt::ExprList& item : m_.elem_segments[i]->elem_exprs)
        for (const wabt::Expr& e : item)
          if (auto* ref = wabt::dyn_cast<wabt::RefFuncExpr>(&e); ref && m_.GetFuncIndex(ref->var) == *start_)
            return fmt::format("element segment {} holds it", i);
    return "";
  }

  bool check_memory_ops() {
    if (memory_ops_.empty() || m_.memories.empty() || !m_.memories[0]->page_limits.is_64) return true;
    const Site& s = memory_ops_.front();
    lc_.cannot_lower(s.func,
                     fmt::format("{} on a 64-bit memory",
                                 wabt::isa<wabt::MemoryCopyExpr>(s.expr) ? "memory.copy" : "memory.fill"),
                     "build the engine for a 32-bit memory (wasm32), or choose a profile whose VM has "
                     "bulk-memory");
    return false;
  }

  /// Decides, for every data segment, whether it stays, becomes active or goes; reports what cannot.
  bool check_data_segments() {
    bool ok = true;
    for (wabt::Index i = 0; i < m_.data_segments.size(); ++i) {
      const wabt::DataSegment& seg = *m_.data_segments[i];
      const auto found = inits_.find(i);
      const std::vector<Site> no_inits;
      const std::vector<Site>& inits = found == inits_.end() ? no_inits : found->second;
      const bool passive = seg.kind == wabt::SegmentKind::Passive;
      const std::string label = segment_label(passive ? "passive data segment" : "data segment", i, seg.name);
      if (!passive) {
        if (inits.empty()) continue;
        // An active segment is dropped once instantiation has applied it: memory.init of it traps
        // unless n = 0, and has no MVP form.
        lc_.cannot_lower(inits[0].func, fmt::format("memory.init of active {}", label), kDataHint);
        ok = false;
        continue;
      }
      if (inits.empty()) {
        removed_data_.insert(&seg);
        continue;
      }
      std::string why = why_not_active(i, seg, inits, label);
      if (!why.empty()) {
        lc_.cannot_lower(inits[0].func, why, kDataHint);
        ok = false;
        continue;
      }
      converted_.push_back(i);
    }
    return ok;
  }

  /// "" when the passive segment `i` can become active (the rule in the top comment), else why not.
  std::string why_not_active(wabt::Index i, const wabt::DataSegment& seg, const std::vector<Site>& inits,
                             const std::string& label) const {
    if (inits.size() > 1) {
      std::string where;
      for (const Site& s : inits) where += (where.empty() ? "'" : ", '") + lc_.function_label(s.func) + "'";
      return fmt::format(
          "{} is read by {} memory.init instructions (in functions {}); only one, in the start function, "
          "can become an active segment",
          label, inits.size(), where);
    }
    const Site& use = inits[0];
    if (!start_)
      return fmt::format("memory.init of {} is not in a start function (the module has none)", label);
    if (use.func != *start_)
      return fmt::format("memory.init of {} is not in the start function '{}'", label,
                         lc_.function_label(*start_));
    if (std::string again = start_reached_otherwise(); !again.empty())
      return fmt::format("memory.init of {} is in the start function, but that may run more than once: {}",
                         label, again);
    auto op = prefix_inits_.find(i);
    if (op == prefix_inits_.end() || op->second.expr != use.expr)
      return fmt::format(
          "memory.init of {} does not come first in the start function (only memory.init, memory.fill "
          "with constant operands, data.drop and nop may run before it)",
          label);
    const PrefixOp& p = op->second;
    if (p.src_or_val + p.n > seg.data.size())
      return fmt::format("memory.init of {} reads bytes [{}, {}) of its {}: it traps", label, p.src_or_val,
                         p.src_or_val + p.n, seg.data.size());
    if (p.dst + p.n > memory_bytes())
      return fmt::format("memory.init of {} writes [{}, {}), past the memory's initial {} bytes", label,
                         p.dst, p.dst + p.n, memory_bytes());
    for (const PrefixOp& fill : prefix_fills_) {
      if (position(fill.expr) > position(p.expr)) break;
      if (fill.n && p.n && fill.dst < p.dst + p.n && p.dst < fill.dst + fill.n)
        return fmt::format("memory.init of {} writes [{}, {}), which a memory.fill before it writes too",
                           label, p.dst, p.dst + p.n);
    }
    return "";
  }

  size_t position(const wabt::Expr* e) const {
    return std::find(prefix_order_.begin(), prefix_order_.end(), e) - prefix_order_.begin();
  }

  bool check_table_ops() {
    bool ok = true;
    for (const Site& s : table_ops_) {
      if (auto* init = wabt::dyn_cast<wabt::TableInitExpr>(s.expr)) {
        wabt::Index i = m_.GetElemSegmentIndex(init->segment_index);
        lc_.cannot_lower(
            s.func,
            fmt::format("table.init of {}", segment_label("element segment", i, m_.elem_segments[i]->name)),
            kTableHint);
      } else {
        lc_.cannot_lower(s.func, "table.copy", kTableHint);
      }
      ok = false;
    }
    return ok;
  }

  /// An active segment with a null item needs the expression encoding (flags 4-7), which the MVP lacks.
  /// (wabt accepts it with every feature off, so detect-features may not even count it.)
  bool check_elem_segments() {
    for (wabt::Index i = 0; i < m_.elem_segments.size(); ++i) {
      const wabt::ElemSegment& seg = *m_.elem_segments[i];
      if (seg.kind != wabt::SegmentKind::Active) continue;
      for (const wabt::ExprList& item : seg.elem_exprs) {
        if (item.size() == 1 && wabt::isa<wabt::RefFuncExpr>(&item.front())) continue;
        lc_.cannot_lower_in_module(
            fmt::format("{} holds a null reference", segment_label("element segment", i, seg.name)),
            kTableHint);
        return false;
      }
    }
    return true;
  }

  void rewrite() {
    // Code first: memory.init of converted segments with their operands, every data.drop and elem.drop,
    // memory.copy and memory.fill become calls.
    // The converted segments in the order the start function initialized them (read now: the walk below
    // frees the memory.init instructions).
    const std::set<wabt::Index> converted(converted_.begin(), converted_.end());
    std::vector<wabt::Index> in_order;
    for (const wabt::Expr* e : prefix_order_)
      if (auto* init = wabt::dyn_cast<wabt::MemoryInitExpr>(e);
          init && converted.count(m_.GetDataSegmentIndex(init->var)))
        in_order.push_back(m_.GetDataSegmentIndex(init->var));
    std::set<const wabt::Expr*> erase;
    for (wabt::Index i : converted_) {
      const PrefixOp& p = prefix_inits_.at(i);
      erase.insert(p.expr);
      erase.insert(p.operands, p.operands + 3);
    }
    // The helpers go in first, after every function, so the walk below (which frees what it erases)
    // never meets them, nor new code at the address of erased code.
    const wabt::Index helpers_from = static_cast<wabt::Index>(m_.funcs.size());
    std::optional<wabt::Index> copy, fill;
    for (const Site& s : memory_ops_) {
      if (!copy && wabt::isa<wabt::MemoryCopyExpr>(s.expr))
        copy = add_helper(m_, "__fleetpack_memory_copy", kMemoryCopy);
      if (!fill && wabt::isa<wabt::MemoryFillExpr>(s.expr))
        fill = add_helper(m_, "__fleetpack_memory_fill", kMemoryFill);
    }
    for_each_defined_func(m_, [&](wabt::Func& func, wabt::Index fi) {
      if (fi >= helpers_from) return;
      for_each_expr_list(func, [&](wabt::ExprList& list) {
        for (auto it = list.begin(); it != list.end();) {
          std::optional<wabt::Index> helper;
          if (wabt::isa<wabt::MemoryCopyExpr>(&*it)) helper = copy;
          if (wabt::isa<wabt::MemoryFillExpr>(&*it)) helper = fill;
          if (helper) {
            auto c = call(*helper);
            c->loc = it->loc;
            list.insert(it, std::move(c));
            it = list.erase(it);
          } else if (erase.count(&*it) || wabt::isa<wabt::DataDropExpr>(&*it) ||
                     wabt::isa<wabt::ElemDropExpr>(&*it)) {
            it = list.erase(it);
          } else {
            ++it;
          }
        }
      });
    });

    // Data segments: the converted ones become active and move behind the rest, in the order the start
    // function initialized them; unused passive ones go.
    std::vector<wabt::DataSegment*> kept;
    for (wabt::Index i = 0; i < m_.data_segments.size(); ++i)
      if (!removed_data_.count(m_.data_segments[i]) && !converted.count(i))
        kept.push_back(m_.data_segments[i]);
    for (wabt::Index i : in_order) {
      const PrefixOp& p = prefix_inits_.at(i);
      wabt::DataSegment* seg = m_.data_segments[i];
      seg->kind = wabt::SegmentKind::Active;
      seg->memory_var = wabt::Var(0, wabt::Location());
      seg->offset.clear();
      seg->offset.push_back(i32_const(static_cast<uint32_t>(p.dst)));
      seg->data =
          std::vector<uint8_t>(seg->data.begin() + p.src_or_val, seg->data.begin() + p.src_or_val + p.n);
      kept.push_back(seg);
    }

    // Passive element segments: nothing reads them any more. They may still declare functions for
    // ref.func, so with ref.func in use they become declarative instead of going.
    const bool declares = !ref_funcs_.empty();
    std::vector<wabt::ElemSegment*> elems;
    std::set<const void*> removed(removed_data_.begin(), removed_data_.end());
    for (wabt::ElemSegment* seg : m_.elem_segments) {
      if (seg->kind == wabt::SegmentKind::Passive && !declares) {
        removed.insert(seg);
        continue;
      }
      if (seg->kind == wabt::SegmentKind::Passive) seg->kind = wabt::SegmentKind::Declared;
      elems.push_back(seg);
    }
    // No instruction names a segment any more (memory.init went or was an error, table.init was an error,
    // data.drop and elem.drop went), so their indices may change. The writer follows these vectors; the
    // fields own the segments, so the removed ones' fields go too.
    m_.data_segments = kept;
    m_.elem_segments = elems;
    for (auto it = m_.fields.begin(); it != m_.fields.end();) {
      const void* seg = nullptr;
      if (auto* d = wabt::dyn_cast<wabt::DataSegmentModuleField>(&*it)) seg = &d->data_segment;
      if (auto* e = wabt::dyn_cast<wabt::ElemSegmentModuleField>(&*it)) seg = &e->elem_segment;
      it = seg && removed.count(seg) ? m_.fields.erase(it) : std::next(it);
    }
  }

  struct Call {
    wabt::Index caller;
    wabt::Index callee;
  };
  struct RefFunc {
    std::optional<wabt::Index> from;  ///< the function taking the reference; nullopt in a global
    wabt::Index target;
  };

  LoweringContext& lc_;
  wabt::Module& m_;
  std::optional<wabt::Index> start_;
  std::map<wabt::Index, std::vector<Site>> inits_;  ///< data segment -> every memory.init of it
  std::vector<Site> memory_ops_, table_ops_;
  std::vector<Call> calls_;
  std::vector<RefFunc> ref_funcs_;
  std::map<wabt::Index, PrefixOp> prefix_inits_;  ///< data segment -> its memory.init in the prefix
  std::vector<PrefixOp> prefix_fills_;
  std::vector<const wabt::Expr*> prefix_order_;  ///< every instruction of the prefix but operands
  std::vector<wabt::Index> converted_;
  std::set<const wabt::DataSegment*> removed_data_;
};

}  // namespace

bool lower_bulk_memory(LoweringContext& lc) { return BulkMemoryLowering(lc).run(); }

bool run_lower_bulk_memory(StepContext& ctx) {
  return run_lowering(ctx, Feature::BulkMemory, lower_bulk_memory);
}

}  // namespace fleetpack
