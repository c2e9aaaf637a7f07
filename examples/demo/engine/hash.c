/* Hashing over linear memory, and the scratch buffer the host writes its bytes into. */
#include "engine.h"

#define FP_SCRATCH_BYTES 1024

static uint8_t scratch[FP_SCRATCH_BYTES] __attribute__((aligned(16)));

uint8_t *scratch_ptr(void) { return scratch; }

int32_t scratch_size(void) { return FP_SCRATCH_BYTES; }

uint32_t hash_bytes(const uint8_t *ptr, int32_t len) {
  uint32_t h = 2166136261u; /* FNV-1a 32-bit offset basis */
  for (int32_t i = 0; i < len; ++i) {
    h ^= ptr[i];
    h *= 16777619u; /* FNV prime */
  }
  return h;
}
