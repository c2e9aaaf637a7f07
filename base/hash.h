// Content hashes (libsodium's SHA-256): content addressing, variant keys.
#pragma once
#include <cstddef>
#include <string>

namespace fleetpack {

/// Lower-case hex SHA-256 of the bytes.
std::string sha256_hex(const void* data, size_t size);
inline std::string sha256_hex(const std::string& s) { return sha256_hex(s.data(), s.size()); }

}  // namespace fleetpack
