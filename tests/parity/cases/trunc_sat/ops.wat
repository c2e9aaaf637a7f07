;; Every non-trapping float-to-int op, one export each, plus `mixed`: the ops inside nested blocks, ifs,
;; loops and a br_table, with their results feeding control flow and each other.
(module
  (func (export "i32_trunc_sat_f32_s") (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0)))
  (func (export "i32_trunc_sat_f32_u") (param f32) (result i32) (i32.trunc_sat_f32_u (local.get 0)))
  (func (export "i32_trunc_sat_f64_s") (param f64) (result i32) (i32.trunc_sat_f64_s (local.get 0)))
  (func (export "i32_trunc_sat_f64_u") (param f64) (result i32) (i32.trunc_sat_f64_u (local.get 0)))
  (func (export "i64_trunc_sat_f32_s") (param f32) (result i64) (i64.trunc_sat_f32_s (local.get 0)))
  (func (export "i64_trunc_sat_f32_u") (param f32) (result i64) (i64.trunc_sat_f32_u (local.get 0)))
  (func (export "i64_trunc_sat_f64_s") (param f64) (result i64) (i64.trunc_sat_f64_s (local.get 0)))
  (func (export "i64_trunc_sat_f64_u") (param f64) (result i64) (i64.trunc_sat_f64_u (local.get 0)))

  (func $scale (param $x f32) (param $k i32) (result i64)
    (i64.trunc_sat_f32_s (f32.mul (local.get $x) (f32.convert_i32_s (local.get $k)))))

  (func (export "mixed") (param $x f32) (param $y f64) (result i64)
    (local $i i32) (local $acc i64)
    (block $out
      (loop $next
        (br_if $out (i32.ge_u (local.get $i) (i32.const 5)))
        (if (i32.and (local.get $i) (i32.const 1))
          (then
            (local.set $acc (i64.add (local.get $acc) (call $scale (local.get $x) (local.get $i)))))
          (else
            (block $inner
              (br_if $inner (i32.eqz (i32.trunc_sat_f64_u (local.get $y))))
              (local.set $acc
                (i64.xor (local.get $acc)
                         (i64.trunc_sat_f64_u (f64.sub (local.get $y) (f64.convert_i32_s (local.get $i)))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    ;; A saturated value as a br_table index (0, 1, anything else) and as a select condition.
    (i64.add
      (block $b2 (result i64)
        (block $b1 (result i64)
          (block $b0 (result i64)
            (local.get $acc)
            (br_table $b0 $b1 $b2 (i32.trunc_sat_f32_u (local.get $x))))
          (return (i64.sub (i64.const 0) (i64.extend_i32_s (i32.trunc_sat_f64_s (local.get $y))))))
        (return (i64.add (i64.trunc_sat_f32_u (local.get $x)) (i64.const 1000))))
      (i64.add
        (i64.extend_i32_u
          (i32.trunc_sat_f64_s
            (select (local.get $y) (f64.promote_f32 (local.get $x)) (i32.trunc_sat_f32_s (local.get $x)))))
        (i64.trunc_sat_f64_s (f64.mul (local.get $y) (f64.const 1e10))))))
)
