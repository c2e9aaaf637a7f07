// The auto loader's probes: each is a valid module with its feature and an invalid one without it, judged
// by wabt's validator (a real one; V8's verdict is checked by the e2e tests, where node picks Wasm).
#include "targets/feature_probes.h"

#include <gtest/gtest.h>

#include "base/wasm_module.h"

namespace fleetpack {
namespace {

TEST(FeatureProbes, EachValidatesWithItsFeatureOnlyAndFailsWithout) {
  FeatureSet all;
  for (Feature f : all_features()) all.add(f);
  const auto probes = feature_probes(all);
  size_t checked = 0;
  for (const auto& p : probes) {
    SCOPED_TRACE(std::string(feature_name(p.feature)));
    FeatureSet with;
    with.add(p.feature);
    if (p.feature == Feature::RelaxedSimd) with.add(Feature::Simd);
    if (p.feature == Feature::ReferenceTypes) with.add(Feature::BulkMemory);  // wabt ties the two
    EXPECT_TRUE(validate_with_features(p.module, with).ok);
    // wabt 1.0.32 does not check mutable-global exports (DESIGN.md, facts): V8 before 7.4 does.
    if (p.feature == Feature::MutableGlobals) continue;
    EXPECT_FALSE(validate_with_features(p.module, FeatureSet{}).ok);
    ++checked;
  }
  // Every feature a VM can lack has a probe, but the two proposals no shipping VM runs.
  EXPECT_EQ(probes.size(), all_features().size() - 2);
  EXPECT_GE(checked, 12u);
}

TEST(FeatureProbes, OnlyTheFeaturesAsked) {
  FeatureSet two;
  two.add(Feature::SignExt);
  two.add(Feature::BulkMemory);
  const auto probes = feature_probes(two);
  ASSERT_EQ(probes.size(), 2u);
  EXPECT_EQ(probes[0].feature, Feature::SignExt);
  EXPECT_EQ(probes[1].feature, Feature::BulkMemory);
  EXPECT_LT(probes[0].module.size(), 40u);  // tiny: they ship inside every auto bundle's script
  EXPECT_TRUE(feature_probes(FeatureSet{}).empty());
  EXPECT_EQ(feature_probe_wat(Feature::Gc), "");
}

}  // namespace
}  // namespace fleetpack
