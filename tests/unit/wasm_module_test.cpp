// base/wasm_module + base/wasm_scan: malformed input is refused with the exact message and byte offset.
#include "base/wasm_module.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace fleetpack {
namespace {

using testing::load_error;
using testing::raw_module;

TEST(LoadModule, BadMagic) {
  EXPECT_EQ(load_error({0, 'a', 's', 'x', 1, 0, 0, 0}),
            "t.wasm:0x0: error: not a WebAssembly binary (bad magic number)");
  EXPECT_EQ(load_error({}), "t.wasm:0x0: error: not a WebAssembly binary (bad magic number)");
}

TEST(LoadModule, BadVersion) {
  EXPECT_EQ(load_error({0, 'a', 's', 'm', 2, 0, 0, 0}),
            "t.wasm:0x8: error: bad wasm file version: 0x2 (expected 0x1)");
}

TEST(LoadModule, TruncatedHeader) {
  EXPECT_EQ(load_error({0, 'a', 's', 'm', 1, 0}), "t.wasm:0x4: error: unable to read uint32_t: version");
}

TEST(LoadModule, SectionExtendsPastEnd) {
  EXPECT_EQ(load_error(raw_module({1, 10, 0})), "t.wasm:0xa: error: invalid section size: extends past end");
}

TEST(LoadModule, BadLeb128) {
  EXPECT_EQ(load_error(raw_module({1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01})),
            "t.wasm:0x9: error: unable to read u32 leb128: section size");
}

TEST(LoadModule, AbsurdCountIsRefusedBeforeAllocating) {
  EXPECT_EQ(load_error(raw_module({1, 5, 0xff, 0xff, 0xff, 0xff, 0x0f})),
            "t.wasm:0xf: error: invalid type count 4294967295, only 0 bytes left in section");
}

TEST(LoadModule, InvalidOpcode) {
  EXPECT_EQ(load_error(raw_module({1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 5, 1, 3, 0, 0xff, 0x0b})),
            "t.wasm:0x18: error: unexpected opcode: 0xff");
}

TEST(LoadModule, OutOfRangeIndex) {
  EXPECT_EQ(load_error(raw_module({1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 6, 1, 4, 0, 0x10, 5, 0x0b})),
            "t.wasm:0x19: error: function variable out of range: 5 (max 1)");
}

TEST(LoadModule, InvalidUtf8Name) {
  EXPECT_EQ(
      load_error(raw_module({1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1, 0xff, 0, 0, 10, 4, 1, 2, 0, 0x0b})),
      "t.wasm:0x17: error: invalid utf-8 encoding: export item name");
}

TEST(LoadModule, LocalsLimit) {
  // One local declaration of 60000 i32 locals (LEB 0xe0 0xd4 0x03).
  EXPECT_EQ(
      load_error(raw_module({1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 8, 1, 6, 1, 0xe0, 0xd4, 0x03, 0x7f, 0x0b})),
      "t.wasm:0x1b: error: module declares 60000 locals in function 0, more than the limit of 50000");
}

TEST(LoadModule, FunctionCountLimit) {
  ModuleLimits limits;
  limits.max_functions = 2;
  Bytes b = testing::wat("(module (func) (func) (func))");
  EXPECT_EQ(load_error(b, limits),
            "t.wasm:0x11: error: module declares 3 functions, more than the limit of 2");
}

TEST(LoadModule, MemoryPagesLimit) {
  ModuleLimits limits;
  limits.max_memory_pages = 16;
  Bytes b = testing::wat("(module (memory 17))");
  EXPECT_EQ(load_error(b, limits),
            "t.wasm:0xd: error: module declares 17 initial memory pages, more than the limit of 16");
}

TEST(LoadModule, ModuleSizeLimit) {
  ModuleLimits limits;
  limits.max_module_bytes = 8;
  Diagnostics d;
  EXPECT_FALSE(load_module("t.wasm", testing::wat("(module (func))"), d, limits));
  EXPECT_EQ(d.exit_code(), 3);
}

TEST(LoadModule, DescribesInterface) {
  Bytes b = testing::wat(R"((module
    (import "env" "f" (func $f (param i32) (result i32)))
    (import "env" "g" (global $g (mut i32)))
    (memory (export "mem") 2 10)
    (table 3 funcref)
    (global $h (mut i64) (i64.const 0))
    (export "h" (global $h))
    (func $main (export "main") (result i32) (call $f (i32.const 1)))
    (data (i32.const 0) "abc")
    (data "passive!"))
  )",
                         "--debug-names");
  Diagnostics d;
  auto m = load_module("t.wasm", b, d);
  ASSERT_TRUE(m) << format_diagnostic(d.all().front());
  ASSERT_EQ(m->imports.size(), 2u);
  EXPECT_EQ(m->imports[0].type, "func (i32) -> i32");
  EXPECT_EQ(m->imports[1].type, "global mut i32");
  ASSERT_EQ(m->memories.size(), 1u);
  EXPECT_EQ(m->memories[0].pages.initial, 2u);
  EXPECT_EQ(m->memories[0].pages.max, 10u);
  EXPECT_EQ(m->memories[0].exported_as, std::vector<std::string>{"mem"});
  EXPECT_EQ(m->tables.at(0).elements.initial, 3u);
  EXPECT_TRUE(m->globals.at(1).mutable_);
  EXPECT_EQ(m->globals.at(1).exported_as, std::vector<std::string>{"h"});
  ASSERT_EQ(m->data_segments.size(), 2u);
  EXPECT_FALSE(m->data_segments[0].passive);
  EXPECT_TRUE(m->data_segments[1].passive);
  EXPECT_EQ(m->data_segments[1].size, 8u);
  EXPECT_EQ(m->func_import_count, 1u);
  EXPECT_EQ(m->function_label(1), "main");
  EXPECT_TRUE(m->has_name_section);
}

}  // namespace
}  // namespace fleetpack
