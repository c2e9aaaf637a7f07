// zstd through libzstd (never the CLI), with fixed parameters so output is reproducible.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace fleetpack {

/// Compresses with the given level (1..19), without a dictionary, so the same input and level always give
/// the same bytes. Inputs of 4 MiB and more (JS fallbacks) use zstd's multi-threaded mode with a fixed job
/// size, whose output does not depend on the number of `workers` (0: one per core, at most 8).
std::vector<uint8_t> zstd_compress(const void* data, size_t size, int level, int workers = 0);

}  // namespace fleetpack
