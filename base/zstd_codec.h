// zstd through libzstd (never the CLI), with fixed parameters so output is reproducible.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace fleetpack {

/// Compresses with the given level (1..19); single-threaded and without a dictionary, so the same input
/// and level always give the same bytes.
std::vector<uint8_t> zstd_compress(const void* data, size_t size, int level);

}  // namespace fleetpack
