#include "base/zstd_patch.h"

#include <algorithm>

#include <zstd.h>

namespace fleetpack {

namespace {
/// The window a patch needs: the prefix and the new file must both fit in it (zstd's --patch-from does
/// the same). At least 2^10 (zstd's minimum), at most 2^27 so that `zstd -d` applies it without --long.
unsigned patch_window_log(size_t old_size, size_t new_size) {
  size_t need = std::max<size_t>(old_size + new_size, 1);
  unsigned log = 10;
  while (log < 31 && (size_t{1} << log) < need) ++log;
  return log;
}
}  // namespace

std::optional<std::vector<uint8_t>> zstd_decompress_bounded(const void* data, size_t size, size_t max_size,
                                                            std::string& error,
                                                            const std::vector<uint8_t>* prefix) {
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  if (!dctx) {
    error = "out of memory";
    return std::nullopt;
  }
  ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, 31);
  if (prefix) ZSTD_DCtx_refPrefix(dctx, prefix->data(), prefix->size());
  std::vector<uint8_t> out;
  ZSTD_inBuffer in{data, size, 0};
  std::vector<uint8_t> chunk(ZSTD_DStreamOutSize());
  size_t ret = 1;
  for (;;) {
    const size_t in_before = in.pos;
    ZSTD_outBuffer o{chunk.data(), chunk.size(), 0};
    ret = ZSTD_decompressStream(dctx, &o, &in);
    if (ZSTD_isError(ret)) {
      error = ZSTD_getErrorName(ret);
      ZSTD_freeDCtx(dctx);
      return std::nullopt;
    }
    if (out.size() + o.pos > max_size) {
      error = "decompresses to more bytes than expected";
      ZSTD_freeDCtx(dctx);
      return std::nullopt;
    }
    out.insert(out.end(), chunk.data(), chunk.data() + o.pos);
    if (ret == 0 && in.pos == in.size) break;      // every frame complete
    if (in.pos == in_before && o.pos == 0) break;  // no progress: the input ends mid-frame
  }
  ZSTD_freeDCtx(dctx);
  if (ret != 0) {
    error = "truncated zstd data";
    return std::nullopt;
  }
  return out;
}

std::vector<uint8_t> zstd_make_patch(const std::vector<uint8_t>& old_bytes,
                                     const std::vector<uint8_t>& new_bytes, int level) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  if (!cctx) return {};
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, std::clamp(level, 1, ZSTD_maxCLevel()));
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_windowLog,
                         static_cast<int>(patch_window_log(old_bytes.size(), new_bytes.size())));
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1);
  ZSTD_CCtx_refPrefix(cctx, old_bytes.data(), old_bytes.size());
  std::vector<uint8_t> out(ZSTD_compressBound(new_bytes.size()));
  size_t n = ZSTD_compress2(cctx, out.data(), out.size(), new_bytes.data(), new_bytes.size());
  ZSTD_freeCCtx(cctx);
  out.resize(ZSTD_isError(n) ? 0 : n);
  return out;
}

std::optional<uint64_t> zstd_frame_content_size(const void* data, size_t size) {
  unsigned long long n = ZSTD_getFrameContentSize(data, size);
  if (n == ZSTD_CONTENTSIZE_UNKNOWN || n == ZSTD_CONTENTSIZE_ERROR) return std::nullopt;
  return n;
}

}  // namespace fleetpack
