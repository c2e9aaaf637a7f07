// profiles/device_map: model -> profile lines, every error with its line and column.
#include "profiles/device_map.h"

#include <gtest/gtest.h>

namespace fleetpack {
namespace {

ProfileCatalog catalog() {
  Diagnostics d;
  ProfileCatalog c = load_profile_sources(builtin_profile_sources(), d);
  EXPECT_FALSE(d.has_errors());
  return c;
}

std::vector<std::string> errors(const Diagnostics& d) {
  std::vector<std::string> out;
  for (auto x : d.all()) {
    x.hint.clear();
    out.push_back(format_diagnostic(x));
  }
  return out;
}

TEST(DeviceMap, ParsesHeaderCommentsAndEntries) {
  Diagnostics d;
  DeviceMap m =
      parse_device_map("d.csv", "model,profile\n# fleet\nTV-1,mvp\n  TV-2 , chrome75 \n\n", catalog(), d);
  EXPECT_TRUE(errors(d).empty());
  ASSERT_EQ(m.entries.size(), 2u);
  ASSERT_TRUE(m.find("TV-2"));
  EXPECT_EQ(m.find("TV-2")->profile, "chrome75");
  EXPECT_EQ(m.find("TV-2")->line, 4);
  EXPECT_FALSE(m.find("TV-3"));
}

TEST(DeviceMap, EveryErrorHasItsLine) {
  Diagnostics d;
  parse_device_map("d.csv", "TV-1,mvp\nTV-2,chrome7\nTV-1,modern\nTV-3\n,mvp\nTV-4,mvp,extra\n", catalog(),
                   d);
  EXPECT_EQ(
      errors(d),
      (std::vector<std::string>{
          "d.csv:2:6: error: device 'TV-2' maps to unknown profile 'chrome7' (did you mean 'chrome74'?)",
          "d.csv:3:1: error: device 'TV-1' is listed twice (first at line 1)",
          "d.csv:4:1: error: expected two fields `model,profile`", "d.csv:5:1: error: empty device model",
          "d.csv:6:1: error: expected two fields `model,profile`"}));
  EXPECT_EQ(d.exit_code(), 2);
}

TEST(DeviceMap, ThousandsOfModels) {
  std::string text;
  for (int i = 0; i < 8000; ++i) text += "MODEL-" + std::to_string(i) + (i % 2 ? ",mvp\n" : ",chrome75\n");
  Diagnostics d;
  DeviceMap m = parse_device_map("d.csv", text, catalog(), d);
  EXPECT_FALSE(d.has_errors());
  EXPECT_EQ(m.entries.size(), 8000u);
  EXPECT_EQ(m.find("MODEL-7999")->profile, "mvp");
}

}  // namespace
}  // namespace fleetpack
