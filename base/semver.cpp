#include "base/semver.h"

#include <regex>

namespace fleetpack {

namespace {
// The regex given by semver.org.
const std::regex kSemver(
    R"(^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$)");
}  // namespace

bool is_semver(const std::string& v) { return v.size() <= 128 && std::regex_match(v, kSemver); }

std::optional<std::string> semver_from_git_describe(std::string d) {
  while (!d.empty() && (d.back() == '\n' || d.back() == '\r' || d.back() == ' ')) d.pop_back();
  std::string meta;
  const std::string dirty = "-dirty";
  bool is_dirty = d.size() > dirty.size() && d.compare(d.size() - dirty.size(), dirty.size(), dirty) == 0;
  if (is_dirty) d.resize(d.size() - dirty.size());
  // "<tag>-<n>-g<hex>": the last two dash-separated parts, when they have that shape.
  static const std::regex kSince(R"(^(.*)-([0-9]+)-(g[0-9a-f]+)$)");
  std::smatch m;
  if (std::regex_match(d, m, kSince)) {
    meta = m[2].str() + "." + m[3].str();
    d = m[1].str();
  }
  if (is_dirty) meta += meta.empty() ? "dirty" : ".dirty";
  if (!d.empty() && (d[0] == 'v' || d[0] == 'V')) d.erase(0, 1);
  if (!meta.empty()) d += (d.find('+') == std::string::npos ? "+" : ".") + meta;
  if (!is_semver(d)) return std::nullopt;
  return d;
}

}  // namespace fleetpack
