// core/plan: profiles share a variant exactly when their output-affecting settings agree.
#include "core/plan.h"

#include <gtest/gtest.h>

#include "profiles/profile_loader.h"

namespace fleetpack {
namespace {

struct Fixture {
  ProfileCatalog catalog;
  Fixture(std::vector<ProfileSource> user) {
    auto sources = builtin_profile_sources();
    sources.insert(sources.end(), user.begin(), user.end());
    Diagnostics d;
    catalog = load_profile_sources(sources, d);
    EXPECT_FALSE(d.has_errors());
  }
  std::vector<const Profile*> get(std::vector<std::string> ids) {
    std::vector<const Profile*> out;
    for (const auto& id : ids) out.push_back(catalog.find(id));
    return out;
  }
};

FeatureSet features(std::initializer_list<Feature> fs) {
  FeatureSet s;
  for (Feature f : fs) s.add(f);
  return s;
}

TEST(Plan, BudgetsAndDescriptionsDoNotSplitVariants) {
  Fixture fx({{"a.yaml", "id: a\nextends: chrome75\ndescription: one\nbudgets:\n  vm_memory: 7MiB\n"},
              {"b.yaml", "id: b\nextends: chrome75\ntags: [x]\nnative:\n  min_version: '4.2'\n"}});
  Plan plan = make_plan(fx.get({"a", "b", "chrome75"}), {"sha", features({Feature::SignExt}), {}});
  ASSERT_EQ(plan.variants.size(), 1u);
  EXPECT_EQ(plan.variants[0].profiles.size(), 3u);
}

TEST(Plan, FeaturesTheEngineDoesNotUseDoNotSplitVariants) {
  Fixture fx({});
  // chrome85 and chrome91 differ in multivalue and simd, which this engine does not use; their js.level
  // is the same (es2020).
  Plan plan =
      make_plan(fx.get({"chrome85", "chrome91", "chrome96"}), {"sha", features({Feature::SignExt}), {}});
  EXPECT_EQ(plan.variants.size(), 1u);
  // With an engine using SIMD, chrome85 must lower it and the others not.
  Plan simd = make_plan(fx.get({"chrome85", "chrome91", "chrome96"}), {"sha", features({Feature::Simd}), {}});
  ASSERT_EQ(simd.variants.size(), 2u);
  EXPECT_EQ(simd.variants[0].lowered.to_string(), "simd");
  EXPECT_EQ(simd.variants[1].profiles.size(), 2u);
}

TEST(Plan, OutputSettingsSplitVariants) {
  Fixture fx({{"a.yaml", "id: a\nextends: chrome75\n"},
              {"b.yaml", "id: b\nextends: chrome75\noptimize:\n  level: O3\n"},
              {"c.yaml", "id: c\nextends: chrome75\nstrip:\n  keep: [name]\n"},
              {"d.yaml", "id: d\nextends: chrome75\ncompression:\n  zstd_level: 3\n"}});
  Plan plan = make_plan(fx.get({"a", "b", "c", "d"}), {"sha", features({}), {}});
  EXPECT_EQ(plan.variants.size(), 4u);
}

TEST(Plan, KeyDependsOnInputs) {
  Fixture fx({});
  Plan a = make_plan(fx.get({"mvp"}), {"sha-1", features({}), {}});
  Plan b = make_plan(fx.get({"mvp"}), {"sha-2", features({}), {}});
  Plan c = make_plan(fx.get({"mvp"}), {"sha-1", features({}), {"app.js 00"}});
  EXPECT_NE(a.variants[0].key, b.variants[0].key);
  EXPECT_NE(a.variants[0].key, c.variants[0].key);
  EXPECT_EQ(a.variants[0].key, make_plan(fx.get({"mvp"}), {"sha-1", features({}), {}}).variants[0].key);
}

TEST(Catalog, EveryBuiltinProfileCitesItsSource) {
  for (const auto& src : builtin_profile_sources()) {
    EXPECT_NE(src.text.find("Source"), std::string::npos) << src.file << " cites no source";
    EXPECT_EQ(src.text.rfind("#", 0), 0u) << src.file << " should open with a comment saying what it is";
  }
}

TEST(Catalog, StableEntryPointsExist) {
  Fixture fx({});
  ASSERT_TRUE(fx.catalog.find("modern"));
  ASSERT_TRUE(fx.catalog.find("mvp"));
  ASSERT_TRUE(fx.catalog.find("no-wasm-es5"));
  EXPECT_EQ(fx.catalog.find("mvp")->target, "wasm");
  EXPECT_TRUE(fx.catalog.find("mvp")->features.empty());
  EXPECT_FALSE(fx.catalog.find("no-wasm-es5")->wasm_supported);
  EXPECT_EQ(fx.catalog.find("no-wasm-es5")->js_level, "es5");
  EXPECT_EQ(fx.catalog.find("tv-lowmem")->budgets.at("vm_memory"), 7864320u);
  EXPECT_EQ(fx.catalog.find("tv-lowmem")->budgets.at("wasm_zstd_bytes"), 153600u);
}

}  // namespace
}  // namespace fleetpack
