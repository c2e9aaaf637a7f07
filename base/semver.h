// Semantic Versioning 2.0.0 (semver.org): release versions are path components and manifest fields, so
// they are checked once, here, wherever they come from (config, --version, git describe).
#pragma once
#include <optional>
#include <string>

namespace fleetpack {

/// True when `v` is a SemVer 2.0.0 version, pre-release and build metadata included (1.4.0-rc.1+build.7).
bool is_semver(const std::string& v);

/// Maps `git describe --tags --dirty` output to semver: "v1.2.3" -> "1.2.3", "v1.2.3-4-gabc1234" ->
/// "1.2.3+4.gabc1234" (commits since the tag and the commit go into build metadata), "-dirty" ->
/// ".dirty" in the build metadata. nullopt when the tag part is not semver.
std::optional<std::string> semver_from_git_describe(std::string describe);

}  // namespace fleetpack
