;; reference-types used for encodings only: typed selects of numbers and a declarative element segment
;; (LLVM's padded call_indirect table index, the third such encoding, cannot be written in text; the unit
;; tests cover it). The lowering writes MVP selects, drops the declarative segment and re-encodes
;; call_indirect; dispatch must still trap on a null slot, a slot past the table's end and a signature
;; mismatch, exactly as before.
(module
  (type $binop (func (param i32 i32) (result i32)))
  (type $unop (func (param i32) (result i32)))
  (table 8 funcref)
  (elem (i32.const 0) func $add $sub $mul $neg $rotl)
  (elem declare func $add $neg)

  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
  (func $mul (type $binop) (i32.mul (local.get 0) (local.get 1)))
  (func $neg (type $unop) (i32.sub (i32.const 0) (local.get 0)))
  (func $rotl (type $binop) (i32.rotl (local.get 0) (local.get 1)))

  ;; Slots 0-4 hold functions (3 has the other signature), 5-7 are null, 8-15 are past the end.
  (func (export "dispatch") (param $i i32) (param $a i32) (param $b i32) (result i32)
    (call_indirect (type $binop) (local.get $a) (local.get $b) (i32.and (local.get $i) (i32.const 15))))
  (func (export "dispatch_unop") (param $i i32) (param $a i32) (result i32)
    (call_indirect (type $unop) (local.get $a) (i32.and (local.get $i) (i32.const 15))))

  (func (export "pick_i32") (param i32 i32 i32) (result i32)
    (select (result i32) (local.get 0) (local.get 1) (local.get 2)))
  (func (export "pick_i64") (param i64 i64 i32) (result i64)
    (select (result i64) (local.get 0) (local.get 1) (local.get 2)))
  (func (export "pick_f32") (param f32 f32 i32) (result f32)
    (select (result f32) (local.get 0) (local.get 1) (local.get 2)))
  (func (export "pick_f64") (param f64 f64 i32) (result f64)
    (select (result f64) (local.get 0) (local.get 1) (local.get 2)))
  ;; The untyped form, for comparison.
  (func (export "pick_plain") (param f64 f64 i32) (result f64)
    (select (local.get 0) (local.get 1) (local.get 2)))
)
