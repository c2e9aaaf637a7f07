;; One module using every feature fleetpack lowers, the way a modern toolchain mixes them: sign-ext,
;; non-trapping float-to-int, bulk memory (copy, fill), a multivalue block type with a parameter, a typed
;; select and a call_indirect (re-encoded in MVP form). Lowered for an MVP VM, it must validate with every
;; feature off and behave like the original (run_case.sh).
(module
  (type $binop (func (param i32 i32) (result i32)))
  (memory (export "memory") 1 1)
  (table 2 funcref)
  (elem (i32.const 0) $add $sub)
  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))

  ;; sign-ext and a typed select of numbers
  (func (export "ext") (param i32 i32) (result i32)
    (select (result i32)
      (i32.extend8_s (local.get 0))
      (i32.extend16_s (local.get 0))
      (local.get 1)))
  (func (export "ext64") (param i64) (result i64) (i64.extend32_s (local.get 0)))

  ;; non-trapping conversions
  (func (export "snap") (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0)))
  (func (export "snap64") (param f64) (result i64) (i64.trunc_sat_f64_u (local.get 0)))

  ;; bulk memory: fill a range, then copy it over itself (overlapping), read back a checksum
  (func (export "fill_copy") (param $d i32) (param $s i32) (param $n i32) (result i32)
    (memory.fill (local.get $s) (i32.const 0x5a) (i32.and (local.get $n) (i32.const 255)))
    (memory.copy (local.get $d) (local.get $s) (local.get $n))
    (i32.add (i32.load8_u (local.get $d)) (i32.load8_u (i32.add (local.get $d) (i32.const 1)))))

  ;; multivalue block type with a parameter, and call_indirect through the table
  (func (export "apply") (param $which i32) (param $a i32) (param $b i32) (result i32)
    (local.get $a)
    (block (param i32) (result i32)
      (local.get $b)
      (call_indirect (type $binop) (i32.and (local.get $which) (i32.const 1))))))
