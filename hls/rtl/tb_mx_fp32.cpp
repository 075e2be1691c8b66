// tb_mx_fp32.cpp - Verilator check of the PE's FP32 units (mx_fp32.sv) against the host's IEEE arithmetic:
// the adder against float addition (SSE, round to nearest even, subnormals kept; every NaN must come out as
// 0x7FC00000), the block-sum rounding against (float)ldexp(double(sum), exponent), exact in double and
// then rounded once. Random operands, operands a few exponents apart, and every pair of special values.
// Ends with "N passed, M failed".
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include "Vmx_fp32_units.h"
#include "verilated.h"

namespace {

uint32_t bits_of(float f) { uint32_t u; std::memcpy(&u, &f, 4); return u; }
float float_of(uint32_t u) { float f; std::memcpy(&f, &u, 4); return f; }

int adder_mismatches(Vmx_fp32_units *units, std::mt19937_64 &random, int samples, int *checked) {
  const uint32_t specials[] = {0, 0x80000000u, 0x7F800000u, 0xFF800000u, 0x7FC00000u, 0xFFC00001u, 0x7F800001u, 1,
                               0x80000001u, 0x007FFFFFu, 0x807FFFFFu, 0x00800000u, 0x80800000u, 0x7F7FFFFFu,
                               0xFF7FFFFFu, 0x3F800000u, 0xBF800000u, 0x33800000u, 0x4B800000u, 0x00400000u};
  const int count = sizeof(specials) / sizeof(specials[0]);
  int mismatches = 0;
  for (int i = 0; i < samples + count * count; i++) {
    uint32_t x, y;
    if (i >= samples) { x = specials[(i - samples) / count]; y = specials[(i - samples) % count]; }
    else if (i % 3 == 0) { x = uint32_t(random()); y = uint32_t(random()); }
    else {  // exponents close together (cancellation, carries, ties), a third of them in the subnormal range
      x = uint32_t(random());
      const int exponent = i % 3 == 1 ? int((x >> 23) & 0xFF) : int(random() % 3);
      const int other = std::min(254, std::max(0, exponent + int(random() % 61) - 30));
      x = (x & 0x807FFFFFu) | (uint32_t(std::min(exponent, 254)) << 23);
      y = (uint32_t(random()) & 0x807FFFFFu) | (uint32_t(other) << 23);
      if (random() % 4 == 0) y = (x ^ 0x80000000u) + uint32_t(random() % 5) - 2;  // near-total cancellation
    }
    units->x = x;
    units->y = y;
    units->eval();
    volatile float a = float_of(x), b = float_of(y);
    const float reference = a + b;
    const uint32_t expected = std::isnan(reference) ? 0x7FC00000u : bits_of(reference);
    if (units->sum != expected && mismatches++ < 5)
      std::printf("FAIL fp32 add 0x%08X + 0x%08X = 0x%08X, expected 0x%08X\n", x, y, units->sum, expected);
    ++*checked;
  }
  return mismatches;
}

int rounding_mismatches(Vmx_fp32_units *units, std::mt19937_64 &random, int samples, int *checked) {
  const int64_t edges[] = {1, 3, 5, (1 << 24) - 1, (1 << 24) + 1, (1 << 25) - 1, (1 << 25) + 3, 0x2FFFFFF,
                           (int64_t(1) << 41) - 1, (int64_t(1) << 40) + 1};
  const int edge_count = sizeof(edges) / sizeof(edges[0]), exponents = 600;
  int mismatches = 0;
  for (int i = 0; i < samples + 2 * edge_count * exponents; i++) {
    const int j = i - samples;
    const int64_t magnitude = j < 0 ? int64_t(random() >> (23 + random() % 41)) : edges[(j / exponents) % edge_count];
    const bool negative = j < 0 ? random() & 1 : j >= edge_count * exponents;
    const int exponent = j < 0 ? int(random() % exponents) - 320 : j % exponents - 320;
    units->sign = negative;
    units->magnitude = uint64_t(magnitude);
    units->exponent = uint32_t(exponent) & 0xFFF;
    units->eval();
    const float reference = float(std::ldexp(double(negative ? -magnitude : magnitude), exponent));
    const uint32_t expected = magnitude == 0 && negative ? 0x80000000u : bits_of(reference);
    if (units->bits != expected && mismatches++ < 5)
      std::printf("FAIL fp32 rounding %s%lld x 2^%d = 0x%08X, expected 0x%08X\n", negative ? "-" : "",
                  (long long)magnitude, exponent, units->bits, expected);
    ++*checked;
  }
  return mismatches;
}

}  // namespace

int main(int argc, char **argv) {
  Verilated::commandArgs(argc, argv);
  Vmx_fp32_units *units = new Vmx_fp32_units;
  std::mt19937_64 random(20261202);
  int added = 0, rounded = 0;
  const int add_failures = adder_mismatches(units, random, 1000000, &added);
  const int round_failures = rounding_mismatches(units, random, 300000, &rounded);
  delete units;
  std::printf("fp32 add: %d of %d differ from the host's float addition\n", add_failures, added);
  std::printf("fp32 rounding: %d of %d differ from the double -> float cast\n", round_failures, rounded);
  const int failed = (add_failures > 0) + (round_failures > 0);
  std::printf("%d passed, %d failed\n", 2 - failed, failed);
  return failed == 0 ? 0 : 1;
}
