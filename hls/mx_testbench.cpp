// mx_testbench.cpp - C-simulation testbench: runs the kernel on test vectors written by
// mxlib.fpga.write_test_vectors and compares every output bit for bit; also checks the fp32
// conversion against the host's double -> float cast. Ends with the line "N passed, M failed"
// and exits non-zero on any failure.
//
// Vector file (little-endian): "MXTV", u32 version (1), u32 case count, then per case:
//   u32 name length, name bytes, u32 mode, u32 block size, u32 m, u32 n, u32 k_blocks,
//   A codes (m·k_blocks·block bytes), A scales (m·k_blocks), B codes (n·k_blocks·block bytes),
//   B scales (n·k_blocks), expected C (m·n u32 fp32 bit patterns, row-major).
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>
#include "mx_datapath.h"
#include "mxtv_reader.h"

namespace {

// Runs one case; prints the first mismatch. Returns true when every output bit matches.
bool run_case(MxtvReader &in, std::string *name) {
  const uint32_t name_length = in.u32();
  std::vector<uint8_t> name_bytes = in.bytes(name_length);
  name->assign(name_bytes.begin(), name_bytes.end());
  const uint32_t mode = in.u32(), block_size = in.u32(), m = in.u32(), n = in.u32(), k_blocks = in.u32();
  const uint64_t block_bytes = mx_block_bytes(mode, block_size);
  std::vector<uint8_t> a_codes = in.bytes(uint64_t(m) * k_blocks * block_bytes), a_scales = in.bytes(uint64_t(m) * k_blocks);
  std::vector<uint8_t> b_codes = in.bytes(uint64_t(n) * k_blocks * block_bytes), b_scales = in.bytes(uint64_t(n) * k_blocks);
  std::vector<uint8_t> expected_bytes = in.bytes(uint64_t(m) * n * 4);
  if (!in.ok) { std::printf("FAIL %s: truncated vector file\n", name->c_str()); return false; }
  std::vector<uint32_t> expected(uint64_t(m) * n), got(uint64_t(m) * n, 0xDEADBEEFu);
  if (!expected.empty()) std::memcpy(expected.data(), expected_bytes.data(), expected_bytes.size());
  uint64_t cycles = 0;
  const int32_t status = mx_matmul(mode, block_size, m, n, k_blocks, a_codes.data(), a_scales.data(), b_codes.data(),
                                   b_scales.data(), got.data(), &cycles);
  if (status != MX_OK) { std::printf("FAIL %s: kernel status %d\n", name->c_str(), status); return false; }
  for (uint64_t i = 0; i < expected.size(); i++)
    if (got[i] != expected[i]) {
      std::printf("FAIL %s: C[%llu][%llu] = 0x%08X, expected 0x%08X\n", name->c_str(), (unsigned long long)(i / n),
                  (unsigned long long)(i % n), got[i], expected[i]);
      return false;
    }
  return true;
}

// The conversion against an independent path: (float)ldexp(double(sum), exponent) is exact in
// double for these ranges and then rounds once, to nearest even, like the datapath must.
// Random sums up to 42 bits, then sums at rounding ties and carries, over every exponent in range.
int conversion_mismatches(int samples) {
  std::mt19937_64 random(20240607);
  const int64_t edges[] = {1, 3, 5, (1 << 24) - 1, (1 << 24) + 1, (1 << 25) - 1, (1 << 25) + 3, 0x2FFFFFF, (int64_t(1) << 42) - 1};
  const int edge_count = sizeof(edges) / sizeof(edges[0]), exponent_count = 600;
  int mismatches = 0;
  for (int i = 0; i < samples + 2 * edge_count * exponent_count; i++) {
    const int j = i - samples;
    const int64_t sum = j < 0 ? int64_t(random() >> (22 + random() % 41)) * ((random() & 1) ? -1 : 1)
                              : edges[(j / exponent_count) % edge_count] * (j < edge_count * exponent_count ? 1 : -1);
    const int exponent = j < 0 ? int(random() % exponent_count) - 320 : j % exponent_count - 320;
    const float reference = float(std::ldexp(double(sum), exponent));
    uint32_t expected; std::memcpy(&expected, &reference, 4);
    const uint32_t got = mx_scale_to_fp32(sum, exponent);
    if (got != expected && mismatches++ < 5) std::printf("FAIL conversion %lld × 2^%d: 0x%08X, expected 0x%08X\n", (long long)sum, exponent, got, expected);
  }
  return mismatches;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc != 2) { std::fprintf(stderr, "usage: %s VECTORS.bin\n0 passed, 1 failed\n", argv[0]); return 2; }
  FILE *file = std::fopen(argv[1], "rb");
  if (!file) { std::printf("cannot open %s\n0 passed, 1 failed\n", argv[1]); return 2; }
  MxtvReader in{file};
  char magic[4] = {0};
  const bool magic_ok = std::fread(magic, 1, 4, file) == 4 && std::memcmp(magic, "MXTV", 4) == 0;
  const uint32_t version = in.u32(), count = in.u32();
  if (!magic_ok || version != 1 || !in.ok) { std::printf("%s is not an MXTV version 1 vector file\n0 passed, 1 failed\n", argv[1]); return 2; }
  int passed = 0, failed = 0;
  for (uint32_t i = 0; i < count; i++) {
    std::string name;
    if (run_case(in, &name)) passed++; else failed++;
    if (!in.ok) break;
  }
  std::fclose(file);
  const int conversion_samples = 200000;
  const int mismatches = conversion_mismatches(conversion_samples);
  std::printf("vector cases: %u; fp32 conversion: %d samples differ from the double -> float cast\n", count, mismatches);
  if (mismatches == 0) passed++; else failed++;
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
