#include "base/zstd_codec.h"

#include <algorithm>
#include <memory>
#include <thread>

#include <zstd.h>

namespace fleetpack {

namespace {
/// Inputs from this size on are compressed by zstd's multi-threaded mode in jobs of kJobBytes: a JS
/// fallback is 10 MB, and one zstd -19 job takes seconds. The mode's output does not depend on the number
/// of threads (zstd issues #2238, #2327), only on the job size, which is fixed, so the bytes are the same
/// on every machine. Engines (the budgeted files) stay under it: single-threaded, as before.
constexpr size_t kMultithreadFrom = 4u << 20;
constexpr size_t kJobBytes = 2u << 20;

struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
}  // namespace

std::vector<uint8_t> zstd_compress(const void* data, size_t size, int level, int workers) {
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
  // Streaming (not the one-pass shortcut) so the job split never depends on the number of workers
  // (zstd issue #2327): feed the input, then end the frame.
  ZSTD_inBuffer in{data, size, 0};
  ZSTD_outBuffer o{out.data(), out.size(), 0};
  size_t left = 0;
  do {
    left = ZSTD_compressStream2(cctx.get(), &o, &in, ZSTD_e_end);
    // compressBound guarantees room and the level is clamped: an error means memory exhaustion.
    if (ZSTD_isError(left)) return {};
  } while (left != 0);
  out.resize(o.pos);
  return out;
}

}  // namespace fleetpack
