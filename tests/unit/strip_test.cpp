// base/wasm_sections + passes/strip: custom sections go unless kept; everything else is untouched.
#include <gtest/gtest.h>

#include "base/wasm_module.h"
#include "base/wasm_sections.h"
#include "passes/registry.h"
#include "profiles/profile.h"
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

/// A custom section (id 0) named `name` with a one-byte payload.
Bytes custom_section(const std::string& name) {
  Bytes s{0, static_cast<uint8_t>(1 + name.size() + 1), static_cast<uint8_t>(name.size())};
  s.insert(s.end(), name.begin(), name.end());
  s.push_back(0x42);
  return s;
}

// run_strip does not read and validate the stripped module again: it keeps the module's description and,
// when the scan alone found its features, those features at the new offsets. The oracle is load_module and
// detect_features on the stripped bytes. A custom section before the code moves every offset.
TEST(Strip, TheStrippedModuleIsDescribedAsIfLoadedAgain) {
  const Bytes wasm = testing::wat(R"wat((module
    (import "env" "log" (func $log (param i32)))
    (memory (export "mem") 1 4)
    (global $g (mut i32) (i32.const 0))
    (func $widen (export "widen") (param i32) (result i32) (i32.extend8_s (local.get 0)))
    (func $trunc (export "trunc") (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0)))
    (data (i32.const 8) "hi")))wat",
                                  "--debug-names");
  Bytes b(wasm.begin(), wasm.begin() + 8);  // magic and version, then an early custom section
  const Bytes early = custom_section("early");
  b.insert(b.end(), early.begin(), early.end());
  b.insert(b.end(), wasm.begin() + 8, wasm.end());
  for (const std::vector<std::string>& keep :
       {std::vector<std::string>{}, std::vector<std::string>{"name"}}) {
    SCOPED_TRACE(keep.empty() ? "nothing kept" : "names kept");
    Profile p;
    p.id = "tv";
    p.strip_keep = keep;
    Diagnostics d;
    StepContext ctx(d);
    ctx.input_file = "t.wasm";
    ctx.input_bytes = b;
    ctx.profile = &p;
    ASSERT_TRUE(run_validate(ctx) && run_detect_features(ctx) && run_strip(ctx));
    const WasmModule& got = *ctx.module;
    Diagnostics fresh_d;
    auto fresh = load_module("t.wasm", got.bytes, fresh_d);
    ASSERT_TRUE(fresh);
    EXPECT_TRUE(fresh_d.all().empty());
    EXPECT_EQ(custom_names(got.bytes), keep);
    EXPECT_EQ(got.has_name_section, fresh->has_name_section);
    EXPECT_EQ(got.func_names, fresh->func_names);
    EXPECT_EQ(got.func_import_count, fresh->func_import_count);
    EXPECT_EQ(got.exports.size(), fresh->exports.size());
    EXPECT_EQ(got.imports.size(), fresh->imports.size());
    EXPECT_EQ(got.memories.size(), fresh->memories.size());
    EXPECT_EQ(got.globals.size(), fresh->globals.size());
    EXPECT_EQ(got.data_segments.size(), fresh->data_segments.size());
    ASSERT_EQ(got.scan.sections.size(), fresh->scan.sections.size());
    for (size_t i = 0; i < got.scan.sections.size(); ++i)
      EXPECT_EQ(got.scan.sections[i].offset, fresh->scan.sections[i].offset);
    ASSERT_TRUE(got.detected_features);  // kept: no validation to find them again
    const auto want = detect_features(*fresh);
    ASSERT_EQ(got.detected_features->size(), want.size());
    ASSERT_EQ(want.size(), 2u);  // sign-ext and nontrapping-float-to-int
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ((*got.detected_features)[i].feature, want[i].feature);
      EXPECT_EQ((*got.detected_features)[i].first_offset, want[i].first_offset);
      EXPECT_EQ((*got.detected_features)[i].first_func, want[i].first_func);
      EXPECT_EQ((*got.detected_features)[i].count, want[i].count);
    }
  }
}

}  // namespace
}  // namespace fleetpack
