// mx_bridge.cpp - the C bridge the host runtime loads (fpga_host.csim, through ctypes): plain C
// symbols over the HLS kernel, with NumPy-friendly pointer arguments.
#include "mx_datapath.h"

extern "C" {

int32_t mx_csim_matmul(uint32_t mode, uint32_t block_size, uint32_t m, uint32_t n, uint32_t k_blocks,
                       const uint8_t *a_codes, const uint8_t *a_scales, const uint8_t *b_codes,
                       const uint8_t *b_scales, uint32_t *c, uint64_t *cycles) {
  return mx_matmul(mode, block_size, m, n, k_blocks, a_codes, a_scales, b_codes, b_scales, c, cycles);
}

uint32_t mx_csim_scale_to_fp32(int64_t sum, int32_t exponent) { return mx_scale_to_fp32(sum, exponent); }

int32_t mx_csim_max_k(void) { return MX_MAX_K; }

}
