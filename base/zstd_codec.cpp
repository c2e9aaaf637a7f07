#include "base/zstd_codec.h"

#include <algorithm>

#include <zstd.h>

namespace fleetpack {

std::vector<uint8_t> zstd_compress(const void* data, size_t size, int level) {
  level = std::clamp(level, 1, ZSTD_maxCLevel());
  std::vector<uint8_t> out(ZSTD_compressBound(size));
  size_t n = ZSTD_compress(out.data(), out.size(), data, size, level);
  // compressBound guarantees room and the level is clamped, so this cannot fail short of memory exhaustion.
  out.resize(ZSTD_isError(n) ? 0 : n);
  return out;
}

}  // namespace fleetpack
