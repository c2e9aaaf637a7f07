;; trunc_sat results written to memory and a (non-exported) global, compared after every call; a user
;; function already named like a helper (the lowering must pick another name); and the trapping
;; truncations, which must stay trapping.
(module
  (memory (export "memory") 1)
  (global $count (mut i32) (i32.const 0))

  ;; Same name as the helper the lowering adds for i32.trunc_sat_f32_s, different behaviour.
  (func $__fleetpack_i32_trunc_sat_f32_s (export "user_helper") (param f32) (result i32)
    (i32.add (i32.trunc_sat_f32_s (local.get 0)) (i32.const 7)))

  ;; Stores sat(x * 2^k) for k = 0..15 as i32 at slot*64 and as i64 at slot*64 + 128 (slot: 0..63).
  (func (export "store_row") (param $slot i32) (param $x f64) (result i32)
    (local $k i32) (local $p i32)
    (local.set $p (i32.shl (i32.and (local.get $slot) (i32.const 63)) (i32.const 8)))
    (loop $next
      (i32.store (i32.add (local.get $p) (i32.shl (local.get $k) (i32.const 2)))
        (i32.trunc_sat_f64_s (f64.mul (local.get $x) (f64.convert_i32_u (i32.shl (i32.const 1) (local.get $k))))))
      (i64.store (i32.add (i32.add (local.get $p) (i32.const 128)) (i32.shl (local.get $k) (i32.const 3)))
        (i64.trunc_sat_f64_u (f64.mul (local.get $x) (f64.convert_i32_u (i32.shl (i32.const 1) (local.get $k))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $k) (i32.const 16))))
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (global.get $count))

  ;; Reads a float from memory, converts it, keeps a running sum in memory at 0xff00.
  (func (export "load_convert") (param $addr i32) (param $v f32) (result i64)
    (f32.store (i32.and (local.get $addr) (i32.const 0xfefc)) (local.get $v))
    (i64.store (i32.const 0xff00)
      (i64.add (i64.load (i32.const 0xff00))
               (i64.trunc_sat_f32_u (f32.load (i32.and (local.get $addr) (i32.const 0xfefc))))))
    (i64.add (i64.load (i32.const 0xff00)) (i64.trunc_sat_f32_s (local.get $v))))

  (func (export "peek_i64") (param $addr i32) (result i64)
    (i64.load (i32.and (local.get $addr) (i32.const 0xfff8))))

  (func (export "count") (result i32) (global.get $count))

  ;; Trapping conversions, untouched by the lowering: out of range traps in both modules.
  (func (export "trapping_i32_f32_s") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
  (func (export "trapping_i64_f64_u") (param f64) (result i64) (i64.trunc_f64_u (local.get 0)))
)
