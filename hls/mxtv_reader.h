// mxtv_reader.h - reads the little-endian MXTV vector files written by mxlib.fpga.write_test_vectors;
// shared by the C-simulation testbench (mx_testbench.cpp) and the RTL harness (rtl/tb_mx_tile.cpp).
#pragma once
#include <cstdint>
#include <cstdio>
#include <vector>

// Reads u32 fields and byte runs; `ok` turns false at the first short read and stays false.
struct MxtvReader {
  FILE *file;
  bool ok = true;
  uint32_t u32() {
    uint32_t v = 0;
    ok = ok && std::fread(&v, 4, 1, file) == 1;
    return v;
  }
  std::vector<uint8_t> bytes(uint64_t count) {
    std::vector<uint8_t> v(count);
    ok = ok && (count == 0 || std::fread(v.data(), 1, count, file) == count);
    return v;
  }
};
