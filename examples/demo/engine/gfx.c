/* Pure pixel helpers: color math on packed 0xAARRGGBB values, pixel snapping, easing. */
#include "engine.h"

uint32_t color_blend(uint32_t a, uint32_t b, int32_t t) {
  if (t <= 0) return a;
  if (t >= 255) return b;
  uint32_t out = 0;
  for (uint32_t shift = 0; shift < 32; shift += 8) {
    int32_t ca = (int32_t)((a >> shift) & 0xFFu), cb = (int32_t)((b >> shift) & 0xFFu);
    /* Signed difference; C division truncates toward zero, so the blend is symmetric. */
    int32_t c = ca + (cb - ca) * t / 255;
    out |= (uint32_t)c << shift;
  }
  return out;
}

/* The app's theme, 0xAARRGGBB: background, surface, tile, tile focused, text, accent. */
static const uint32_t theme[] = {0xFF0B0F14u, 0xFF18202Bu, 0xFF2A3645u, 0xFF3E5C7Au, 0xFFF2F4F7u, 0xFFF5A623u};

uint32_t theme_color(int32_t index) {
  const int32_t n = (int32_t)(sizeof theme / sizeof theme[0]);
  return index >= 0 && index < n ? theme[index] : 0u;
}

static uint32_t clamp_channel(int32_t v) { return v < 0 ? 0u : v > 255 ? 255u : (uint32_t)v; }

uint32_t color_shift(uint32_t color, int32_t delta) {
  uint32_t out = 0;
  for (uint32_t shift = 0; shift < 32; shift += 8) {
    int32_t c = (int32_t)((color >> shift) & 0xFFu);
    int32_t d = (int8_t)((uint32_t)delta >> shift); /* one signed int8 lane */
    out |= clamp_channel(c + d) << shift;
  }
  return out;
}

int32_t snap_px(float v) {
  /* A plain C conversion: with -mnontrapping-fptoint this is i32.trunc_sat_f32_s, which
   * saturates (and maps NaN to 0) instead of trapping on huge coordinates. */
  return (int32_t)__builtin_floorf(v + 0.5f);
}

float ease_in_out(float t) {
  if (!(t > 0.0f)) return 0.0f; /* also NaN */
  if (t >= 1.0f) return 1.0f;
  if (t < 0.5f) return 4.0f * t * t * t;
  float u = 2.0f - 2.0f * t;
  return 1.0f - u * u * u * 0.5f;
}
