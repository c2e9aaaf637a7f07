// profiles/: key table, extends resolution, merge rules and every error with its full message and place.
#include "profiles/profile_loader.h"

#include <gtest/gtest.h>

#include "profiles/key_table.h"

namespace fleetpack {
namespace {

struct Loaded {
  ProfileCatalog catalog;
  Diagnostics diags;
  std::vector<std::string> errors() const {
    std::vector<std::string> out;
    for (const auto& d : diags.all()) {
      Diagnostic x = d;
      x.hint.clear();
      out.push_back(format_diagnostic(x));
    }
    return out;
  }
};

Loaded load(std::vector<ProfileSource> sources, bool with_builtins = true) {
  Loaded l;
  if (with_builtins) {
    auto b = builtin_profile_sources();
    sources.insert(sources.begin(), b.begin(), b.end());
  }
  l.catalog = load_profile_sources(sources, l.diags);
  return l;
}

TEST(Profiles, BuiltinCatalogLoadsCleanly) {
  Loaded l = load({});
  EXPECT_TRUE(l.errors().empty());
  ASSERT_TRUE(l.catalog.find("modern"));
  ASSERT_TRUE(l.catalog.find("mvp"));
  EXPECT_TRUE(l.catalog.find("mvp")->features.empty());
  EXPECT_TRUE(l.catalog.find("modern")->features.has(Feature::SignExt));
}

TEST(Profiles, ExtendsInheritsAndOverrides) {
  Loaded l = load({{"tv.yaml", "id: tv\nextends: mvp\noptimize:\n  level: O3\n"},
                   {"tv2.yaml", "id: tv2\nextends: tv\nstrip:\n  keep: [name]\n"}});
  ASSERT_TRUE(l.errors().empty()) << l.errors()[0];
  const Profile* tv2 = l.catalog.find("tv2");
  ASSERT_TRUE(tv2);
  EXPECT_EQ(tv2->optimize_level, "O3");
  EXPECT_EQ(tv2->strip_keep, std::vector<std::string>{"name"});
  EXPECT_TRUE(tv2->features.empty());
  EXPECT_EQ(tv2->origins.at("optimize.level").describe(), "tv.yaml:4:10");
  EXPECT_EQ(tv2->origins.at("strip.keep").describe(), "tv2.yaml:4:9");
}

TEST(Profiles, FeatureListReplacesAndMapEdits) {
  Loaded l = load(
      {{"a.yaml", "id: a\nextends: modern\nwasm:\n  features: [sign-ext]\n"},
       {"b.yaml", "id: b\nextends: modern\nwasm:\n  features:\n    add: [threads]\n    remove: [simd]\n"}});
  ASSERT_TRUE(l.errors().empty()) << l.errors()[0];
  EXPECT_EQ(l.catalog.find("a")->features.to_string(), "sign-ext");
  const Profile* b = l.catalog.find("b");
  EXPECT_TRUE(b->features.has(Feature::Threads));
  EXPECT_FALSE(b->features.has(Feature::Simd));
  EXPECT_TRUE(b->features.has(Feature::BulkMemory));
}

TEST(Profiles, UserProfileOverridesBuiltin) {
  Loaded l = load({{"mvp.yaml", "id: mvp\noptimize:\n  level: O1\n"}});
  ASSERT_TRUE(l.errors().empty());
  EXPECT_EQ(l.catalog.find("mvp")->optimize_level, "O1");
  EXPECT_EQ(l.catalog.find("mvp")->file, "mvp.yaml");
}

TEST(Profiles, UnknownKeyWithDidYouMean) {
  Loaded l = load({{"p.yaml", "id: p\noptimize:\n  levle: Oz\noptimise:\n  level: Oz\n"}});
  EXPECT_EQ(l.errors(),
            (std::vector<std::string>{
                "p.yaml:3:3: error: unknown key 'optimize.levle' (did you mean 'optimize.level'?)",
                "p.yaml:4:1: error: unknown key 'optimise' (did you mean 'optimize'?)"}));
  EXPECT_EQ(l.diags.exit_code(), 2);
}

TEST(Profiles, WrongTypeAndBadValue) {
  Loaded l = load(
      {{"p.yaml", "id: p\noptimize:\n  level: O7\nstrip:\n  keep: name\nwasm:\n  features: [sign-extt]\n"}});
  EXPECT_EQ(l.errors(), (std::vector<std::string>{
                            "p.yaml:3:10: error: bad value 'O7' for optimize.level (did you mean 'O0'?)",
                            "p.yaml:5:9: error: 'strip.keep' must be a list",
                            "p.yaml:7:14: error: unknown feature 'sign-extt' (did you mean 'sign-ext'?)"}));
}

TEST(Profiles, MissingParent) {
  Loaded l = load({{"p.yaml", "id: p\nextends: modren\n"}});
  EXPECT_EQ(
      l.errors(),
      (std::vector<std::string>{
          "p.yaml:2:10: error: profile 'p' extends unknown profile 'modren' (did you mean 'modern'?)"}));
}

TEST(Profiles, ExtendsCycle) {
  Loaded l = load({{"a.yaml", "id: a\nextends: b\n"}, {"b.yaml", "id: b\nextends: a\n"}});
  ASSERT_FALSE(l.errors().empty());
  EXPECT_EQ(l.errors()[0], "a.yaml:2:10: error: 'extends' cycle: a -> b -> a");
  EXPECT_FALSE(l.catalog.find("a"));
  EXPECT_FALSE(l.catalog.find("b"));
}

TEST(Profiles, DuplicateId) {
  Loaded l = load({{"a.yaml", "id: x\n"}, {"b.yaml", "id: x\n"}});
  EXPECT_EQ(
      l.errors(),
      (std::vector<std::string>{"b.yaml:1:5: error: duplicate profile id 'x' (also defined at a.yaml:1:5)"}));
}

TEST(Profiles, MissingIdAndSyntaxError) {
  Loaded l = load({{"a.yaml", "optimize:\n  level: Oz\n"}, {"b.yaml", "id: [unclosed\n"}});
  ASSERT_EQ(l.errors().size(), 2u);
  EXPECT_EQ(l.errors()[0], "a.yaml:1:1: error: profile has no 'id'");
  EXPECT_EQ(l.errors()[1].rfind("b.yaml:2:1: error: YAML syntax error: ", 0), 0u) << l.errors()[1];
}

TEST(Profiles, AllErrorsOfARunAreReportedTogether) {
  Loaded l = load({{"a.yaml", "id: a\nfoo: 1\n"}, {"b.yaml", "id: b\nbar: 2\n"}});
  EXPECT_EQ(l.errors().size(), 2u);
}

TEST(ProfileKeys, ReferenceListsEveryKey) {
  std::string ref = render_profile_key_reference();
  for (const auto& k : profile_keys()) EXPECT_NE(ref.find(k.name), std::string::npos) << k.name;
}

}  // namespace
}  // namespace fleetpack

namespace fleetpack {
namespace {

TEST(Profiles, NoWasmNeedsTheJsTarget) {
  Loaded l = load({{"p.yaml", "id: p\nextends: mvp\nwasm:\n  supported: false\n"}});
  EXPECT_EQ(l.errors(), (std::vector<std::string>{
                            "p.yaml:4:14: error: profile 'p' has wasm.supported: false but target 'wasm'"}));
  Loaded ok = load({{"p.yaml", "id: p\nextends: no-wasm-es5\n"}});
  EXPECT_TRUE(ok.errors().empty());
}

TEST(Profiles, BudgetsMergeKeyByKeyAndSizesParse) {
  Loaded l =
      load({{"a.yaml", "id: a\nextends: tv-lowmem\nbudgets:\n  wasm_zstd_bytes: 100KiB\n  js_bytes: 1.5MB\n"},
            {"b.yaml", "id: b\nextends: a\nbudgets:\n  vm_memory: 12parsecs\n"}});
  const Profile* a = l.catalog.find("a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->budgets.at("wasm_zstd_bytes"), 102400u);
  EXPECT_EQ(a->budgets.at("vm_memory"), 7864320u);  // inherited from tv-lowmem
  EXPECT_EQ(a->budgets.at("js_bytes"), 1500000u);
  ASSERT_EQ(l.errors().size(), 1u);
  EXPECT_EQ(l.errors()[0], "b.yaml:4:14: error: bad value '12parsecs' for budgets.vm_memory");
}

TEST(Profiles, EveryValueOfEveryCatalogProfileHasAnOrigin) {
  Loaded l = load({});
  for (const auto& [id, p] : l.catalog.all()) {
    for (const auto& k : profile_keys()) {
      auto it = p.origins.find(k.name);
      if (it == p.origins.end())
        continue;  // the key table's default: `profiles show --origin` says "default"
      EXPECT_EQ(it->second.file.rfind("<catalog>/", 0), 0u) << id << " " << k.name;
      EXPECT_GT(it->second.line, 0) << id << " " << k.name;
    }
    EXPECT_EQ(p.origins.at("id").file, "<catalog>/" + id + ".yaml");
  }
}

}  // namespace
}  // namespace fleetpack
