#include "base/hash.h"

#include <sodium.h>

namespace fleetpack {

std::string sha256_hex(const void* data, size_t size) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, static_cast<const unsigned char*>(data), size);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

}  // namespace fleetpack
