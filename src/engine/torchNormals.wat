;; PyTorch's CPU `normal_` stream (mt19937 float uniforms, Box–Muller in blocks of 16) for the random-init
;; tables' hot path; see torchNormals.ts for how it is driven and why the results are exactly those of
;; torchRandom.ts / randomTables.ts (and PyTorch's).
;;
;; Memory (imported): bytes [0, 2496) hold the mt19937 state (624 u32); the caller passes the other buffers.
;;
;; - uniforms(index, count, out) → new index: `count` float uniforms (u32 & 0xffffff) · 2^-24 into out (f32),
;;   starting at state word `index` (624 = twist first); the state twists in place as needed.
;; - boxMuller(u, blocks, out, fix) → fixCount: for each block of 16 uniforms, pairs (j, j+8):
;;   radius = f32(sqrt(−2 · f32(log(1 − u[j])))), θ = f32(2π · u[j+8]),
;;   out[j] = f32(radius · f32(cos θ)) + 0, out[j+8] = f32(radius · f32(sin θ)) + 0.
;;   log, cos and sin are evaluated in float64 (fdlibm's polynomials, relative error far below 2^-48). A float32
;;   result is only taken when the value times (1 ± 2^-40) rounds to the same float32 — then every float64
;;   within 2^-40 of it, including the correctly rounded value and JavaScript's Math.log/cos/sin (< 1 ulp),
;;   rounds to that float32 too. Otherwise the pair's index (block·16 + j) goes to `fix` (i32s) for the caller
;;   to compute with Math.* (about one pair in 20,000).
;; Rebuild torchNormalsWasm.ts with `node scripts/wasm/build-torch-normals.mjs` after editing.
(module
  (import "env" "memory" (memory 1))

  ;; One mt19937 twist of the state at byte 0 (four words per step; the recurrence only reads words that are
  ;; either not yet rewritten (k+1.., k+397..) or already rewritten (k−227..), never the ones being written).
  (func $twist
    (local $k i32) (local $p i32) (local $y v128) (local $s i32)
    ;; k in [0, 224): s[k] = s[k+397] ^ twist(y)
    (local.set $p (i32.const 0))
    (block $done1
      (loop $l1
        (br_if $done1 (i32.ge_u (local.get $p) (i32.const 896)))
        (local.set $y (v128.or
          (v128.and (v128.load (local.get $p)) (i32x4.splat (i32.const 0x80000000)))
          (v128.and (v128.load offset=4 (local.get $p)) (i32x4.splat (i32.const 0x7fffffff)))))
        (v128.store (local.get $p) (v128.xor (v128.xor
          (v128.load offset=1588 (local.get $p))
          (i32x4.shr_u (local.get $y) (i32.const 1)))
          (v128.and (i32x4.sub (i32x4.splat (i32.const 0)) (v128.and (local.get $y) (i32x4.splat (i32.const 1)))) (i32x4.splat (i32.const 0x9908b0df)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $l1)))
    ;; k = 224, 225, 226
    (call $twistWord (i32.const 896) (i32.const 1588))
    (call $twistWord (i32.const 900) (i32.const 1588))
    (call $twistWord (i32.const 904) (i32.const 1588))
    ;; k in [227, 623): s[k] = s[k−227] ^ twist(y)
    (local.set $p (i32.const 908))
    (block $done2
      (loop $l2
        (br_if $done2 (i32.ge_u (local.get $p) (i32.const 2492)))
        (local.set $y (v128.or
          (v128.and (v128.load (local.get $p)) (i32x4.splat (i32.const 0x80000000)))
          (v128.and (v128.load offset=4 (local.get $p)) (i32x4.splat (i32.const 0x7fffffff)))))
        (v128.store (local.get $p) (v128.xor (v128.xor
          (v128.load (i32.sub (local.get $p) (i32.const 908)))
          (i32x4.shr_u (local.get $y) (i32.const 1)))
          (v128.and (i32x4.sub (i32x4.splat (i32.const 0)) (v128.and (local.get $y) (i32x4.splat (i32.const 1)))) (i32x4.splat (i32.const 0x9908b0df)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $l2)))
    ;; k = 623: y from s[623] and the new s[0]; s[623] = s[396] ^ twist(y)
    (local.set $s (i32.or
      (i32.and (i32.load (i32.const 2492)) (i32.const 0x80000000))
      (i32.and (i32.load (i32.const 0)) (i32.const 0x7fffffff))))
    (i32.store (i32.const 2492) (i32.xor (i32.xor
      (i32.load (i32.const 1584))
      (i32.shr_u (local.get $s) (i32.const 1)))
      (i32.and (i32.sub (i32.const 0) (i32.and (local.get $s) (i32.const 1))) (i32.const 0x9908b0df)))))

  ;; s[k] = s[k + delta/4] ^ twist((s[k] & UPPER) | (s[k+1] & LOWER)), k at byte $p.
  (func $twistWord (param $p i32) (param $delta i32)
    (local $y i32)
    (local.set $y (i32.or
      (i32.and (i32.load (local.get $p)) (i32.const 0x80000000))
      (i32.and (i32.load offset=4 (local.get $p)) (i32.const 0x7fffffff))))
    (i32.store (local.get $p) (i32.xor (i32.xor
      (i32.load (i32.add (local.get $p) (local.get $delta)))
      (i32.shr_u (local.get $y) (i32.const 1)))
      (i32.and (i32.sub (i32.const 0) (i32.and (local.get $y) (i32.const 1))) (i32.const 0x9908b0df)))))

  ;; mt19937 tempering of four words, then PyTorch's float uniform: (y & 0xffffff) · 2^-24.
  (func $uniform4 (param $w v128) (result v128)
    (local $y v128)
    (local.set $y (v128.xor (local.get $w) (i32x4.shr_u (local.get $w) (i32.const 11))))
    (local.set $y (v128.xor (local.get $y) (v128.and (i32x4.shl (local.get $y) (i32.const 7)) (i32x4.splat (i32.const 0x9d2c5680)))))
    (local.set $y (v128.xor (local.get $y) (v128.and (i32x4.shl (local.get $y) (i32.const 15)) (i32x4.splat (i32.const 0xefc60000)))))
    (local.set $y (v128.xor (local.get $y) (i32x4.shr_u (local.get $y) (i32.const 18))))
    (f32x4.mul
      (f32x4.convert_i32x4_s (v128.and (local.get $y) (i32x4.splat (i32.const 0xffffff))))
      (f32x4.splat (f32.const 0x1p-24))))

  (func (export "uniforms") (param $index i32) (param $count i32) (param $out i32) (result i32)
    (local $n i32)
    (block $done
      (loop $refill
        (br_if $done (i32.eqz (local.get $count)))
        (if (i32.ge_u (local.get $index) (i32.const 624))
          (then (call $twist) (local.set $index (i32.const 0))))
        ;; n = min(624 − index, count) words from this state
        (local.set $n (i32.sub (i32.const 624) (local.get $index)))
        (if (i32.lt_u (local.get $count) (local.get $n)) (then (local.set $n (local.get $count))))
        (local.set $count (i32.sub (local.get $count) (local.get $n)))
        (block $four
          (loop $l4
            (br_if $four (i32.lt_u (local.get $n) (i32.const 4)))
            (v128.store (local.get $out) (call $uniform4 (v128.load (i32.shl (local.get $index) (i32.const 2)))))
            (local.set $index (i32.add (local.get $index) (i32.const 4)))
            (local.set $out (i32.add (local.get $out) (i32.const 16)))
            (local.set $n (i32.sub (local.get $n) (i32.const 4)))
            (br $l4)))
        (block $ones
          (loop $l1
            (br_if $ones (i32.eqz (local.get $n)))
            (f32.store (local.get $out)
              (f32x4.extract_lane 0 (call $uniform4 (i32x4.splat (i32.load (i32.shl (local.get $index) (i32.const 2)))))))
            (local.set $index (i32.add (local.get $index) (i32.const 1)))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br $l1)))
        (br $refill)))
    (local.get $index))

  ;; log(x) for x in (0, 1], two lanes: fdlibm's e_log.c (x = 2^k · m, m in (√2/2, √2], f = m − 1).
  (func $log2v (param $x v128) (result v128)
    (local $k v128) (local $m v128) (local $big v128) (local $f v128) (local $s v128) (local $z v128) (local $w v128)
    (local $r v128) (local $hfsq v128)
    ;; k = exponent − 1023, as float64 (the exponent bits of each lane moved to an i32 lane, then converted)
    (local.set $k (f64x2.convert_low_i32x4_s
      (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11
        (i64x2.sub (i64x2.shr_u (local.get $x) (i32.const 52)) (i64x2.splat (i64.const 1023)))
        (local.get $x))))
    (local.set $m (v128.or
      (v128.and (local.get $x) (i64x2.splat (i64.const 0x000fffffffffffff)))
      (i64x2.splat (i64.const 0x3ff0000000000000))))
    (local.set $big (f64x2.gt (local.get $m) (f64x2.splat (f64.const 1.4142135623730951))))
    (local.set $m (v128.bitselect (f64x2.mul (local.get $m) (f64x2.splat (f64.const 0.5))) (local.get $m) (local.get $big)))
    (local.set $k (v128.bitselect (f64x2.add (local.get $k) (f64x2.splat (f64.const 1))) (local.get $k) (local.get $big)))
    (local.set $f (f64x2.sub (local.get $m) (f64x2.splat (f64.const 1))))
    (local.set $s (f64x2.div (local.get $f) (f64x2.add (f64x2.splat (f64.const 2)) (local.get $f))))
    (local.set $z (f64x2.mul (local.get $s) (local.get $s)))
    (local.set $w (f64x2.mul (local.get $z) (local.get $z)))
    ;; R = z·(Lg1 + w·(Lg3 + w·(Lg5 + w·Lg7))) + w·(Lg2 + w·(Lg4 + w·Lg6))
    (local.set $r (f64x2.add
      (f64x2.mul (local.get $z)
        (f64x2.add (f64x2.splat (f64.const 6.666666666666735130e-01))
          (f64x2.mul (local.get $w)
            (f64x2.add (f64x2.splat (f64.const 2.857142874366239149e-01))
              (f64x2.mul (local.get $w)
                (f64x2.add (f64x2.splat (f64.const 1.818357216161805012e-01))
                  (f64x2.mul (local.get $w) (f64x2.splat (f64.const 1.479819860511658591e-01)))))))))
      (f64x2.mul (local.get $w)
        (f64x2.add (f64x2.splat (f64.const 3.999999999940941908e-01))
          (f64x2.mul (local.get $w)
            (f64x2.add (f64x2.splat (f64.const 2.222219843214978396e-01))
              (f64x2.mul (local.get $w) (f64x2.splat (f64.const 1.531383769920937332e-01)))))))))
    (local.set $hfsq (f64x2.mul (f64x2.splat (f64.const 0.5)) (f64x2.mul (local.get $f) (local.get $f))))
    ;; k·ln2_hi − ((hfsq − (s·(hfsq + R) + k·ln2_lo)) − f)
    (f64x2.sub
      (f64x2.mul (local.get $k) (f64x2.splat (f64.const 6.93147180369123816490e-01)))
      (f64x2.sub
        (f64x2.sub (local.get $hfsq)
          (f64x2.add
            (f64x2.mul (local.get $s) (f64x2.add (local.get $hfsq) (local.get $r)))
            (f64x2.mul (local.get $k) (f64x2.splat (f64.const 1.90821492927058770002e-10)))))
        (local.get $f))))

  ;; cos θ and sin θ for θ in [0, 2π), two lanes: θ = n·π/2 + r (Cody–Waite with fdlibm's pio2_1 + pio2_1t; θ is
  ;; a float32, so θ − n·pio2_1 is exact), fdlibm's k_cos/k_sin on r in [−π/4, π/4], quadrant by n.
  (func $sincos2v (param $t v128) (result v128 v128)
    (local $n v128) (local $r v128) (local $z v128) (local $c v128) (local $s v128) (local $swap v128)
    (local $is1 v128) (local $is2 v128) (local $is3 v128) (local $cos v128) (local $sin v128)
    (local.set $n (f64x2.nearest (f64x2.mul (local.get $t) (f64x2.splat (f64.const 6.36619772367581382433e-01)))))
    (local.set $r (f64x2.sub
      (f64x2.sub (local.get $t) (f64x2.mul (local.get $n) (f64x2.splat (f64.const 1.57079632673412561417e+00))))
      (f64x2.mul (local.get $n) (f64x2.splat (f64.const 6.07710050650619224932e-11)))))
    (local.set $z (f64x2.mul (local.get $r) (local.get $r)))
    ;; sin r = r + r·z·(S1 + z·(S2 + z·(S3 + z·(S4 + z·(S5 + z·S6)))))
    (local.set $s (f64x2.add (local.get $r)
      (f64x2.mul (f64x2.mul (local.get $z) (local.get $r))
        (f64x2.add (f64x2.splat (f64.const -1.66666666666666324348e-01)) (f64x2.mul (local.get $z) (f64x2.add (f64x2.splat (f64.const 8.33333333332248946124e-03)) (f64x2.mul (local.get $z) (f64x2.add (f64x2.splat (f64.const -1.98412698298579493134e-04)) (f64x2.mul (local.get $z) (f64x2.add (f64x2.splat (f64.const 2.75573137070700676789e-06)) (f64x2.mul (local.get $z) (f64x2.add (f64x2.splat (f64.const -2.50507602534068634195e-08)) (f64x2.mul (local.get $z) (f64x2.splat (f64.const 1.58969099521155010221e-10)))))))))))))))
    ;; cos r = 1 − (z/2 − z·z·(C1 + z·(C2 + … + z·C6)))
    (local.set $c (f64x2.sub (f64x2.splat (f64.const 1))
      (f64x2.sub (f64x2.mul (local.get $z) (f64x2.splat (f64.const 0.5)))
        (f64x2.mul (f64x2.mul (local.get $z) (local.get $z))
          (f64x2.add (f64x2.splat (f64.const 4.16666666666666019037e-02)) (f64x2.mul (local.get $z) (f64x2.add (f64x2.splat (f64.const -1.38888888888741095749e-03)) (f64x2.mul (local.get $z) (f64x2.add (f64x2.splat (f64.const 2.48015872894767294178e-05)) (f64x2.mul (local.get $z) (f64x2.add (f64x2.splat (f64.const -2.75573143513906633035e-07)) (f64x2.mul (local.get $z) (f64x2.add (f64x2.splat (f64.const 2.08757232129817482790e-09)) (f64x2.mul (local.get $z) (f64x2.splat (f64.const -1.13596475577881948265e-11))))))))))))))))
    ;; n = 0..4: cos θ = c, −s, −c, s, c; sin θ = s, c, −s, −c, s
    (local.set $is1 (f64x2.eq (local.get $n) (f64x2.splat (f64.const 1))))
    (local.set $is2 (f64x2.eq (local.get $n) (f64x2.splat (f64.const 2))))
    (local.set $is3 (f64x2.eq (local.get $n) (f64x2.splat (f64.const 3))))
    (local.set $swap (v128.or (local.get $is1) (local.get $is3)))
    (local.set $cos (v128.bitselect (local.get $s) (local.get $c) (local.get $swap)))
    (local.set $sin (v128.bitselect (local.get $c) (local.get $s) (local.get $swap)))
    (v128.xor (local.get $cos) (v128.and (v128.or (local.get $is1) (local.get $is2)) (i64x2.splat (i64.const 0x8000000000000000))))
    (v128.xor (local.get $sin) (v128.and (v128.or (local.get $is2) (local.get $is3)) (i64x2.splat (i64.const 0x8000000000000000)))))

  ;; v rounded to float32 in lanes 0–1, and in lanes 0–1 of the second result all-ones where that rounding is
  ;; not certain (v·(1 − 2^-40) and v·(1 + 2^-40) round differently).
  (func $toF32 (param $v v128) (result v128 v128)
    (local $a v128)
    (local.set $a (f32x4.demote_f64x2_zero (f64x2.mul (local.get $v) (f64x2.splat (f64.const 0x1.0000000001p+0)))))
    (local.get $a)
    (v128.not (i32x4.eq (local.get $a)
      (f32x4.demote_f64x2_zero (f64x2.mul (local.get $v) (f64x2.splat (f64.const 0x1.fffffffffep-1)))))))

  (func (export "boxMuller") (param $u i32) (param $blocks i32) (param $out i32) (param $fix i32) (result i32)
    (local $u0 i32) (local $end i32) (local $j i32) (local $fixCount i32) (local $pair i32)
    (local $lf v128) (local $radius v128) (local $cf v128) (local $sf v128) (local $bad v128) (local $b2 v128)
    (local $theta v128) (local $cos v128) (local $sin v128)
    (local.set $u0 (local.get $u))
    (local.set $end (i32.add (local.get $u) (i32.shl (local.get $blocks) (i32.const 6))))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $u) (local.get $end)))
        (local.set $j (i32.const 0))
        (loop $pairs
          ;; radius from u[j], u[j+1]: log(1 − u) (exact in float64), to float32, then sqrt(−2·l) to float32
          (call $toF32 (call $log2v (f64x2.sub (f64x2.splat (f64.const 1))
            (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $u) (local.get $j)))))))
          (local.set $bad)
          (local.set $lf)
          (local.set $radius (f32x4.demote_f64x2_zero (f64x2.sqrt
            (f64x2.mul (f64x2.splat (f64.const -2)) (f64x2.promote_low_f32x4 (local.get $lf))))))
          ;; θ from u[j+8], u[j+9]
          (local.set $theta (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero
            (f64x2.mul (f64x2.splat (f64.const 6.283185307179586))
              (f64x2.promote_low_f32x4 (v128.load64_zero offset=32 (i32.add (local.get $u) (local.get $j))))))))
          (call $sincos2v (local.get $theta))
          (local.set $sin)
          (local.set $cos)
          (call $toF32 (local.get $cos))
          (local.set $b2)
          (local.set $cf)
          (local.set $bad (v128.or (local.get $bad) (local.get $b2)))
          (call $toF32 (local.get $sin))
          (local.set $b2)
          (local.set $sf)
          (local.set $bad (v128.or (local.get $bad) (local.get $b2)))
          (v128.store64_lane 0 (i32.add (local.get $out) (local.get $j))
            (f32x4.add (f32x4.mul (local.get $radius) (local.get $cf)) (f32x4.splat (f32.const 0))))
          (v128.store64_lane offset=32 0 (i32.add (local.get $out) (local.get $j))
            (f32x4.add (f32x4.mul (local.get $radius) (local.get $sf)) (f32x4.splat (f32.const 0))))
          ;; uncertain lanes: the pair's element index in this call's output, for the caller to redo
          (if (v128.any_true (local.get $bad))
            (then
              (local.set $pair (i32.shr_u (i32.add (i32.sub (local.get $u) (local.get $u0)) (local.get $j)) (i32.const 2)))
              (if (i32x4.extract_lane 0 (local.get $bad))
                (then
                  (i32.store (i32.add (local.get $fix) (i32.shl (local.get $fixCount) (i32.const 2))) (local.get $pair))
                  (local.set $fixCount (i32.add (local.get $fixCount) (i32.const 1)))))
              (if (i32x4.extract_lane 1 (local.get $bad))
                (then
                  (i32.store (i32.add (local.get $fix) (i32.shl (local.get $fixCount) (i32.const 2))) (i32.add (local.get $pair) (i32.const 1)))
                  (local.set $fixCount (i32.add (local.get $fixCount) (i32.const 1)))))))
          (local.set $j (i32.add (local.get $j) (i32.const 8)))
          (br_if $pairs (i32.lt_u (local.get $j) (i32.const 32))))
        (local.set $u (i32.add (local.get $u) (i32.const 64)))
        (local.set $out (i32.add (local.get $out) (i32.const 64)))
        (br $block)))
    (local.get $fixCount)))
