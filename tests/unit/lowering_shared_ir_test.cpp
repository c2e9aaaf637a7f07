// passes/lowering: the lower-* steps of one context that follow each other share one wabt IR (reading
// it is the expensive part of a lowering), and what they make is exactly what lowering one feature at a
// time makes: the same bytes and the same cost recorded per lowering. The IR is read again when the
// module was replaced in between, and it is not kept once no later lowering applies.
#include <cstdlib>
#include <gtest/gtest.h>

#include "base/wasm_module.h"
#include "passes/lowering.h"
#include "passes/registry.h"
#include "profiles/profile.h"
#include "test_util.h"

namespace fleetpack {
namespace {

const Feature kLowered[] = {Feature::SignExt, Feature::NontrappingFloatToInt, Feature::BulkMemory,
                            Feature::Multivalue, Feature::ReferenceTypes};

/// tests/parity/cases/all/every_feature.wat: all five lowerings apply for an MVP VM.
Bytes every_feature(bool names) {
  std::string text =
      testing::read_text(std::string(FLEETPACK_SOURCE_DIR) + "/tests/parity/cases/all/every_feature.wat");
  return testing::wat(text, names ? "--debug-names" : "");
}

/// A VM with every feature but `lacks` (a bit per kLowered entry).
FeatureSet vm_lacking(unsigned lacks) {
  FeatureSet vm = FeatureSet::all();
  for (unsigned i = 0; i < 5; ++i)
    if (lacks & (1u << i)) vm.remove(kLowered[i]);
  return vm;
}

struct Lowering {
  bool ok = true;
  Bytes bytes;
  std::vector<std::pair<Feature, int64_t>> costs;
  uint64_t ir_reads = 0;  ///< how many times run_lowering read a module into wabt's IR
};

/// A context holding `input`, validated and its features detected, for a VM with `vm` features.
std::unique_ptr<StepContext> context(Diagnostics& d, const Bytes& input, const Profile& vm) {
  auto ctx = std::make_unique<StepContext>(d);
  ctx->input_file = "t.wasm";
  ctx->input_bytes = input;
  ctx->profile = &vm;
  EXPECT_TRUE(run_validate(*ctx) && run_detect_features(*ctx));
  return ctx;
}

/// The lower-* steps in pipeline order, each where it applies, in one context, as the build runs them.
Lowering together(const Bytes& input, FeatureSet vm_features) {
  Profile vm;
  vm.id = "tv";
  vm.features = vm_features;
  Diagnostics d;
  auto ctx = context(d, input, vm);
  Lowering out;
  const uint64_t reads = lowering_ir_reads();
  for (const StepInfo& step : all_steps()) {
    const std::string name = step.name;
    if (name.rfind("lower-", 0) != 0 || !parse_feature(name.substr(6))) continue;
    if (step.applies(*ctx)) out.ok = step.run(*ctx) && out.ok;
  }
  out.ir_reads = lowering_ir_reads() - reads;
  EXPECT_EQ(ctx->lowering_ir, nullptr) << "the IR outlived the last lowering";
  out.bytes = ctx->module->bytes;
  out.costs = ctx->lowering_costs;
  return out;
}

/// The same steps, each in a context of its own holding what the previous one made: one IR per lowering,
/// as before lowerings shared theirs.
Lowering one_at_a_time(const Bytes& input, FeatureSet vm_features) {
  Profile vm;
  vm.id = "tv";
  vm.features = vm_features;
  Lowering out;
  out.bytes = input;
  const uint64_t reads = lowering_ir_reads();
  for (const StepInfo& step : all_steps()) {
    const std::string name = step.name;
    if (name.rfind("lower-", 0) != 0 || !parse_feature(name.substr(6))) continue;
    Diagnostics d;
    auto ctx = context(d, out.bytes, vm);
    if (!step.applies(*ctx)) continue;
    out.ok = step.run(*ctx) && out.ok;
    out.bytes = ctx->module->bytes;
    out.costs.insert(out.costs.end(), ctx->lowering_costs.begin(), ctx->lowering_costs.end());
  }
  out.ir_reads = lowering_ir_reads() - reads;
  return out;
}

void expect_same(const Lowering& shared, const Lowering& single) {
  EXPECT_TRUE(shared.ok);
  EXPECT_TRUE(single.ok);
  EXPECT_TRUE(shared.bytes == single.bytes) << "the lowered modules differ";
  EXPECT_EQ(shared.costs, single.costs);
  EXPECT_EQ(shared.ir_reads, single.costs.empty() ? 0u : 1u);
  EXPECT_EQ(single.ir_reads, single.costs.size());
}

TEST(LoweringSharedIr, FiveLoweringsReadTheIrOnceAndMakeWhatOneAtATimeMakes) {
  for (bool names : {true, false}) {
    SCOPED_TRACE(names ? "with names" : "without names");
    const Bytes in = every_feature(names);
    Lowering shared = together(in, FeatureSet());
    EXPECT_EQ(shared.costs.size(), 5u);
    expect_same(shared, one_at_a_time(in, FeatureSet()));
  }
}

TEST(LoweringSharedIr, EveryCombinationOfMissingFeatures) {
  const Bytes in = every_feature(true);
  for (unsigned lacks = 0; lacks < 32; ++lacks) {
    SCOPED_TRACE("lacks mask " + std::to_string(lacks));
    Lowering shared = together(in, vm_lacking(lacks));
    EXPECT_EQ(shared.costs.size(), static_cast<size_t>(__builtin_popcount(lacks)));
    expect_same(shared, one_at_a_time(in, vm_lacking(lacks)));
  }
}

TEST(LoweringSharedIr, KeptOnlyWhileALaterLoweringApplies) {
  Profile vm;
  vm.id = "tv";
  vm.features = vm_lacking(0b11);  // sign-ext and trunc_sat: lower-nontrapping-float-to-int runs first
  Diagnostics d;
  auto ctx = context(d, every_feature(true), vm);
  ASSERT_TRUE(run_lower_trunc_sat(*ctx));
  EXPECT_NE(ctx->lowering_ir, nullptr);      // lower-sign-ext applies next
  ASSERT_TRUE(run_lower_bulk_memory(*ctx));  // applies not: the IR waits for sign-ext
  EXPECT_NE(ctx->lowering_ir, nullptr);
  ASSERT_TRUE(run_lower_sign_ext(*ctx));
  EXPECT_EQ(ctx->lowering_ir, nullptr);  // nothing after it

  vm.features = vm_lacking(0b01);  // sign-ext only: the last lower-* step, so nothing is kept
  auto only = context(d, every_feature(true), vm);
  ASSERT_TRUE(run_lower_sign_ext(*only));
  EXPECT_EQ(only->lowering_ir, nullptr);
}

TEST(LoweringSharedIr, AReplacedModuleIsReadAgain) {
  Profile vm;
  vm.id = "tv";
  vm.features = vm_lacking(0b11);
  Diagnostics d;
  auto ctx = context(d, every_feature(true), vm);
  ASSERT_TRUE(run_lower_trunc_sat(*ctx));
  ASSERT_NE(ctx->lowering_ir, nullptr);
  // Another step replaces the module in place (here with the input without names, which still uses
  // sign-ext): the kept IR is not this module's any more.
  const Bytes other = every_feature(false);
  *ctx->module = *load_module("t.wasm", other, d);
  const uint64_t reads = lowering_ir_reads();
  ASSERT_TRUE(run_lower_sign_ext(*ctx));
  EXPECT_EQ(lowering_ir_reads() - reads, 1u);
  EXPECT_EQ(ctx->lowering_ir, nullptr);

  FeatureSet only_sign_ext_missing = FeatureSet::all();
  only_sign_ext_missing.remove(Feature::SignExt);
  const Lowering alone = together(other, only_sign_ext_missing);
  EXPECT_TRUE(ctx->module->bytes == alone.bytes) << "the lowering used the IR of the replaced module";
}

TEST(LoweringSharedIr, AFailedLoweringDropsTheIr) {
  // The multivalue lowering refuses a function with two results; the trunc_sat lowering before it kept
  // its IR for it, which the failure leaves half rewritten: the context must not hold it any more.
  Profile vm;
  vm.id = "tv";
  Diagnostics d;
  auto ctx = context(d, testing::wat(R"((module
    (func (export "f") (param f32) (result i32 i32) (i32.trunc_sat_f32_s (local.get 0)) (i32.const 1))))"),
                     vm);
  ASSERT_TRUE(run_lower_trunc_sat(*ctx));
  ASSERT_NE(ctx->lowering_ir, nullptr);
  EXPECT_FALSE(run_lower_multivalue(*ctx));
  EXPECT_EQ(ctx->lowering_ir, nullptr);
}

TEST(LoweringSharedIr, RealModules) {
  // npm modules fetched by tests/third_party/fetch.sh (Go and Emscripten builds using sign-ext,
  // trunc_sat and bulk memory), when the cache holds them.
  const char* cache = std::getenv("FLEETPACK_TEST_CACHE");
  const char* home = std::getenv("HOME");
  const fs::path dir = cache ? fs::path(cache) : fs::path(home ? home : "") / ".cache/fleetpack-test-modules";
  int found = 0;
  for (const char* name : {"sql-fmt.wasm", "sh-syntax.wasm"}) {
    Diagnostics d;
    if (!fs::exists(dir / name)) continue;
    auto bytes = read_file(dir / name, d);
    ASSERT_TRUE(bytes);
    ++found;
    SCOPED_TRACE(name);
    Lowering shared = together(*bytes, FeatureSet());
    EXPECT_EQ(shared.costs.size(), 3u);
    expect_same(shared, one_at_a_time(*bytes, FeatureSet()));
  }
  if (!found) GTEST_SKIP() << "no npm module in " << dir << " (tests/third_party/fetch.sh)";
}

}  // namespace
}  // namespace fleetpack
