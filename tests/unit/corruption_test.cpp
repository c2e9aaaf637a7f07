// Hostile inputs: hundreds of corrupted copies of a real module (the demo engine, built by clang) are
// each either accepted or refused with an InvalidInput error at a byte offset, never a crash or a hang.
// Accepted ones must also survive feature detection.
#include <gtest/gtest.h>
#include <random>

#include "base/wasm_module.h"
#include "passes/registry.h"
#include "test_util.h"

namespace fleetpack {
namespace {

Bytes demo_engine() {
  Diagnostics d;
  auto b = read_file(FLEETPACK_DEMO_ENGINE, d);
  return b ? *b : Bytes{};
}

void check(const Bytes& b, const std::string& what, int& accepted, int& refused) {
  Diagnostics d;
  auto m = load_module("c.wasm", b, d);
  if (m) {
    ++accepted;
    detect_features(*m);  // must not crash either
    return;
  }
  ++refused;
  ASSERT_FALSE(d.all().empty()) << what;
  const Diagnostic& e = d.all().front();
  EXPECT_EQ(e.kind, ErrorKind::InvalidInput) << what;
  EXPECT_TRUE(e.where.offset.has_value()) << what << ": " << format_diagnostic(e);
  if (e.where.offset) {
    EXPECT_LE(*e.where.offset, b.size()) << what;
  }
}

TEST(Corruption, TruncationsByteFlipsAndLengthEdits) {
  Bytes base = demo_engine();
  ASSERT_GT(base.size(), 1000u) << "demo engine not built: " << FLEETPACK_DEMO_ENGINE;
  Diagnostics d;
  auto m = load_module("demo.wasm", base, d);
  ASSERT_TRUE(m);
  int accepted = 0, refused = 0;
  // Truncations at every 17th length.
  for (size_t n = 0; n < base.size(); n += 17)
    check(Bytes(base.begin(), base.begin() + n), "truncate " + std::to_string(n), accepted, refused);
  // Single byte flips at deterministic pseudo-random offsets.
  std::mt19937 rng(12345);
  for (int i = 0; i < 400; ++i) {
    Bytes b = base;
    size_t off = rng() % b.size();
    b[off] ^= static_cast<uint8_t>(1u << (rng() % 8));
    check(b, "flip at " + std::to_string(off), accepted, refused);
  }
  // Section size fields: +1, -1, huge, and a 5-byte LEB of 0xffffffff.
  for (const auto& s : m->scan.sections) {
    size_t at = s.header_offset + 1;
    for (int edit = 0; edit < 4; ++edit) {
      Bytes b(base.begin(), base.begin() + at);
      uint64_t size = edit == 0 ? s.size + 1 : edit == 1 ? s.size - 1 : edit == 2 ? 0x7f : 0xffffffff;
      do {
        uint8_t byte = size & 0x7f;
        size >>= 7;
        b.push_back(byte | (size ? 0x80 : 0));
      } while (size);
      b.insert(b.end(), base.begin() + s.offset, base.end());
      check(b, "section " + s.name + " size edit " + std::to_string(edit), accepted, refused);
    }
  }
  EXPECT_GT(refused, 100);
  std::printf("corruption sweep: %d accepted, %d refused with an offset\n", accepted, refused);
}

}  // namespace
}  // namespace fleetpack
