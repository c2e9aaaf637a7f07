#include "base/byte_size.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace fleetpack {

std::optional<uint64_t> parse_byte_size(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  if (i == 0) return std::nullopt;
  std::string number = text.substr(0, i);
  if (std::count(number.begin(), number.end(), '.') > 1 || number.back() == '.' || number.front() == '.')
    return std::nullopt;
  std::string unit = text.substr(i);
  while (!unit.empty() && unit.front() == ' ') unit.erase(unit.begin());
  double scale = 0;
  if (unit.empty() || unit == "B")
    scale = 1;
  else if (unit == "KB" || unit == "kB")
    scale = 1e3;
  else if (unit == "MB")
    scale = 1e6;
  else if (unit == "GB")
    scale = 1e9;
  else if (unit == "KiB")
    scale = 1024.0;
  else if (unit == "MiB")
    scale = 1024.0 * 1024;
  else if (unit == "GiB")
    scale = 1024.0 * 1024 * 1024;
  else
    return std::nullopt;
  double value = std::strtod(number.c_str(), nullptr) * scale;
  if (!std::isfinite(value) || value > 9.2e18) return std::nullopt;
  // A fraction of a byte is meaningless: 1.5 B is an error, 7.5MiB is exact.
  if (std::floor(value) != value) return std::nullopt;
  return static_cast<uint64_t>(value);
}

std::string format_byte_size(uint64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{:.1f} KiB ({} B)", bytes / 1024.0, bytes);
  return fmt::format("{:.2f} MiB ({} B)", bytes / (1024.0 * 1024.0), bytes);
}

}  // namespace fleetpack
