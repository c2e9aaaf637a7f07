// zstd decompression with a size bound, and patches in zstd's "--patch-from" style: the new file
// compressed with the old one as a raw prefix dictionary (ZSTD_CCtx_refPrefix), so what the two share costs
// almost nothing. A patch is an ordinary zstd frame: `zstd -d --patch-from=OLD PATCH` applies it too.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fleetpack {

/// Decompresses one or more zstd frames, refusing output beyond `max_size` bytes (a hostile or damaged
/// file must not exhaust memory). `prefix`: the reference a patch was made against (null for none).
/// nullopt on any error, with the reason in `error`.
std::optional<std::vector<uint8_t>> zstd_decompress_bounded(const void* data, size_t size, size_t max_size,
                                                            std::string& error,
                                                            const std::vector<uint8_t>* prefix = nullptr);

/// A patch turning `old_bytes` into `new_bytes`: `new_bytes` compressed at `level` with `old_bytes` as
/// prefix and a window covering both. Single-threaded with fixed parameters: reproducible.
std::vector<uint8_t> zstd_make_patch(const std::vector<uint8_t>& old_bytes,
                                     const std::vector<uint8_t>& new_bytes, int level);

/// The content size a zstd frame declares, when it declares one.
std::optional<uint64_t> zstd_frame_content_size(const void* data, size_t size);

}  // namespace fleetpack
