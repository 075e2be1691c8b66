// mx_datapath.h - the dual-precision MX datapath: control values, widths, the processing
// element and the tiled matrix-multiply kernel. Plain C++17 (g++ compiles it for C simulation);
// `#pragma HLS` lines are for Vitis HLS and ignored by g++ (build with -Wno-unknown-pragmas).
//
// Numerics (bit-exact with mxlib.fpga.mx_matmul_reference):
//   C[i][j] = fp32 sum over blocks b = 0, 1, ... in order of
//             to_fp32( S_b × 2^(ea_b + eb_b - 2·127 - 2·F) ),   S_b = Σ_t a_int[t] · b_int[t]
// where a_int, b_int are the elements as exact integers (element value = integer × 2^-F, F the
// mode's fraction bits), ea_b, eb_b the E8M0 scale bytes, to_fp32 one round-to-nearest-even to
// IEEE binary32 (subnormals kept, overflow to ±inf) and the fp32 sum IEEE addition (RNE).
// A block whose scale byte is 0xFF in either operand, or that holds an E4M3 NaN code
// (S.1111.111), is NaN; every NaN result is written as the canonical quiet NaN 0x7FC00000.
#pragma once
#include <stdint.h>

// Values of the MODE control register.
enum mx_mode : uint32_t {
  MX_MODE_FP8_E4M3 = 0,  // MXFP8: E4M3 elements, value = int × 2^-9, |int| <= 448·2^9 = 229376 (18 bits)
  MX_MODE_FP4_E2M1 = 1,  // MXFP4: E2M1 elements, two per byte (element 2i in the low nibble), value = int × 2^-1, |int| <= 12
  MX_MODE_INT8 = 2,      // MXINT8: two's-complement int8 k, value = k × 2^-6 (OCP MXINT8), |k| <= 128
};

// Values of the STATUS register (and the return value of mx_matmul).
enum mx_status : int32_t { MX_OK = 0, MX_BAD_MODE = 1, MX_BAD_BLOCK_SIZE = 2, MX_TOO_LONG = 3 };

constexpr int MX_MAX_BLOCK = 32;          // block sizes 8, 16 and 32 are supported
constexpr int MX_MAX_K = 8192;            // longest reduction (elements) a tile buffer holds
constexpr int MX_MAX_BLOCKS = MX_MAX_K / 8;
constexpr int MX_TILE_M = 8;              // rows of A per tile: the PE array is MX_TILE_M × MX_TILE_N
constexpr int MX_TILE_N = 8;              // rows of B (output columns) per tile
constexpr uint8_t MX_E8M0_NAN = 0xFF;
constexpr int MX_E8M0_BIAS = 127;
constexpr uint32_t MX_CANONICAL_NAN = 0x7FC00000u;

// Accumulator width, derived: the largest |product| is 229376² < 2^35.61 (E4M3), so a block of
// 32 sums to at most 32·229376² = 1,683,627,180,032 < 2^40.62: 41 magnitude bits plus a sign bit.
// MXFP4 needs 14 bits (32·12² = 4608) and MXINT8 21 bits (32·128² = 2^19). A 42-bit two's-complement
// accumulator is therefore exact for every mode. C simulation holds it in int64_t; Vitis HLS
// builds (which define __SYNTHESIS__ and ship ap_int.h) get the exact 42-bit type.
constexpr int MX_ELEMENT_BITS = 19;       // signed width of the widest element integer (E4M3)
constexpr int MX_BLOCK_ACC_BITS = 42;
constexpr int64_t MX_MAX_ELEMENT = 229376;
static_assert((__int128)MX_MAX_BLOCK * MX_MAX_ELEMENT * MX_MAX_ELEMENT < ((__int128)1 << (MX_BLOCK_ACC_BITS - 1)),
              "the block accumulator must hold the largest block sum exactly");
static_assert(MX_MAX_ELEMENT < (1 << (MX_ELEMENT_BITS - 1)), "the element integer must fit its width");
#ifdef __SYNTHESIS__
#include <ap_int.h>
typedef ap_int<MX_ELEMENT_BITS> mx_element_t;
typedef ap_int<MX_BLOCK_ACC_BITS> mx_block_acc_t;
#else
typedef int32_t mx_element_t;
typedef int64_t mx_block_acc_t;
#endif

// Element code -> exact integer (element value × 2^F); sets *is_nan for the E4M3 NaN codes.
mx_element_t mx_element_integer(uint8_t code, uint32_t mode, bool *is_nan);
// Fraction bits F of a mode (element value = integer × 2^-F).
int mx_fraction_bits(uint32_t mode);
// Bytes one block of `block_size` element codes occupies in memory.
int mx_block_bytes(uint32_t mode, int block_size);
// IEEE binary32 bits of sum × 2^exponent, rounded to nearest even (subnormals kept, ±inf on overflow).
uint32_t mx_scale_to_fp32(int64_t sum, int exponent);
// The processing element: one block of A against one block of B, as fp32 (NaN for NaN blocks).
float mx_block_product(const mx_element_t *a, const mx_element_t *b, uint8_t a_scale, uint8_t b_scale,
                       bool nan_block, uint32_t mode, int block_size);
// The kernel: C[m×n] (fp32 bits) = A[m × k_blocks blocks] · B[n × k_blocks blocks]ᵀ.
// Codes are row-major blocks as mxlib.formats.quantize packs them; scales one E8M0 byte per block.
// *cycles receives the kernel's modelled cycle count (pipelined loop trips at II = 1).
int32_t mx_matmul(uint32_t mode, uint32_t block_size, uint32_t m, uint32_t n, uint32_t k_blocks,
                  const uint8_t *a_codes, const uint8_t *a_scales, const uint8_t *b_codes, const uint8_t *b_scales,
                  uint32_t *c, uint64_t *cycles);
