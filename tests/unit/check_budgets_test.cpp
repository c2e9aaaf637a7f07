// base/byte_size + passes/measure + passes/check_budgets: sizes as written in profiles, and every figure on
// a module whose answer is known.
#include "passes/check_budgets.h"

#include <gtest/gtest.h>

#include "base/byte_size.h"
#include "passes/registry.h"
#include "test_util.h"

namespace fleetpack {
namespace {

TEST(ByteSize, ParsesUnits) {
  EXPECT_EQ(parse_byte_size("750000"), 750000u);
  EXPECT_EQ(parse_byte_size("150KiB"), 153600u);
  EXPECT_EQ(parse_byte_size("7.5MiB"), 7864320u);
  EXPECT_EQ(parse_byte_size("2MB"), 2000000u);
  EXPECT_EQ(parse_byte_size("1 GiB"), 1073741824u);
  EXPECT_FALSE(parse_byte_size("1.5"));  // a fraction of a byte
  EXPECT_FALSE(parse_byte_size("-5"));
  EXPECT_FALSE(parse_byte_size("10 parsecs"));
  EXPECT_FALSE(parse_byte_size("KiB"));
  EXPECT_FALSE(parse_byte_size("1..5MiB"));
}

struct Measured {
  Diagnostics diags;
  StepContext ctx{diags};
};

std::unique_ptr<Measured> measure(const std::string& wat) {
  auto m = std::make_unique<Measured>();
  m->ctx.input_file = "t.wasm";
  m->ctx.input_bytes = testing::wat(wat, "--debug-names");
  EXPECT_TRUE(run_validate(m->ctx));
  EXPECT_TRUE(run_measure(m->ctx));
  return m;
}

TEST(Figures, KnownModule) {
  // 2 initial pages, max 4; a table of 10 elements; one function with a 7-byte body.
  auto m = measure(R"((module (memory 2 4) (table 10 funcref)
    (func $f (export "f") (result i32) (i32.add (i32.const 1) (i32.const 2)))
    (data (i32.const 0) "hello")))");
  Profile p;
  p.code_factor = 4;
  p.table_entry_bytes = 8;
  std::vector<Contributor> js = {{"a.js", 100}}, jsz = {{"a.js", 40}};
  BudgetInputs in{p, m->ctx.figures, js, jsz};
  auto f = compute_figures(in);
  const uint64_t wasm = m->ctx.input_bytes.size();
  EXPECT_EQ(f["wasm_bytes"], wasm);
  EXPECT_EQ(f["linear_memory_initial"], 2u * 65536);
  EXPECT_EQ(f["linear_memory_max"], 4u * 65536);
  EXPECT_EQ(f["table_bytes"], 80u);
  const uint64_t code = m->ctx.figures.code_bytes;
  EXPECT_EQ(code, 9u);  // count, body size, local decl count, i32.const 1, i32.const 2, i32.add, end
  EXPECT_EQ(f["code_memory_estimate"], 4 * code);
  EXPECT_EQ(f["vm_memory"], wasm + 2 * 65536 + 80 + 4 * code);
  EXPECT_EQ(f["js_bytes"], 100u);
  EXPECT_EQ(f["bundle_zstd_bytes"], m->ctx.figures.wasm_zstd_bytes + 40);
  EXPECT_FALSE(f["linear_memory_init"].has_value());
  ASSERT_FALSE(m->ctx.figures.largest_functions.empty());
  EXPECT_EQ(m->ctx.figures.largest_functions[0].what, "function 'f'");
}

TEST(Figures, UnboundedMemoryFailsAMemoryBudgetUnlessAllowed) {
  auto m = measure("(module (memory 1))");
  Profile p;
  p.id = "p";
  p.file = "p.yaml";
  p.budgets["linear_memory_max"] = 1 << 20;
  std::vector<Contributor> none;
  BudgetInputs in{p, m->ctx.figures, none, none};
  Diagnostics d;
  std::vector<BudgetResult> r;
  EXPECT_FALSE(check_budgets(in, d, r));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_FALSE(r[0].passed);
  EXPECT_FALSE(r[0].actual);
  p.allow_unbounded_memory = true;
  Diagnostics d2;
  std::vector<BudgetResult> r2;
  EXPECT_TRUE(check_budgets(in, d2, r2));
  EXPECT_FALSE(d2.has_errors());
}

TEST(Figures, WarnModeReportsWithoutFailing) {
  auto m = measure("(module (memory 1 1) (func))");
  Profile p;
  p.id = "p";
  p.file = "p.yaml";
  p.budgets["wasm_bytes"] = 1;
  p.budget_mode = "warn";
  std::vector<Contributor> none;
  BudgetInputs in{p, m->ctx.figures, none, none};
  Diagnostics d;
  std::vector<BudgetResult> r;
  EXPECT_TRUE(check_budgets(in, d, r));
  EXPECT_FALSE(d.has_errors());
  ASSERT_EQ(d.all().size(), 1u);
  EXPECT_EQ(d.all()[0].severity, Severity::Warning);
}

}  // namespace
}  // namespace fleetpack

namespace fleetpack {
namespace {

TEST(MeasureInit, RecordsMemoryAndTablesReachedAndVmMemoryUsesThem) {
  // init(n) grows memory by n pages and the table by 3 elements; env.pages is a stubbed import.
  auto m = measure(R"((module
    (import "env" "pages" (func $pages (result i32)))
    (memory 1 10) (table 2 funcref)
    (func (export "init") (param i32)
      (drop (memory.grow (i32.add (local.get 0) (call $pages))))
      (drop (table.grow 0 (ref.null func) (i32.const 3))))))");
  ASSERT_TRUE(run_measure_init(m->ctx));  // no init configured: a no-op
  EXPECT_FALSE(m->ctx.figures.linear_memory_init.has_value());
  m->ctx.init = InitSettings{"init", {"2"}, {{"env.pages", "1"}}, std::chrono::seconds(10), {}};
  ASSERT_TRUE(run_measure_init(m->ctx)) << (m->diags.all().empty() ? "" : m->diags.all()[0].message);
  EXPECT_EQ(m->ctx.figures.linear_memory_init, 4u * 65536);
  EXPECT_EQ(m->ctx.figures.table_init, 5u);
  Profile p;
  std::vector<Contributor> none;
  BudgetInputs in{p, m->ctx.figures, none, none};
  auto f = compute_figures(in);
  EXPECT_EQ(f["linear_memory_init"], 4u * 65536);
  EXPECT_EQ(f["vm_memory"],
            m->ctx.figures.wasm_bytes + 4 * 65536 + *f["table_bytes"] + *f["code_memory_estimate"]);
}

TEST(MeasureInit, WrongArgumentsAndMissingExportAreCheckFailures) {
  auto m = measure(R"((module (memory 1) (func (export "init") (param i32))))");
  m->ctx.init =
      InitSettings{"init", {}, {}, std::chrono::seconds(10), Location::text("fleetpack.yaml", 3, 11)};
  EXPECT_FALSE(run_measure_init(m->ctx));
  m->ctx.init->export_name = "nope";
  EXPECT_FALSE(run_measure_init(m->ctx));
  ASSERT_EQ(m->diags.error_count(), 2u);
  EXPECT_EQ(m->diags.all()[0].kind, ErrorKind::CheckFailed);
  EXPECT_EQ(m->diags.all()[0].message,
            "t.wasm: init export 'init' takes 1 argument(s) but init.args gives 0");
  EXPECT_EQ(m->diags.all()[1].message, "t.wasm: init export 'nope' is not exported by the module");
  EXPECT_FALSE(m->ctx.figures.linear_memory_init.has_value());
}

}  // namespace
}  // namespace fleetpack
