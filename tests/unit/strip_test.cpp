// base/wasm_sections + passes/strip: custom sections go unless kept; everything else is untouched.
#include <gtest/gtest.h>

#include "base/wasm_module.h"
#include "base/wasm_sections.h"
#include "test_util.h"

namespace fleetpack {
namespace {

std::vector<std::string> custom_names(const Bytes& b) {
  Diagnostics d;
  auto m = load_module("t.wasm", b, d);
  EXPECT_TRUE(m);
  std::vector<std::string> out;
  if (m)
    for (const auto& s : m->scan.sections)
      if (s.id == 0) out.push_back(s.name);
  return out;
}

TEST(Strip, RemovesAllButKeptCustomSections) {
  Bytes b = testing::wat("(module (func $f (export \"f\") (result i32) (i32.const 7)))", "--debug-names");
  // Append two custom sections by hand: "producers" and "keepme", each with a 1-byte payload.
  for (std::string name : {"producers", "keepme"}) {
    b.push_back(0);
    b.push_back(static_cast<uint8_t>(1 + name.size() + 1));
    b.push_back(static_cast<uint8_t>(name.size()));
    b.insert(b.end(), name.begin(), name.end());
    b.push_back(0x42);
  }
  EXPECT_EQ(custom_names(b), (std::vector<std::string>{"name", "producers", "keepme"}));
  Diagnostics d;
  auto m = load_module("t.wasm", b, d);
  ASSERT_TRUE(m);
  Bytes kept =
      remove_custom_sections(b, m->scan.sections, [](const std::string& n) { return n == "keepme"; });
  EXPECT_EQ(custom_names(kept), std::vector<std::string>{"keepme"});
  Bytes none = remove_custom_sections(b, m->scan.sections, [](const std::string&) { return false; });
  EXPECT_TRUE(custom_names(none).empty());
  // The code is untouched: the stripped module equals the original minus the sections' bytes.
  uint64_t removed = 0;
  for (const auto& s : m->scan.sections)
    if (s.id == 0) removed += s.offset + s.size - s.header_offset;
  EXPECT_EQ(none.size(), b.size() - removed);
}

}  // namespace
}  // namespace fleetpack
