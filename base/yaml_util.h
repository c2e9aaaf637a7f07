// yaml-cpp helpers shared by the profile and configuration loaders: parse with positions, and turn
// yaml-cpp's 0-based marks into 1-based file:line:col diagnostics. yaml-cpp reports errors by throwing;
// these helpers catch at the boundary so no exception crosses the library API.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "base/diagnostic.h"

namespace fleetpack {

Location yaml_location(const std::string& file, const YAML::Mark& mark);
inline Location yaml_location(const std::string& file, const YAML::Node& node) {
  return yaml_location(file, node.Mark());
}

/// Parses `text`; on a syntax error adds a Usage error at its position and returns nullopt.
std::optional<YAML::Node> parse_yaml(const std::string& file, const std::string& text, Diagnostics& diags);

/// Scalar accessors that report a wrong type at the node instead of throwing.
std::optional<std::string> yaml_string(const std::string& file, const YAML::Node& node,
                                       const std::string& key, Diagnostics& diags);
std::optional<std::vector<std::string>> yaml_string_list(const std::string& file, const YAML::Node& node,
                                                         const std::string& key, Diagnostics& diags);

}  // namespace fleetpack
