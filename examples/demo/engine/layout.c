/* A flexbox-like layout pass over the node arena.
 *
 * Supported: direction row/column, fixed or auto width/height, flex-grow (with a 0 basis, like
 * CSS `flex: <grow>`), padding, margin, gap, justify (start/center/end/space-between) and align
 * (start/center/end/stretch). Not supported: shrinking (overflowing children overflow, like
 * `flex-shrink: 0`), wrapping, min/max sizes, align-self, text measurement.
 *
 * Because every child's id is greater than its parent's (scene.c), one backward sweep measures
 * content sizes bottom-up and one forward sweep places boxes top-down.
 */
#include "engine.h"
#include "host.h"
#include "scene.h"

static double last_ms;

static float max_f(float a, float b) { return a > b ? a : b; }

/* Intrinsic border-box size: the fixed size, else padding + children (summed on the main axis,
 * largest on the cross axis) + gaps. */
static void measure(fp_node *n) {
  const fp_style *s = &n->style;
  int row = s->direction == FP_ROW;
  float main = 0.0f, cross = 0.0f;
  int32_t k = 0;
  for (int32_t c = n->first_child; c >= 0; c = fp_nodes[c].next_sibling, ++k) {
    const fp_node *ch = &fp_nodes[c];
    float ow = ch->measured_w + ch->style.margin[FP_LEFT] + ch->style.margin[FP_RIGHT];
    float oh = ch->measured_h + ch->style.margin[FP_TOP] + ch->style.margin[FP_BOTTOM];
    main += row ? ow : oh;
    cross = max_f(cross, row ? oh : ow);
  }
  if (k > 1) main += s->gap * (float)(k - 1);
  float content_w = row ? main : cross, content_h = row ? cross : main;
  n->measured_w = s->width >= 0.0f ? s->width : content_w + s->padding[FP_LEFT] + s->padding[FP_RIGHT];
  n->measured_h = s->height >= 0.0f ? s->height : content_h + s->padding[FP_TOP] + s->padding[FP_BOTTOM];
}

/* Places the children of n inside n's (already final) box. */
static void place_children(const fp_node *n) {
  const fp_style *s = &n->style;
  if (n->first_child < 0) return;
  int row = s->direction == FP_ROW;
  float inner_x = n->box.x + s->padding[FP_LEFT];
  float inner_y = n->box.y + s->padding[FP_TOP];
  float inner_w = max_f(0.0f, n->box.w - s->padding[FP_LEFT] - s->padding[FP_RIGHT]);
  float inner_h = max_f(0.0f, n->box.h - s->padding[FP_TOP] - s->padding[FP_BOTTOM]);
  float inner_main = row ? inner_w : inner_h, inner_cross = row ? inner_h : inner_w;
  int m0 = row ? FP_LEFT : FP_TOP, m1 = row ? FP_RIGHT : FP_BOTTOM;
  int c0 = row ? FP_TOP : FP_LEFT, c1 = row ? FP_BOTTOM : FP_RIGHT;

  /* 1. Base sizes on the main axis, kept in the children's main-axis box size. */
  float used = 0.0f, grow_total = 0.0f;
  int32_t k = 0;
  for (int32_t c = n->first_child; c >= 0; c = fp_nodes[c].next_sibling, ++k) {
    fp_node *ch = &fp_nodes[c];
    float fixed = row ? ch->style.width : ch->style.height;
    float base = fixed >= 0.0f ? fixed : ch->style.grow > 0.0f ? 0.0f : row ? ch->measured_w : ch->measured_h;
    if (row) ch->box.w = base; else ch->box.h = base;
    used += base + ch->style.margin[m0] + ch->style.margin[m1];
    grow_total += ch->style.grow;
  }
  used += s->gap * (float)(k - 1);
  float free = inner_main - used;

  /* 2. Growing children take the free space, in proportion to their grow factors. */
  if (free > 0.0f && grow_total > 0.0f) {
    for (int32_t c = n->first_child; c >= 0; c = fp_nodes[c].next_sibling) {
      fp_node *ch = &fp_nodes[c];
      if (ch->style.grow <= 0.0f) continue;
      float extra = free * ch->style.grow / grow_total;
      if (row) ch->box.w += extra; else ch->box.h += extra;
    }
    free = 0.0f;
  }

  /* 3. Justify what is left (negative free space overflows past the end, or both ends when
   * centered, as CSS does). */
  float lead = 0.0f, between = s->gap;
  switch (s->justify) {
    case FP_JUSTIFY_CENTER: lead = free * 0.5f; break;
    case FP_JUSTIFY_END: lead = free; break;
    case FP_JUSTIFY_SPACE_BETWEEN:
      if (k > 1 && free > 0.0f) between += free / (float)(k - 1);
      break;
    default: break;
  }

  /* 4. Positions, and sizes on the cross axis. */
  float pos = (row ? inner_x : inner_y) + lead;
  float cross_start = row ? inner_y : inner_x;
  for (int32_t c = n->first_child; c >= 0; c = fp_nodes[c].next_sibling) {
    fp_node *ch = &fp_nodes[c];
    const float *m = ch->style.margin;
    float fixed_cross = row ? ch->style.height : ch->style.width;
    float room = inner_cross - m[c0] - m[c1];
    float size = fixed_cross >= 0.0f ? fixed_cross
                 : s->align == FP_ALIGN_STRETCH ? max_f(0.0f, room)
                 : row ? ch->measured_h : ch->measured_w;
    float offset = s->align == FP_ALIGN_CENTER ? (room - size) * 0.5f
                   : s->align == FP_ALIGN_END  ? room - size
                                               : 0.0f;
    float cross_pos = cross_start + m[c0] + offset;
    float main_size = row ? ch->box.w : ch->box.h;
    if (row) {
      ch->box.x = pos + m[m0];
      ch->box.y = cross_pos;
      ch->box.h = size;
    } else {
      ch->box.y = pos + m[m0];
      ch->box.x = cross_pos;
      ch->box.w = size;
    }
    pos += m[m0] + main_size + m[m1] + between;
  }
}

/* Rounds both edges, not the size, so boxes that touch before snapping still touch after. */
static void snap_box(fp_box *b) {
  int32_t x0 = snap_px(b->x), y0 = snap_px(b->y);
  int32_t x1 = snap_px(b->x + b->w), y1 = snap_px(b->y + b->h);
  b->x = (float)x0;
  b->y = (float)y0;
  b->w = (float)(x1 - x0);
  b->h = (float)(y1 - y0);
}

int32_t layout_run(int32_t snap) {
  if (fp_count == 0) {
    host_log_i32(FP_LOG_NOT_INITIALIZED, -1);
    return -1;
  }
  double start = host_now_ms();
  for (int32_t i = fp_count - 1; i >= 0; --i) measure(&fp_nodes[i]);

  fp_node *root = &fp_nodes[0];
  root->box.x = root->style.margin[FP_LEFT];
  root->box.y = root->style.margin[FP_TOP];
  root->box.w = root->measured_w;
  root->box.h = root->measured_h;
  for (int32_t i = 0; i < fp_count; ++i) place_children(&fp_nodes[i]);

  if (snap)
    for (int32_t i = 0; i < fp_count; ++i) snap_box(&fp_nodes[i].box);
  last_ms = host_now_ms() - start;
  return fp_count;
}

double layout_last_ms(void) { return last_ms; }
