#include "core/diff.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace fleetpack {

namespace {

/// A minimal build report: each profile as {"profile": id, "figures": {...}} (figures as JSON text).
std::string report(const std::vector<std::pair<std::string, std::string>>& profiles) {
  std::string out =
      R"({"schema": "fleetpack.build-report/1", "app": "demo", "version": "1.0.0", "profiles": [)";
  for (size_t i = 0; i < profiles.size(); ++i)
    out += (i ? "," : "") + std::string(R"({"profile": ")") + profiles[i].first + R"(", "figures": )" +
           profiles[i].second + "}";
  return out + "]}";
}

ReportFigures parse_ok(const std::string& file, const std::string& text) {
  Diagnostics diags;
  auto r = parse_build_report(file, text, diags);
  EXPECT_FALSE(diags.has_errors());
  for (const auto& d : diags.all()) ADD_FAILURE() << format_diagnostic(d);
  return r ? *r : ReportFigures{};
}

/// The diagnostics of parsing `text` as file "r.json": formatted, one per line.
std::string parse_errors(const std::string& text) {
  Diagnostics diags;
  auto r = parse_build_report("r.json", text, diags);
  EXPECT_FALSE(r.has_value());
  EXPECT_EQ(diags.exit_code(), 3);
  std::string out;
  for (const auto& d : diags.all()) out += format_diagnostic(d) + "\n";
  return out;
}

const std::string kHint =
    "\n  hint: fleetpack diff compares two files written by `fleetpack build --report-json`\n";

}  // namespace

TEST(Diff, SortsByAbsoluteDeltaDescending) {
  auto o =
      parse_ok("old.json", report({{"tv-2019", R"({"wasm_bytes": 1000, "js_bytes": 100, "vm_memory": 50})"},
                                   {"modern", R"({"wasm_bytes": 2000})"}}));
  auto n =
      parse_ok("new.json", report({{"tv-2019", R"({"wasm_bytes": 1010, "js_bytes": 0, "vm_memory": 50})"},
                                   {"modern", R"({"wasm_bytes": 1500})"}}));
  SizeDiff d = diff_reports(o, n);
  ASSERT_EQ(d.changes.size(), 4u);
  EXPECT_EQ(d.changes[0].profile, "modern");
  EXPECT_EQ(*d.changes[0].delta, -500);
  EXPECT_DOUBLE_EQ(*d.changes[0].percent, -25.0);
  EXPECT_EQ(d.changes[1].figure, "js_bytes");
  EXPECT_EQ(*d.changes[1].delta, -100);
  EXPECT_DOUBLE_EQ(*d.changes[1].percent, -100.0);
  EXPECT_EQ(d.changes[2].figure, "wasm_bytes");
  EXPECT_EQ(*d.changes[2].delta, 10);
  EXPECT_DOUBLE_EQ(*d.changes[2].percent, 1.0);
  EXPECT_EQ(d.changes[3].figure, "vm_memory");
  EXPECT_EQ(*d.changes[3].delta, 0);
  EXPECT_TRUE(d.profiles_added.empty());
  EXPECT_TRUE(d.profiles_removed.empty());
}

TEST(Diff, ReportsAddedAndRemovedProfiles) {
  auto o = parse_ok("old.json", report({{"a", R"({"x": 1})"}, {"gone", R"({"x": 1})"}}));
  auto n = parse_ok("new.json", report({{"new-one", R"({"x": 1})"}, {"a", R"({"x": 1})"}}));
  SizeDiff d = diff_reports(o, n);
  ASSERT_EQ(d.changes.size(), 1u);
  EXPECT_EQ(d.changes[0].profile, "a");
  EXPECT_EQ(d.profiles_added, std::vector<std::string>{"new-one"});
  EXPECT_EQ(d.profiles_removed, std::vector<std::string>{"gone"});
  std::string md = render_diff_markdown(d);
  EXPECT_NE(md.find("- profile new-one added\n"), std::string::npos) << md;
  EXPECT_NE(md.find("- profile gone removed\n"), std::string::npos) << md;
  std::string text = render_diff_text(d);
  EXPECT_NE(text.find("profile added: new-one\n"), std::string::npos) << text;
  EXPECT_NE(text.find("profile removed: gone\n"), std::string::npos) << text;
}

TEST(Diff, NullAndMissingFiguresHaveNoDeltaAndSortLast) {
  auto o = parse_ok("old.json", report({{"p", R"({"a": null, "b": 10, "c": 5, "zero": 0})"}}));
  auto n = parse_ok("new.json", report({{"p", R"({"a": 7, "b": null, "d": 3, "zero": 0, "c": 6})"}}));
  SizeDiff d = diff_reports(o, n);
  ASSERT_EQ(d.changes.size(), 5u);
  EXPECT_EQ(d.changes[0].figure, "c");
  EXPECT_EQ(d.changes[1].figure, "zero");
  EXPECT_DOUBLE_EQ(*d.changes[1].percent, 0.0);
  for (size_t i = 2; i < 5; ++i) {
    EXPECT_FALSE(d.changes[i].delta.has_value()) << d.changes[i].figure;
    EXPECT_FALSE(d.changes[i].percent.has_value()) << d.changes[i].figure;
  }
  EXPECT_EQ(d.changes[2].figure, "a");
  EXPECT_EQ(*d.changes[2].new_value, 7u);
  EXPECT_EQ(d.changes[3].figure, "b");
  EXPECT_EQ(d.changes[4].figure, "d");
  EXPECT_FALSE(d.changes[4].old_value.has_value());
  std::string json = render_diff_json(d);
  EXPECT_NE(json.find(R"("figure": "a",
      "old": null,
      "new": 7,
      "delta": null,
      "percent": null)"),
            std::string::npos)
      << json;
}

TEST(Diff, PercentOfZeroOldValueIsNull) {
  auto d = diff_reports(parse_ok("o", report({{"p", R"({"a": 0})"}})),
                        parse_ok("n", report({{"p", R"({"a": 4})"}})));
  ASSERT_EQ(d.changes.size(), 1u);
  EXPECT_EQ(*d.changes[0].delta, 4);
  EXPECT_FALSE(d.changes[0].percent.has_value());
}

TEST(Diff, RendersJsonAndMarkdown) {
  auto o = parse_ok("old.json", report({{"tv-2019", R"({"wasm_zstd_bytes": 10000})"}}));
  auto n = parse_ok("new.json", report({{"tv-2019", R"({"wasm_zstd_bytes": 22595})"}}));
  SizeDiff d = diff_reports(o, n);
  EXPECT_EQ(render_diff_json(d), R"({
  "schema": "fleetpack.diff/1",
  "old": {
    "path": "old.json",
    "app": "demo",
    "version": "1.0.0"
  },
  "new": {
    "path": "new.json",
    "app": "demo",
    "version": "1.0.0"
  },
  "figures": [
    {
      "profile": "tv-2019",
      "figure": "wasm_zstd_bytes",
      "old": 10000,
      "new": 22595,
      "delta": 12595,
      "percent": 125.95
    }
  ],
  "profiles_added": [],
  "profiles_removed": []
}
)");
  EXPECT_EQ(render_diff_markdown(d),
            "### fleetpack size diff\n\n"
            "- this change adds 12.3 KiB to tv-2019 (wasm_zstd_bytes)\n\n"
            "| profile | figure | old | new | delta | % |\n"
            "| --- | --- | ---: | ---: | ---: | ---: |\n"
            "| tv-2019 | wasm_zstd_bytes | 10000 | 22595 | +12595 | +126.0% |\n");
  SizeDiff same = diff_reports(o, o);
  EXPECT_EQ(render_diff_markdown(same),
            "### fleetpack size diff\n\nthis change does not change any size figure\n");
}

TEST(Diff, HumanBytes) {
  EXPECT_EQ(human_bytes(1), "1 byte");
  EXPECT_EQ(human_bytes(1023), "1023 bytes");
  EXPECT_EQ(human_bytes(1024), "1.0 KiB");
  EXPECT_EQ(human_bytes(3 * 1024 * 1024 / 2), "1.5 MiB");
}

TEST(DiffErrors, NotJsonAtTheByteOffset) {
  EXPECT_EQ(parse_errors(R"({"schema": x})"),
            "r.json:0xc: error: not JSON: syntax error while parsing value - invalid literal; last read: "
            "'\"schema\": x'" +
                kHint);
  EXPECT_EQ(parse_errors(""),
            "r.json:0x1: error: not JSON: syntax error while parsing value - unexpected end of input; "
            "expected '[', '{', or a literal" +
                kHint);
}

TEST(DiffErrors, WrongSchema) {
  EXPECT_EQ(
      parse_errors(R"({"schema": "fleetpack.inspect/1"})"),
      "r.json: error: schema is \"fleetpack.inspect/1\", expected \"fleetpack.build-report/1\"" + kHint);
  EXPECT_EQ(parse_errors(R"({"schema": 1})"),
            "r.json: error: schema is the number 1, expected \"fleetpack.build-report/1\"" + kHint);
  EXPECT_EQ(parse_errors(R"({"app": "x"})"),
            "r.json: error: no \"schema\" field, expected \"fleetpack.build-report/1\"" + kHint);
  EXPECT_EQ(parse_errors("[1, 2]"),
            "r.json: error: the report is an array, expected an object with \"schema\": "
            "\"fleetpack.build-report/1\"" +
                kHint);
}

TEST(DiffErrors, WrongTypesAndMissingFieldsAreEachReported) {
  EXPECT_EQ(parse_errors(R"({"schema": "fleetpack.build-report/1"})"),
            "r.json: error: no \"profiles\" field" + kHint);
  EXPECT_EQ(parse_errors(R"({"schema": "fleetpack.build-report/1", "profiles": {}})"),
            "r.json: error: \"profiles\" is an object, expected an array" + kHint);
  EXPECT_EQ(parse_errors(R"({"schema": "fleetpack.build-report/1", "app": 5, "profiles": [
              3, {"figures": {}}, {"profile": true}, {"profile": "p"}, {"profile": "q", "figures": []},
              {"profile": "r", "figures": {"a": "1", "b": -1, "c": 1.5, "d": true, "e": null, "f": 2}},
              {"profile": "r", "figures": {}}]})"),
            "r.json: error: \"app\" is the number 5, expected a string" + kHint +
                "r.json: error: profiles[0] is the number 3, expected an object" + kHint +
                "r.json: error: profiles[1] has no \"profile\" field" + kHint +
                "r.json: error: profiles[2].profile is a boolean, expected a profile id" + kHint +
                "r.json: error: profiles[3] ('p') has no \"figures\" field" + kHint +
                "r.json: error: profiles[4].figures is an array, expected an object" + kHint +
                "r.json: error: profiles[5].figures.a is a string, expected a byte count (a non-negative "
                "integer) or null" +
                kHint +
                "r.json: error: profiles[5].figures.b is the number -1, expected a byte count (a "
                "non-negative integer) or null" +
                kHint +
                "r.json: error: profiles[5].figures.c is the number 1.5, expected a byte count (a "
                "non-negative integer) or null" +
                kHint +
                "r.json: error: profiles[5].figures.d is a boolean, expected a byte count (a non-negative "
                "integer) or null" +
                kHint + "r.json: error: profiles[6]: profile 'r' appears twice" + kHint);
}

TEST(DiffErrors, FilesAreReadAndBothReported) {
  testing::TempDir dir;
  testing::write_text(dir.path() / "bad.json", "{");
  Diagnostics diags;
  auto d = diff_report_files(dir.path() / "missing.json", dir.path() / "bad.json", diags);
  EXPECT_FALSE(d.has_value());
  ASSERT_EQ(diags.all().size(), 2u);
  EXPECT_EQ(diags.exit_code(), 3);
  EXPECT_EQ(format_location(diags.all()[0].where), (dir.path() / "missing.json").string());
  EXPECT_EQ(format_location(diags.all()[1].where), (dir.path() / "bad.json").string() + ":0x2");
}

}  // namespace fleetpack
