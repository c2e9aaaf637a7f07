// Sizes as people write them in configuration: 750000, 150KiB, 7.5MiB, 1.5MB (KB/MB/GB are powers of 1000,
// KiB/MiB/GiB powers of 1024, as IEC 80000-13 has it).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace fleetpack {

/// Parses a size; nullopt when it is not one (negative, unknown unit, not a number, over 2^63).
std::optional<uint64_t> parse_byte_size(const std::string& text);
/// "150 KiB (153600 bytes)"-style rendering for reports: exact bytes, plus a binary-unit figure when large.
std::string format_byte_size(uint64_t bytes);

}  // namespace fleetpack
