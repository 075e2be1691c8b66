// tb_mx_tile.cpp - Verilator harness for the RTL tile (mx_tile.sv): drives MXTV version 1 test vectors
// (written by `python -m mxlib.fpga --task vectors`) through the RTL and compares every output bit for
// bit; then runs random tiles against the C++ datapath (mx_matmul in ../mx_datapath.cpp). Ends with
// "N passed, M failed" and exits 1 on a failure, 2 on a file that is not MXTV version 1.
//   tb_mx_tile VECTORS.bin [--random COUNT] [--cycles OUT.json]
// Each output tile (one row of A against N rows of B) streams its blocks at one a cycle; tiles follow
// back to back, so a case takes tiles · k_blocks cycles plus the pipeline's fill.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>
#include "Vmx_tile.h"
#include "verilated.h"
#include "../mx_datapath.h"
#include "../mxtv_reader.h"

namespace {

constexpr int TILE_N = RTL_TILE_N;  // PEs in the tile (the -GN= the model was built with)
static_assert(TILE_N >= 1 && TILE_N <= 8, "the harness drives tiles of 1 to 8 PEs");
const char *STATUS_NAMES[] = {"MX_OK", "MX_BAD_MODE", "MX_BAD_BLOCK_SIZE",
                              "done out of order: a tile finished twice or never"};
constexpr uint32_t MX_STATUS_PROTOCOL = 3;  // the harness's own: the tile's `done` did not follow its blocks

struct Case {
  std::string name;
  uint32_t mode = 0, block_size = 0, m = 0, n = 0, k_blocks = 0;
  std::vector<uint8_t> a_codes, a_scales, b_codes, b_scales;
  std::vector<uint32_t> expected;
};

struct Timing { std::string name; uint32_t mode, block_size, m, n, k_blocks; uint64_t tiles, cycles; };

bool read_case(MxtvReader &in, Case *c) {
  c->name.clear();
  for (uint8_t byte : in.bytes(in.u32())) c->name.push_back(char(byte));
  c->mode = in.u32();
  c->block_size = in.u32();
  c->m = in.u32();
  c->n = in.u32();
  c->k_blocks = in.u32();
  if (!in.ok || c->mode > 3 || c->block_size > MX_MAX_BLOCK || uint64_t(c->m) * c->n > (1u << 24)) return false;
  const uint64_t block_bytes = mx_block_bytes(c->mode, c->block_size);
  c->a_codes = in.bytes(uint64_t(c->m) * c->k_blocks * block_bytes);
  c->a_scales = in.bytes(uint64_t(c->m) * c->k_blocks);
  c->b_codes = in.bytes(uint64_t(c->n) * c->k_blocks * block_bytes);
  c->b_scales = in.bytes(uint64_t(c->n) * c->k_blocks);
  std::vector<uint8_t> expected = in.bytes(uint64_t(c->m) * c->n * 4);
  c->expected.assign(uint64_t(c->m) * c->n, 0);
  if (in.ok && !expected.empty()) std::memcpy(c->expected.data(), expected.data(), expected.size());
  return in.ok;
}

void tick(Vmx_tile *tile) {
  tile->clk = 0;
  tile->eval();
  tile->clk = 1;
  tile->eval();
}

// Puts `bytes` (zeros past them) into a wide Verilator port of `words` 32-bit words, starting at word `first`.
template <typename Port> void put_bytes(Port &port, int first, int words, const uint8_t *bytes, int count) {
  for (int w = 0; w < words; w++) {
    uint32_t word = 0;
    for (int i = 0; i < 4; i++) word |= uint32_t(4 * w + i < count ? bytes[4 * w + i] : 0) << (8 * i);
    port[first + w] = word;
  }
}

// Verilator holds a port of up to 32 bits in IData, up to 64 in QData, wider ones in VlWide<words>.
void set_port(IData &port, uint64_t value) { port = uint32_t(value); }
void set_port(QData &port, uint64_t value) { port = value; }
template <std::size_t W> void set_port(VlWide<W> &port, uint64_t value) {
  port[0] = uint32_t(value);
  port[1] = uint32_t(value >> 32);
}
uint32_t word(IData port, int) { return port; }
uint32_t word(QData port, int j) { return uint32_t(port >> (32 * j)); }
template <std::size_t W> uint32_t word(const VlWide<W> &port, int j) { return port[j]; }

// Runs one case through the RTL; `got` receives C, `*status` the tile's status; returns the cycles taken.
uint64_t run_rtl(Vmx_tile *tile, const Case &c, std::vector<uint32_t> *got, uint32_t *status, uint64_t *tiles) {
  tile->mode = c.mode;
  tile->block_size = c.block_size;
  tile->valid = 0;
  tile->eval();
  *status = tile->status;
  got->assign(uint64_t(c.m) * c.n, 0xDEADBEEFu);
  *tiles = 0;
  if (*status != MX_OK) return 0;
  const int block_bytes = mx_block_bytes(c.mode, c.block_size);
  std::vector<std::pair<uint32_t, uint32_t>> pending;  // (row, first column) of tiles in flight, oldest first
  uint64_t cycles = 0;
  bool spurious = false;  // a `done` with no tile in flight
  auto collect = [&]() {
    if (!tile->done) return;
    if (pending.empty()) { spurious = true; return; }
    const auto [row, column] = pending.front();
    pending.erase(pending.begin());
    for (int j = 0; j < TILE_N && column + j < c.n; j++)
      (*got)[uint64_t(row) * c.n + column + j] = word(tile->results, j);
  };
  for (uint32_t i = 0; i < c.m; i++)
    for (uint32_t j0 = 0; j0 < c.n; j0 += TILE_N) {
      pending.emplace_back(i, j0);
      ++*tiles;
      for (uint32_t kb = 0; kb < c.k_blocks; kb++) {
        tile->valid = 1;
        tile->first = kb == 0;
        tile->last = kb + 1 == c.k_blocks;
        put_bytes(tile->a_codes, 0, 8, &c.a_codes[(uint64_t(i) * c.k_blocks + kb) * block_bytes], block_bytes);
        tile->a_scale = c.a_scales[uint64_t(i) * c.k_blocks + kb];
        uint64_t scales = 0;
        for (int j = 0; j < TILE_N; j++) {
          const bool inside = j0 + j < c.n;
          const uint64_t block = (uint64_t(j0 + j) * c.k_blocks + kb);
          const uint8_t *codes = inside ? &c.b_codes[block * block_bytes] : nullptr;
          put_bytes(tile->b_codes, 8 * j, 8, codes, inside ? block_bytes : 0);
          scales |= uint64_t(inside ? c.b_scales[block] : 0) << (8 * j);
        }
        set_port(tile->b_scales, scales);
        tick(tile);
        cycles++;
        collect();
      }
    }
  tile->valid = 0;
  for (int drain = 0; drain < 16 && !pending.empty(); drain++) {
    tick(tile);
    cycles++;
    collect();
  }
  if (spurious || !pending.empty()) *status = MX_STATUS_PROTOCOL;  // reported as a protocol error
  return cycles;
}

bool compare(const Case &c, const std::vector<uint32_t> &got, uint32_t status, const char *what) {
  if (status != MX_OK) {
    std::printf("FAIL %s: RTL status %u (%s) for mode %u, block size %u\n", c.name.c_str(), status,
                STATUS_NAMES[status < 3 ? status : 3], c.mode, c.block_size);
    return false;
  }
  for (uint64_t i = 0; i < got.size(); i++)
    if (got[i] != c.expected[i]) {
      std::printf("FAIL %s: C[%llu][%llu] = 0x%08X, %s 0x%08X\n", c.name.c_str(), (unsigned long long)(i / c.n),
                  (unsigned long long)(i % c.n), got[i], what, c.expected[i]);
      return false;
    }
  return true;
}

// A random case: mode, block size and shape drawn, every code equally likely, scales mid-range or anywhere.
Case random_case(std::mt19937_64 &random, int index) {
  Case c;
  c.mode = random() % 3;
  c.block_size = 8u << (random() % 3);
  c.m = 1 + random() % 5; c.n = 1 + random() % (2 * TILE_N + 3); c.k_blocks = 1 + random() % 6;
  const bool full_range = random() % 2;
  c.name = "random tile " + std::to_string(index) + " (mode " + std::to_string(c.mode) + ", block " +
           std::to_string(c.block_size) + (full_range ? ", any scale)" : ", mid-range scales)");
  const int block_bytes = mx_block_bytes(c.mode, c.block_size);
  auto fill = [&](std::vector<uint8_t> &v, uint64_t count, bool scale) {
    v.resize(count);
    for (auto &byte : v) byte = uint8_t(scale && !full_range ? 112 + random() % 32 : random() % 256);
  };
  fill(c.a_codes, uint64_t(c.m) * c.k_blocks * block_bytes, false);
  fill(c.a_scales, uint64_t(c.m) * c.k_blocks, true);
  fill(c.b_codes, uint64_t(c.n) * c.k_blocks * block_bytes, false);
  fill(c.b_scales, uint64_t(c.n) * c.k_blocks, true);
  c.expected.assign(uint64_t(c.m) * c.n, 0);
  uint64_t cycles = 0;
  mx_matmul(c.mode, c.block_size, c.m, c.n, c.k_blocks, c.a_codes.data(), c.a_scales.data(), c.b_codes.data(),
            c.b_scales.data(), c.expected.data(), &cycles);
  return c;
}

void write_cycles(const char *path, const std::vector<Timing> &timings) {
  FILE *out = std::fopen(path, "w");
  if (!out) { std::printf("cannot write %s\n", path); std::exit(2); }
  std::fprintf(out, "{\"tile_pes\": %d, \"cases\": [", TILE_N);
  for (size_t i = 0; i < timings.size(); i++) {
    const Timing &t = timings[i];
    std::string name;
    for (char ch : t.name) { if (ch == '"' || ch == '\\') name.push_back('\\'); name.push_back(ch); }
    std::fprintf(out, "%s\n  {\"name\": \"%s\", \"mode\": %u, \"block_size\": %u, \"m\": %u, \"n\": %u, "
                 "\"k_blocks\": %u, "
                 "\"tiles\": %llu, \"cycles\": %llu}", i ? "," : "", name.c_str(), t.mode, t.block_size, t.m, t.n,
                 t.k_blocks, (unsigned long long)t.tiles, (unsigned long long)t.cycles);
  }
  std::fprintf(out, "\n]}\n");
  std::fclose(out);
}

}  // namespace

int main(int argc, char **argv) {
  Verilated::commandArgs(argc, argv);
  const char *vectors = nullptr, *cycles_path = nullptr;
  int random_count = 0;
  for (int i = 1; i < argc; i++) {
    if (!std::strcmp(argv[i], "--random") && i + 1 < argc) random_count = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--cycles") && i + 1 < argc) cycles_path = argv[++i];
    else if (argv[i][0] != '+' && !vectors) vectors = argv[i];
  }
  if (!vectors) {
    std::fprintf(stderr, "usage: %s VECTORS.bin [--random COUNT] [--cycles OUT.json]\n", argv[0]);
    return 2;
  }
  FILE *file = std::fopen(vectors, "rb");
  if (!file) { std::printf("cannot open %s\n0 passed, 1 failed\n", vectors); return 2; }
  MxtvReader in{file};
  char magic[4] = {0};
  const bool magic_ok = std::fread(magic, 1, 4, file) == 4 && std::memcmp(magic, "MXTV", 4) == 0;
  const uint32_t version = in.u32(), count = in.u32();
  if (!magic_ok || version != 1 || !in.ok) {
    std::printf("%s is not an MXTV version 1 vector file (%s, version %u): write it with "
                "`python -m mxlib.fpga --task vectors`\n0 passed, 1 failed\n", vectors,
                magic_ok ? "MXTV" : "no MXTV magic", version);
    return 2;
  }
  Vmx_tile *tile = new Vmx_tile;
  std::vector<Timing> timings;
  int passed = 0, failed = 0;
  for (uint32_t i = 0; i < count; i++) {
    Case c;
    if (!read_case(in, &c)) {
      std::printf("FAIL case %u (%s): truncated or malformed vector file\n", i, c.name.c_str());
      failed++;
      break;
    }
    std::vector<uint32_t> got;
    uint32_t status;
    uint64_t tiles;
    const uint64_t cycles = run_rtl(tile, c, &got, &status, &tiles);
    if (compare(c, got, status, "expected")) passed++; else failed++;
    timings.push_back({c.name, c.mode, c.block_size, c.m, c.n, c.k_blocks, tiles, cycles});
  }
  std::fclose(file);
  std::printf("vector cases: %u through the RTL tile of %d PEs\n", count, TILE_N);
  std::mt19937_64 random(20261202);
  int random_failed = 0;
  for (int i = 0; i < random_count; i++) {
    const Case c = random_case(random, i);
    std::vector<uint32_t> got;
    uint32_t status;
    uint64_t tiles;
    run_rtl(tile, c, &got, &status, &tiles);
    if (!compare(c, got, status, "C++ datapath gives")) random_failed++;
  }
  if (random_count) {
    std::printf("random tiles: %d against the C++ datapath, %d differ\n", random_count, random_failed);
    if (random_failed) failed++; else passed++;
  }
  delete tile;
  if (cycles_path) write_cycles(cycles_path, timings);
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
