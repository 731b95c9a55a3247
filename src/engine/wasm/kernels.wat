;; The engine's WebAssembly SIMD kernels: integer matrix products, exact by construction.
;; Assembled at run time by assembleWat.ts (a standard WAT subset: wabt's wat2wasm takes it too).
;;
;; Both kernels compute out[r][j] = Σ_k a[r][k] · bt[j][k] for rows r < $rows and columns
;; j < 4·$groups, a row-major left operand and a transposed right operand (one row per column),
;; both zero-padded by the caller: K to a whole number of vector chunks, the columns to a
;; multiple of 4. Integer addition wraps (mod 2^32 / 2^64), so every partial sum may wrap and the
;; result is still exact whenever the TRUE sum fits the accumulator: the caller (chooseDotKernel.ts)
;; only picks a kernel after proving |Σ_k a·b| fits it, from the weights and the value range.
;; Four columns are computed at once so that each chunk of a is loaded once per four products.
(module
  (import "env" "memory" (memory 1))

  ;; i16 × i16 → i32: a, bt are i16, out is i32[rows][4·groups]. One chunk is 8 lanes (16 bytes);
  ;; i32x4.dot_i16x8_s multiplies 8 lane pairs and adds adjacent products into 4 i32 lanes.
  (func $dot_i16x8 (export "dot_i16x8")
    (param $a i32) (param $bt i32) (param $out i32) (param $chunks i32) (param $groups i32) (param $rows i32)
    (local $rowBytes i32) (local $aEnd i32) (local $p i32) (local $group i32)
    (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32)
    (local $x v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local $s01 v128) (local $s23 v128)
    local.get $chunks
    i32.const 4
    i32.shl
    local.set $rowBytes
    block $done
      local.get $rows
      i32.eqz
      br_if $done
      local.get $groups
      i32.eqz
      br_if $done
      local.get $chunks
      i32.eqz
      br_if $done
      loop $row
        local.get $a
        local.get $rowBytes
        i32.add
        local.set $aEnd
        local.get $bt
        local.set $b0
        local.get $groups
        local.set $group
        loop $columns
          ;; the four rows of bt for columns 4g … 4g+3
          local.get $b0
          local.get $rowBytes
          i32.add
          local.tee $b1
          local.get $rowBytes
          i32.add
          local.tee $b2
          local.get $rowBytes
          i32.add
          local.set $b3
          i32.const 0
          i32x4.splat
          local.tee $acc0
          local.tee $acc1
          local.tee $acc2
          local.set $acc3
          local.get $a
          local.set $p
          loop $chunk
            local.get $p
            v128.load
            local.set $x
            local.get $acc0
            local.get $x
            local.get $b0
            v128.load
            i32x4.dot_i16x8_s
            i32x4.add
            local.set $acc0
            local.get $acc1
            local.get $x
            local.get $b1
            v128.load
            i32x4.dot_i16x8_s
            i32x4.add
            local.set $acc1
            local.get $acc2
            local.get $x
            local.get $b2
            v128.load
            i32x4.dot_i16x8_s
            i32x4.add
            local.set $acc2
            local.get $acc3
            local.get $x
            local.get $b3
            v128.load
            i32x4.dot_i16x8_s
            i32x4.add
            local.set $acc3
            local.get $b0
            i32.const 16
            i32.add
            local.set $b0
            local.get $b1
            i32.const 16
            i32.add
            local.set $b1
            local.get $b2
            i32.const 16
            i32.add
            local.set $b2
            local.get $b3
            i32.const 16
            i32.add
            local.set $b3
            local.get $p
            i32.const 16
            i32.add
            local.tee $p
            local.get $aEnd
            i32.lt_u
            br_if $chunk
          end
          ;; Horizontal sums of the four accumulators into one vector [Σacc0, Σacc1, Σacc2, Σacc3]:
          ;; s01 = [acc0₀+acc0₁, acc1₀+acc1₁, acc0₂+acc0₃, acc1₂+acc1₃], s23 likewise, then pairs.
          local.get $acc0
          local.get $acc1
          i8x16.shuffle 0 1 2 3 16 17 18 19 8 9 10 11 24 25 26 27
          local.get $acc0
          local.get $acc1
          i8x16.shuffle 4 5 6 7 20 21 22 23 12 13 14 15 28 29 30 31
          i32x4.add
          local.set $s01
          local.get $acc2
          local.get $acc3
          i8x16.shuffle 0 1 2 3 16 17 18 19 8 9 10 11 24 25 26 27
          local.get $acc2
          local.get $acc3
          i8x16.shuffle 4 5 6 7 20 21 22 23 12 13 14 15 28 29 30 31
          i32x4.add
          local.set $s23
          local.get $out
          local.get $s01
          local.get $s23
          i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          local.get $s01
          local.get $s23
          i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
          i32x4.add
          v128.store
          local.get $out
          i32.const 16
          i32.add
          local.set $out
          ;; b3 has walked to the end of its row: the start of the next group's first row.
          local.get $b3
          local.set $b0
          local.get $group
          i32.const 1
          i32.sub
          local.tee $group
          br_if $columns
        end
        local.get $aEnd
        local.set $a
        local.get $rows
        i32.const 1
        i32.sub
        local.tee $rows
        br_if $row
      end
    end
  )

  ;; i32 × i32 → i64, written out as f64: a, bt are i32, out is f64[rows][4·groups]. One chunk is
  ;; 4 lanes (16 bytes); i64x2.extmul_low/high_i32x4_s give exact 64-bit products of lanes 0–1 and
  ;; 2–3. The caller proves |Σ| < 2^53, so f64.convert_i64_s is exact too.
  (func $dot_i32x4 (export "dot_i32x4")
    (param $a i32) (param $bt i32) (param $out i32) (param $chunks i32) (param $groups i32) (param $rows i32)
    (local $rowBytes i32) (local $aEnd i32) (local $p i32) (local $group i32)
    (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32)
    (local $x v128) (local $y v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    local.get $chunks
    i32.const 4
    i32.shl
    local.set $rowBytes
    block $done
      local.get $rows
      i32.eqz
      br_if $done
      local.get $groups
      i32.eqz
      br_if $done
      local.get $chunks
      i32.eqz
      br_if $done
      loop $row
        local.get $a
        local.get $rowBytes
        i32.add
        local.set $aEnd
        local.get $bt
        local.set $b0
        local.get $groups
        local.set $group
        loop $columns
          local.get $b0
          local.get $rowBytes
          i32.add
          local.tee $b1
          local.get $rowBytes
          i32.add
          local.tee $b2
          local.get $rowBytes
          i32.add
          local.set $b3
          i64.const 0
          i64x2.splat
          local.tee $acc0
          local.tee $acc1
          local.tee $acc2
          local.set $acc3
          local.get $a
          local.set $p
          loop $chunk
            local.get $p
            v128.load
            local.set $x
            local.get $b0
            v128.load
            local.set $y
            local.get $acc0
            local.get $x
            local.get $y
            i64x2.extmul_low_i32x4_s
            i64x2.add
            local.get $x
            local.get $y
            i64x2.extmul_high_i32x4_s
            i64x2.add
            local.set $acc0
            local.get $b1
            v128.load
            local.set $y
            local.get $acc1
            local.get $x
            local.get $y
            i64x2.extmul_low_i32x4_s
            i64x2.add
            local.get $x
            local.get $y
            i64x2.extmul_high_i32x4_s
            i64x2.add
            local.set $acc1
            local.get $b2
            v128.load
            local.set $y
            local.get $acc2
            local.get $x
            local.get $y
            i64x2.extmul_low_i32x4_s
            i64x2.add
            local.get $x
            local.get $y
            i64x2.extmul_high_i32x4_s
            i64x2.add
            local.set $acc2
            local.get $b3
            v128.load
            local.set $y
            local.get $acc3
            local.get $x
            local.get $y
            i64x2.extmul_low_i32x4_s
            i64x2.add
            local.get $x
            local.get $y
            i64x2.extmul_high_i32x4_s
            i64x2.add
            local.set $acc3
            local.get $b0
            i32.const 16
            i32.add
            local.set $b0
            local.get $b1
            i32.const 16
            i32.add
            local.set $b1
            local.get $b2
            i32.const 16
            i32.add
            local.set $b2
            local.get $b3
            i32.const 16
            i32.add
            local.set $b3
            local.get $p
            i32.const 16
            i32.add
            local.tee $p
            local.get $aEnd
            i32.lt_u
            br_if $chunk
          end
          ;; out[j] = f64(lane 0 + lane 1) for the four accumulators
          local.get $out
          local.get $acc0
          i64x2.extract_lane 0
          local.get $acc0
          i64x2.extract_lane 1
          i64.add
          f64.convert_i64_s
          f64.store
          local.get $out
          local.get $acc1
          i64x2.extract_lane 0
          local.get $acc1
          i64x2.extract_lane 1
          i64.add
          f64.convert_i64_s
          f64.store offset=8
          local.get $out
          local.get $acc2
          i64x2.extract_lane 0
          local.get $acc2
          i64x2.extract_lane 1
          i64.add
          f64.convert_i64_s
          f64.store offset=16
          local.get $out
          local.get $acc3
          i64x2.extract_lane 0
          local.get $acc3
          i64x2.extract_lane 1
          i64.add
          f64.convert_i64_s
          f64.store offset=24
          local.get $out
          i32.const 32
          i32.add
          local.set $out
          local.get $b3
          local.set $b0
          local.get $group
          i32.const 1
          i32.sub
          local.tee $group
          br_if $columns
        end
        local.get $aEnd
        local.set $a
        local.get $rows
        i32.const 1
        i32.sub
        local.tee $rows
        br_if $row
      end
    end
  )
)
