;; Dot products of float32 (dots, dotsAndNorms) or float64 (dots64) rows with a float64 vector, in float64, with exactly the summation order of the JS
;; kernel in rowDots.ts: four accumulators d0..d3 over j mod 4 (here two f64x2 lane pairs), the remainder
;; (dim mod 4) into d0, then ((d0 + d1) + d2) + d3. WebAssembly never fuses a multiply and an add, so every
;; product and sum is the same IEEE operation as in JS: the results are bit-identical.
;; All offsets are byte offsets into the imported memory. Two 8-byte loads, each widened, beat one 16-byte load
;; plus a shuffle (no shuffle-port work).
;; Rebuild rowDotsWasm.ts with `node scripts/wasm/build-row-dots.mjs` after editing (a unit test checks they agree).
(module
  (import "env" "memory" (memory 1))

  ;; d0 plus the n leftover elements (dim mod 4) of a row at p times the vector's at q, in order (the JS kernel's
  ;; remainder goes into its first accumulator).
  (func $tail (param $d0 f64) (param $p i32) (param $q i32) (param $n i32) (result f64)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $d0 (f64.add (local.get $d0) (f64.mul (f64.promote_f32 (f32.load (local.get $p))) (f64.load (local.get $q)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $q (i32.add (local.get $q) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $d0))

  ;; ((d0 + d1) + d2) + d3, as JS evaluates d0 + d1 + d2 + d3 (d0 already holds the row's leftover elements)
  (func $total (param $d0 f64) (param $a01 v128) (param $a23 v128) (result f64)
    (f64.add (f64.add (f64.add (local.get $d0) (f64x2.extract_lane 1 (local.get $a01))) (f64x2.extract_lane 0 (local.get $a23))) (f64x2.extract_lane 1 (local.get $a23))))

  ;; dots(block, rows, dim, vector, out): out[r] = row r · vector, for the rows × dim float32 at block;
  ;; vector: dim float64; out: rows float64. Two rows per pass: each row still has its own two accumulator
  ;; pairs in the same order, but four independent add chains keep the adder busy (one row's two chains wait on
  ;; the add latency).
  (func (export "dots") (param $block i32) (param $rows i32) (param $dim i32) (param $vector i32) (param $out i32)
    (local $r i32) (local $p i32) (local $p2 i32) (local $q i32) (local $j i32) (local $dim4 i32) (local $left i32)
    (local $qlo v128) (local $qhi v128) (local $a01 v128) (local $a23 v128) (local $b01 v128) (local $b23 v128)
    (local.set $dim4 (i32.and (local.get $dim) (i32.const -4)))
    (local.set $left (i32.sub (local.get $dim) (local.get $dim4)))
    (local.set $p (local.get $block))
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.gt_u (i32.add (local.get $r) (i32.const 2)) (local.get $rows)))
        (local.set $a01 (v128.const f64x2 0 0))
        (local.set $a23 (v128.const f64x2 0 0))
        (local.set $b01 (v128.const f64x2 0 0))
        (local.set $b23 (v128.const f64x2 0 0))
        (local.set $p2 (i32.add (local.get $p) (i32.shl (local.get $dim) (i32.const 2))))
        (local.set $q (local.get $vector))
        (local.set $j (i32.const 0))
        (block $simdDone
          (loop $simd
            (br_if $simdDone (i32.ge_s (local.get $j) (local.get $dim4)))
            (local.set $qlo (v128.load (local.get $q)))
            (local.set $qhi (v128.load offset=16 (local.get $q)))
            (local.set $a01 (f64x2.add (local.get $a01) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))) (local.get $qlo))))
            (local.set $a23 (f64x2.add (local.get $a23) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $p))) (local.get $qhi))))
            (local.set $b01 (f64x2.add (local.get $b01) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p2))) (local.get $qlo))))
            (local.set $b23 (f64x2.add (local.get $b23) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $p2))) (local.get $qhi))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $p2 (i32.add (local.get $p2) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $simd)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (call $total (call $tail (f64x2.extract_lane 0 (local.get $a01)) (local.get $p) (local.get $q) (local.get $left)) (local.get $a01) (local.get $a23)))
        (f64.store offset=8 (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (call $total (call $tail (f64x2.extract_lane 0 (local.get $b01)) (local.get $p2) (local.get $q) (local.get $left)) (local.get $b01) (local.get $b23)))
        ;; the next pair starts after row r + 1's leftover elements
        (local.set $p (i32.add (local.get $p2) (i32.shl (local.get $left) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 2)))
        (br $pairs)))
    ;; an odd last row alone
    (if (i32.lt_u (local.get $r) (local.get $rows))
      (then
        (local.set $a01 (v128.const f64x2 0 0))
        (local.set $a23 (v128.const f64x2 0 0))
        (local.set $q (local.get $vector))
        (local.set $j (i32.const 0))
        (block $simdDone
          (loop $simd
            (br_if $simdDone (i32.ge_s (local.get $j) (local.get $dim4)))
            (local.set $a01 (f64x2.add (local.get $a01) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))) (v128.load (local.get $q)))))
            (local.set $a23 (f64x2.add (local.get $a23) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $p))) (v128.load offset=16 (local.get $q)))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $simd)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (call $total (call $tail (f64x2.extract_lane 0 (local.get $a01)) (local.get $p) (local.get $q) (local.get $left)) (local.get $a01) (local.get $a23))))))

  ;; dotsAndNorms(block, rows, dim, vector, out, norms): dots as above, and norms[r] = sqrt(row r · row r).
  (func (export "dotsAndNorms") (param $block i32) (param $rows i32) (param $dim i32) (param $vector i32) (param $out i32) (param $norms i32)
    (local $r i32) (local $p i32) (local $q i32) (local $j i32)
    (local $lo v128) (local $hi v128) (local $a01 v128) (local $a23 v128) (local $d0 f64) (local $x f64)
    (local $n01 v128) (local $n23 v128) (local $n0 f64)
    (local.set $p (local.get $block))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $a01 (v128.const f64x2 0 0))
        (local.set $a23 (v128.const f64x2 0 0))
        (local.set $n01 (v128.const f64x2 0 0))
        (local.set $n23 (v128.const f64x2 0 0))
        (local.set $q (local.get $vector))
        (local.set $j (i32.const 0))
        (block $simdDone
          (loop $simd
            (br_if $simdDone (i32.gt_s (i32.add (local.get $j) (i32.const 4)) (local.get $dim)))
            (local.set $lo (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))))
            (local.set $hi (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $p))))
            (local.set $a01 (f64x2.add (local.get $a01) (f64x2.mul (local.get $lo) (v128.load (local.get $q)))))
            (local.set $a23 (f64x2.add (local.get $a23) (f64x2.mul (local.get $hi) (v128.load offset=16 (local.get $q)))))
            (local.set $n01 (f64x2.add (local.get $n01) (f64x2.mul (local.get $lo) (local.get $lo))))
            (local.set $n23 (f64x2.add (local.get $n23) (f64x2.mul (local.get $hi) (local.get $hi))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $simd)))
        (local.set $d0 (f64x2.extract_lane 0 (local.get $a01)))
        (local.set $n0 (f64x2.extract_lane 0 (local.get $n01)))
        ;; dim mod 4 leftover elements go into the first accumulator, as in the JS kernel
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_s (local.get $j) (local.get $dim)))
            (local.set $x (f64.promote_f32 (f32.load (local.get $p))))
            (local.set $d0 (f64.add (local.get $d0) (f64.mul (local.get $x) (f64.load (local.get $q)))))
            (local.set $n0 (f64.add (local.get $n0) (f64.mul (local.get $x) (local.get $x))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (local.set $q (i32.add (local.get $q) (i32.const 8)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $tail)))
        ;; ((d0 + d1) + d2) + d3, as JS evaluates d0 + d1 + d2 + d3
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (f64.add (f64.add (f64.add (local.get $d0) (f64x2.extract_lane 1 (local.get $a01))) (f64x2.extract_lane 0 (local.get $a23))) (f64x2.extract_lane 1 (local.get $a23))))
        (f64.store (i32.add (local.get $norms) (i32.shl (local.get $r) (i32.const 3)))
          (f64.sqrt (f64.add (f64.add (f64.add (local.get $n0) (f64x2.extract_lane 1 (local.get $n01))) (f64x2.extract_lane 0 (local.get $n23))) (f64x2.extract_lane 1 (local.get $n23)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; dots64(block, rows, dim, vector, out): as dots, for rows of float64 (centred data, Gram matrices).
  (func (export "dots64") (param $block i32) (param $rows i32) (param $dim i32) (param $vector i32) (param $out i32)
    (local $r i32) (local $p i32) (local $q i32) (local $j i32)
    (local $a01 v128) (local $a23 v128) (local $d0 f64)
    (local.set $p (local.get $block))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $a01 (v128.const f64x2 0 0))
        (local.set $a23 (v128.const f64x2 0 0))
        (local.set $q (local.get $vector))
        (local.set $j (i32.const 0))
        (block $simdDone
          (loop $simd
            (br_if $simdDone (i32.gt_s (i32.add (local.get $j) (i32.const 4)) (local.get $dim)))
            (local.set $a01 (f64x2.add (local.get $a01) (f64x2.mul (v128.load (local.get $p)) (v128.load (local.get $q)))))
            (local.set $a23 (f64x2.add (local.get $a23) (f64x2.mul (v128.load offset=16 (local.get $p)) (v128.load offset=16 (local.get $q)))))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $simd)))
        (local.set $d0 (f64x2.extract_lane 0 (local.get $a01)))
        ;; dim mod 4 leftover elements go into the first accumulator, as in the JS kernel
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_s (local.get $j) (local.get $dim)))
            (local.set $d0 (f64.add (local.get $d0) (f64.mul (f64.load (local.get $p)) (f64.load (local.get $q)))))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (local.set $q (i32.add (local.get $q) (i32.const 8)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $tail)))
        ;; ((d0 + d1) + d2) + d3, as JS evaluates d0 + d1 + d2 + d3
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (f64.add (f64.add (f64.add (local.get $d0) (f64x2.extract_lane 1 (local.get $a01))) (f64x2.extract_lane 0 (local.get $a23))) (f64x2.extract_lane 1 (local.get $a23))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))
)
