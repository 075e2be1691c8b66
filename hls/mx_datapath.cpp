// mx_datapath.cpp - the MX processing element and the tiled matrix-multiply kernel (see mx_datapath.h).
#include "mx_datapath.h"

namespace {

uint32_t float_bits(float value) { union { float f; uint32_t u; } both; both.f = value; return both.u; }
float bits_float(uint32_t bits) { union { float f; uint32_t u; } both; both.u = bits; return both.f; }

// Position of the highest set bit of a non-zero value (a priority encoder in hardware).
int leading_bit(uint64_t value) {
#ifdef __SYNTHESIS__
  int position = 0;
  for (int bit = 0; bit < 64; bit++) {
#pragma HLS UNROLL
    if ((value >> bit) & 1) position = bit;
  }
  return position;
#else
  return 63 - __builtin_clzll(value);
#endif
}

// Round `magnitude` right by `shift` bits to nearest, ties to even (shift >= 64 leaves less than half: 0).
uint64_t round_shift_right(uint64_t magnitude, int shift) {
  if (shift <= 0) return magnitude << -shift;
  if (shift >= 64) return 0;
  uint64_t kept = magnitude >> shift, rest = magnitude & ((uint64_t(1) << shift) - 1), half = uint64_t(1) << (shift - 1);
  return kept + ((rest > half || (rest == half && (kept & 1))) ? 1 : 0);
}

}  // namespace

int mx_fraction_bits(uint32_t mode) { return mode == MX_MODE_FP8_E4M3 ? 9 : mode == MX_MODE_FP4_E2M1 ? 1 : 6; }

int mx_block_bytes(uint32_t mode, int block_size) { return mode == MX_MODE_FP4_E2M1 ? block_size / 2 : block_size; }

mx_element_t mx_element_integer(uint8_t code, uint32_t mode, bool *is_nan) {
  *is_nan = false;
  if (mode == MX_MODE_INT8) return mx_element_t(int8_t(code));
  // sign | exponent field | mantissa field; a normal number is (2^M + mantissa) << (exponent - 1),
  // a subnormal one is the mantissa itself (the integer unit is the subnormal step 2^-F).
  const int mantissa_bits = mode == MX_MODE_FP8_E4M3 ? 3 : 1, exponent_bits = mode == MX_MODE_FP8_E4M3 ? 4 : 2;
  const int sign = (code >> (mantissa_bits + exponent_bits)) & 1;
  const int exponent = (code >> mantissa_bits) & ((1 << exponent_bits) - 1), mantissa = code & ((1 << mantissa_bits) - 1);
  if (mode == MX_MODE_FP8_E4M3 && exponent == 15 && mantissa == 7) *is_nan = true;
  const int32_t magnitude = exponent == 0 ? mantissa : ((1 << mantissa_bits) + mantissa) << (exponent - 1);
  return mx_element_t(sign ? -magnitude : magnitude);
}

uint32_t mx_scale_to_fp32(int64_t sum, int exponent) {
  if (sum == 0) return 0;
  const uint32_t sign = sum < 0 ? 0x80000000u : 0;
  const uint64_t magnitude = sum < 0 ? uint64_t(0) - uint64_t(sum) : uint64_t(sum);
  const int top = leading_bit(magnitude), unbiased = top + exponent;  // value in [2^unbiased, 2^(unbiased+1))
  if (unbiased > 127) return sign | 0x7F800000u;
  if (unbiased >= -126) {
    // normal: keep 24 significant bits; a carry out of the mantissa moves into the exponent field,
    // and a carry out of exponent 254 gives exactly the infinity pattern
    const uint64_t significand = round_shift_right(magnitude, top - 23);
    const uint64_t bits = (uint64_t(unbiased + 127) << 23) + significand - (uint64_t(1) << 23);
    return sign | uint32_t(bits >= 0x7F800000u ? 0x7F800000u : bits);
  }
  // subnormal: the last kept bit weighs 2^-149; rounding up into 2^-126 gives the smallest normal pattern
  return sign | uint32_t(round_shift_right(magnitude, -149 - exponent));
}

float mx_block_product(const mx_element_t *a, const mx_element_t *b, uint8_t a_scale, uint8_t b_scale,
                       bool nan_block, uint32_t mode, int block_size) {
#pragma HLS INLINE
  mx_block_acc_t sum = 0;
  for (int t = 0; t < MX_MAX_BLOCK; t++) {
#pragma HLS UNROLL
    if (t < block_size) sum += mx_block_acc_t(a[t]) * mx_block_acc_t(b[t]);  // exact: see MX_BLOCK_ACC_BITS
  }
  if (nan_block || a_scale == MX_E8M0_NAN || b_scale == MX_E8M0_NAN) return bits_float(MX_CANONICAL_NAN);
  const int exponent = int(a_scale) + int(b_scale) - 2 * MX_E8M0_BIAS - 2 * mx_fraction_bits(mode);
  return bits_float(mx_scale_to_fp32(int64_t(sum), exponent));
}

namespace {

// Decode `rows` rows (from `first_row`, zeros past `total_rows`) of codes into element integers.
void load_tile(const uint8_t *codes, const uint8_t *scales, uint32_t first_row, uint32_t total_rows, uint32_t mode,
               int block_size, uint32_t k_blocks, mx_element_t buffer[][MX_MAX_K], uint8_t exponents[][MX_MAX_BLOCKS],
               bool nan_blocks[][MX_MAX_BLOCKS], int rows, uint64_t *cycles) {
  const int block_bytes = mx_block_bytes(mode, block_size);
  for (int r = 0; r < rows; r++) {
    const uint32_t row = first_row + r;
    for (uint32_t kb = 0; kb < k_blocks; kb++) {
#pragma HLS PIPELINE II = 1
      const bool inside = row < total_rows;
      const uint8_t *block = codes + (uint64_t(row) * k_blocks + kb) * block_bytes;
      bool any_nan = false;
      for (int t = 0; t < MX_MAX_BLOCK; t++) {
#pragma HLS UNROLL
        if (t >= block_size) break;
        const uint8_t code = !inside ? 0 : mode == MX_MODE_FP4_E2M1 ? (block[t / 2] >> (4 * (t & 1))) & 0xF : block[t];
        bool is_nan;
        buffer[r][kb * block_size + t] = mx_element_integer(code, mode, &is_nan);
        any_nan = any_nan || is_nan;
      }
      exponents[r][kb] = inside ? scales[uint64_t(row) * k_blocks + kb] : 0;
      nan_blocks[r][kb] = any_nan;
      *cycles += 1;
    }
  }
}

}  // namespace

int32_t mx_matmul(uint32_t mode, uint32_t block_size, uint32_t m, uint32_t n, uint32_t k_blocks,
                  const uint8_t *a_codes, const uint8_t *a_scales, const uint8_t *b_codes, const uint8_t *b_scales,
                  uint32_t *c, uint64_t *cycles) {
#pragma HLS INTERFACE m_axi port = a_codes offset = slave bundle = gmem0
#pragma HLS INTERFACE m_axi port = a_scales offset = slave bundle = gmem0
#pragma HLS INTERFACE m_axi port = b_codes offset = slave bundle = gmem1
#pragma HLS INTERFACE m_axi port = b_scales offset = slave bundle = gmem1
#pragma HLS INTERFACE m_axi port = c offset = slave bundle = gmem2
#pragma HLS INTERFACE s_axilite port = cycles
#pragma HLS INTERFACE s_axilite port = mode
#pragma HLS INTERFACE s_axilite port = block_size
#pragma HLS INTERFACE s_axilite port = m
#pragma HLS INTERFACE s_axilite port = n
#pragma HLS INTERFACE s_axilite port = k_blocks
#pragma HLS INTERFACE s_axilite port = return
  if (mode > MX_MODE_INT8) return MX_BAD_MODE;
  if (block_size != 8 && block_size != 16 && block_size != 32) return MX_BAD_BLOCK_SIZE;
  if (uint64_t(k_blocks) * block_size > MX_MAX_K) return MX_TOO_LONG;
  static mx_element_t a_tile[MX_TILE_M][MX_MAX_K], b_tile[MX_TILE_N][MX_MAX_K];
  static uint8_t a_exponents[MX_TILE_M][MX_MAX_BLOCKS], b_exponents[MX_TILE_N][MX_MAX_BLOCKS];
  static bool a_nan[MX_TILE_M][MX_MAX_BLOCKS], b_nan[MX_TILE_N][MX_MAX_BLOCKS];
#pragma HLS ARRAY_PARTITION variable = a_tile dim = 1 complete
#pragma HLS ARRAY_PARTITION variable = b_tile dim = 1 complete
#pragma HLS ARRAY_PARTITION variable = a_tile dim = 2 cyclic factor = 32
#pragma HLS ARRAY_PARTITION variable = b_tile dim = 2 cyclic factor = 32
  uint64_t cycle_count = 0;
  for (uint32_t m0 = 0; m0 < m; m0 += MX_TILE_M) {
    load_tile(a_codes, a_scales, m0, m, mode, block_size, k_blocks, a_tile, a_exponents, a_nan, MX_TILE_M, &cycle_count);
    for (uint32_t n0 = 0; n0 < n; n0 += MX_TILE_N) {
      load_tile(b_codes, b_scales, n0, n, mode, block_size, k_blocks, b_tile, b_exponents, b_nan, MX_TILE_N, &cycle_count);
      float accumulator[MX_TILE_M][MX_TILE_N];
#pragma HLS ARRAY_PARTITION variable = accumulator complete dim = 0
      for (int i = 0; i < MX_TILE_M; i++)
        for (int j = 0; j < MX_TILE_N; j++) accumulator[i][j] = 0.0f;
      for (uint32_t kb = 0; kb < k_blocks; kb++) {  // blocks in order: the fp32 sum's order is fixed
#pragma HLS PIPELINE II = 1
        for (int i = 0; i < MX_TILE_M; i++) {
#pragma HLS UNROLL
          for (int j = 0; j < MX_TILE_N; j++) {
#pragma HLS UNROLL
            const uint32_t offset = kb * block_size;
            accumulator[i][j] += mx_block_product(&a_tile[i][offset], &b_tile[j][offset], a_exponents[i][kb],
                                                  b_exponents[j][kb], a_nan[i][kb] || b_nan[j][kb], mode, block_size);
          }
        }
        cycle_count += 1;
      }
      for (int i = 0; i < MX_TILE_M && m0 + i < m; i++)
        for (int j = 0; j < MX_TILE_N && n0 + j < n; j++) {
#pragma HLS PIPELINE II = 1
          const uint32_t bits = float_bits(accumulator[i][j]);
          const bool is_nan = (bits & 0x7F800000u) == 0x7F800000u && (bits & 0x007FFFFFu);
          c[uint64_t(m0 + i) * n + n0 + j] = is_nan ? MX_CANONICAL_NAN : bits;
          cycle_count += 1;
        }
    }
  }
  *cycles = cycle_count;
  return MX_OK;
}
