#include "base/zstd_codec.h"

#include <algorithm>
#include <memory>
#include <thread>

// ZSTD_c_stableInBuffer is in the "experimental" part of the API (stable in libzstd since 1.4.5).
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

namespace fleetpack {

namespace {
/// Inputs from this size on are compressed by zstd's multi-threaded mode in jobs of kJobBytes: a JS
/// fallback is 10 MB, and one zstd -19 job takes seconds. The mode's output does not depend on the number
/// of threads (zstd issues #2238, #2327), only on the job size, which is fixed, so the bytes are the same
/// on every machine. Engines (the budgeted files) stay under it: single-threaded, as before.
constexpr size_t kMultithreadFrom = 4u << 20;
constexpr size_t kJobBytes = 2u << 20;
constexpr size_t kPieceBytes = 128u << 10;  // ZSTD_BLOCKSIZE_MAX

struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
}  // namespace

std::vector<uint8_t> zstd_compress(const void* data, size_t size, int level, int workers,
                                   const std::atomic<bool>* cancel) {
  level = std::clamp(level, 1, ZSTD_maxCLevel());
  std::vector<uint8_t> out(ZSTD_compressBound(size));
  std::unique_ptr<ZSTD_CCtx, CCtxFree> cctx(ZSTD_createCCtx());
  if (!cctx) return {};
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 0);
  if (size >= kMultithreadFrom) {
    if (workers <= 0) workers = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 8u));
    // Without multi-threading support in libzstd the call fails and the input is compressed in one job.
    if (!ZSTD_isError(ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_nbWorkers, workers)))
      ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_jobSize, static_cast<int>(kJobBytes));
  }
  ZSTD_outBuffer o{out.data(), out.size(), 0};
  // compressBound guarantees room and the level is clamped: an error means memory exhaustion.
  if (size >= kMultithreadFrom) {
    // Streaming (not the one-pass shortcut) so the job split never depends on the number of workers
    // (zstd issue #2327): feed the input, then end the frame.
    ZSTD_inBuffer in{data, size, 0};
    size_t left = 0;
    do {
      left = ZSTD_compressStream2(cctx.get(), &o, &in, ZSTD_e_end);
      if (ZSTD_isError(left)) return {};
    } while (left != 0);
  } else {
    // In pieces, so that `cancel` is seen within one block's work. The bytes are those of one piece
    // (ZSTD_compress) only if zstd sees the input as one buffer: the pledged size makes it choose the
    // parameters of the whole input, and a stable input buffer (the same buffer, exposed further at each
    // call) keeps it matching in place; copied into its own window buffer, inputs larger than the
    // window compress differently (levels 1-5 from 2 MiB on).
    ZSTD_CCtx_setPledgedSrcSize(cctx.get(), size);
    ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_stableInBuffer, 1);
    size_t pos = 0;
    do {
      if (cancel && cancel->load(std::memory_order_relaxed)) return {};
      const size_t n = std::min(kPieceBytes, size - pos);
      const bool last = pos + n == size;
      ZSTD_inBuffer in{data, pos + n, pos};
      size_t left = 0;
      do {
        left = ZSTD_compressStream2(cctx.get(), &o, &in, last ? ZSTD_e_end : ZSTD_e_continue);
        if (ZSTD_isError(left)) return {};
      } while (last ? left != 0 : in.pos < in.size);
      pos += n;
    } while (pos < size);
  }
  out.resize(o.pos);
  return out;
}

}  // namespace fleetpack
