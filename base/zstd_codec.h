// zstd through libzstd (never the CLI), with fixed parameters so output is reproducible.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace fleetpack {

/// Compresses with the given level (1..19), without a dictionary, so the same input and level always give
/// the same bytes. Inputs of 4 MiB and more (JS fallbacks) use zstd's multi-threaded mode with a fixed job
/// size, whose output does not depend on the number of `workers` (0: one per core, at most 8).
/// Smaller inputs are fed to zstd in 128 KiB pieces (its block size) of one stable buffer of known size,
/// which gives ZSTD_compress's bytes (tests/unit/zstd_codec_test.cpp); between pieces `cancel`, when set,
/// stops the work and the result is empty (a background compression the build no longer waits for).
std::vector<uint8_t> zstd_compress(const void* data, size_t size, int level, int workers = 0,
                                   const std::atomic<bool>* cancel = nullptr);

}  // namespace fleetpack
