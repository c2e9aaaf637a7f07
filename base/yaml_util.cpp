#include "base/yaml_util.h"

#include <fmt/format.h>

namespace fleetpack {

Location yaml_location(const std::string& file, const YAML::Mark& mark) {
  if (mark.line < 0) return Location::file_only(file);
  return Location::text(file, mark.line + 1, mark.column + 1);
}

std::optional<YAML::Node> parse_yaml(const std::string& file, const std::string& text, Diagnostics& diags) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    diags.error(ErrorKind::Usage, yaml_location(file, e.mark), fmt::format("YAML syntax error: {}", e.msg),
                "check indentation and quoting near this place");
    return std::nullopt;
  }
}

std::optional<std::string> yaml_string(const std::string& file, const YAML::Node& node,
                                       const std::string& key, Diagnostics& diags) {
  if (!node.IsScalar()) {
    diags.error(ErrorKind::Usage, yaml_location(file, node), fmt::format("'{}' must be a string", key));
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<std::vector<std::string>> yaml_string_list(const std::string& file, const YAML::Node& node,
                                                         const std::string& key, Diagnostics& diags) {
  if (node.IsNull()) return std::vector<std::string>{};
  if (!node.IsSequence()) {
    diags.error(ErrorKind::Usage, yaml_location(file, node), fmt::format("'{}' must be a list", key),
                fmt::format("write it as `{}: [a, b]`", key));
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : node) {
    if (!item.IsScalar()) {
      diags.error(ErrorKind::Usage, yaml_location(file, item),
                  fmt::format("items of '{}' must be strings", key));
      return std::nullopt;
    }
    out.push_back(item.Scalar());
  }
  return out;
}

}  // namespace fleetpack
