// zstd_compress: reproducible bytes whatever the machine. Large inputs go through zstd's multi-threaded
// mode; its output must not depend on the number of workers (the release is byte-identical on a 2-core CI
// runner and a 64-core workstation), and must decompress to the input.
#include "base/zstd_codec.h"

#include <atomic>
#include <gtest/gtest.h>
#include <random>
#include <string>

#include <zstd.h>

#include "base/zstd_patch.h"

namespace fleetpack {
namespace {

/// About 6 MiB of JS-like text (above the multi-threaded threshold, three 2 MiB jobs): repetitive
/// enough to compress, varied enough that jobs differ.
std::vector<uint8_t> large_text() {
  std::mt19937 rng(42);
  std::string s;
  while (s.size() < (6u << 20))
    s += "function f" + std::to_string(rng() % 5000) + "(a, b) { return HEAP32[a + " +
         std::to_string(rng() % 100000) + " >> 2] | 0; }\n";
  return {s.begin(), s.end()};
}

TEST(ZstdCodec, LargeInputsGiveTheSameBytesForAnyNumberOfWorkers) {
  const auto input = large_text();
  const auto one = zstd_compress(input.data(), input.size(), 9, 1);
  ASSERT_FALSE(one.empty());
  EXPECT_LT(one.size(), input.size() / 3);
  for (int workers : {2, 3, 4, 0}) {
    SCOPED_TRACE(workers);
    EXPECT_EQ(zstd_compress(input.data(), input.size(), 9, workers), one);
  }
  std::string error;
  auto back = zstd_decompress_bounded(one.data(), one.size(), input.size(), error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(*back, input);
}

TEST(ZstdCodec, SmallInputsRoundTripAtEveryLevelBound) {
  const std::string text = "(module (func (export \"f\") (result i32) (i32.const 42)))\n";
  std::vector<uint8_t> input;
  for (int i = 0; i < 200; ++i) input.insert(input.end(), text.begin(), text.end());
  for (int level : {-5, 1, 9, 19, 30}) {  // out-of-range levels are clamped to 1..19
    SCOPED_TRACE(level);
    const auto z = zstd_compress(input.data(), input.size(), level);
    ASSERT_FALSE(z.empty());
    EXPECT_EQ(z, zstd_compress(input.data(), input.size(), level));
    std::string error;
    auto back = zstd_decompress_bounded(z.data(), z.size(), input.size(), error);
    ASSERT_TRUE(back) << error;
    EXPECT_EQ(*back, input);
  }
}

// Below 4 MiB the input goes to zstd in 128 KiB pieces (so that a background compression can be
// cancelled): the bytes must be those of libzstd's one-shot ZSTD_compress, for several pieces and a
// partial last one, at the levels profiles use.
TEST(ZstdCodec, PiecesGiveTheOneShotBytes) {
  auto text = large_text();
  std::mt19937 rng(7);
  for (size_t size : {size_t(0), size_t(1000), size_t(128u << 10), size_t(700001), size_t((4u << 20) - 1)}) {
    std::vector<uint8_t> input(text.begin(), text.begin() + size);
    for (size_t k = 0; k < size; k += 97) input[k] = static_cast<uint8_t>(rng());  // less regular
    for (int level : {3, 9, 12, 19}) {
      SCOPED_TRACE(std::to_string(size) + " bytes at level " + std::to_string(level));
      std::vector<uint8_t> oracle(ZSTD_compressBound(size));
      const size_t n = ZSTD_compress(oracle.data(), oracle.size(), input.data(), size, level);
      ASSERT_FALSE(ZSTD_isError(n));
      oracle.resize(n);
      EXPECT_EQ(zstd_compress(input.data(), size, level), oracle);
      if (size > (1u << 20)) break;  // level 19 of 4 MiB takes seconds; the smaller sizes cover it
    }
  }
}

TEST(ZstdCodec, ACancelledCompressionStopsEmpty) {
  const auto text = large_text();
  std::atomic<bool> cancel{true};
  EXPECT_TRUE(zstd_compress(text.data(), 1u << 20, 19, 0, &cancel).empty());
  cancel = false;
  EXPECT_EQ(zstd_compress(text.data(), 1u << 20, 9, 0, &cancel), zstd_compress(text.data(), 1u << 20, 9));
}

}  // namespace
}  // namespace fleetpack
