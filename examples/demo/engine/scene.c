/* The scene graph: a fixed-capacity node arena in linear memory with parent/child links.
 *
 * Nodes are allocated in order and never freed individually (a scene is rebuilt with
 * scene_create), so a child's id is always greater than its parent's: layout.c walks the arena
 * backwards to measure and forwards to place, without recursion or a stack.
 */
#include "engine.h"
#include "host.h"
#include "scene.h"

#define FP_PAGE_BYTES 65536u

fp_node *fp_nodes;
fp_node *fp_previous;
int32_t fp_capacity;
int32_t fp_count;

static const fp_style default_style = {
    .width = -1.0f,
    .height = -1.0f,
    .direction = FP_ROW,
    .justify = FP_JUSTIFY_START,
    .align = FP_ALIGN_STRETCH,
};

int32_t engine_version(void) { return 0x010000; }

int32_t engine_init(int32_t capacity) {
  if (capacity <= 0) capacity = 1;
  if (capacity <= fp_capacity) return fp_capacity;
  /* Two arrays: the scene and its snapshot. Fresh pages read as zero. */
  uint32_t bytes = 2u * (uint32_t)capacity * (uint32_t)sizeof(fp_node);
  uint32_t pages = (bytes + FP_PAGE_BYTES - 1) / FP_PAGE_BYTES;
  int32_t old_pages = (int32_t)__builtin_wasm_memory_grow(0, pages);
  if (old_pages < 0) {
    host_log_i32(FP_LOG_OUT_OF_MEMORY, (int32_t)pages);
    return -1;
  }
  fp_node *base = (fp_node *)((uintptr_t)old_pages * FP_PAGE_BYTES);
  /* A larger arena replaces a smaller one; keep the live scene. */
  if (fp_count > 0) __builtin_memcpy(base, fp_nodes, (uint32_t)fp_count * sizeof(fp_node));
  fp_nodes = base;
  fp_previous = base + capacity;
  fp_capacity = capacity;
  return capacity;
}

static void node_init(fp_node *n, int32_t parent) {
  n->parent = parent;
  n->first_child = -1;
  n->last_child = -1;
  n->next_sibling = -1;
  n->style = default_style;
}

int32_t scene_create(float width, float height) {
  if (fp_capacity == 0) {
    host_log_i32(FP_LOG_NOT_INITIALIZED, -1);
    return -1;
  }
  /* Clear what the previous scene and snapshot used, so scene_hash and node_moved start from
   * a known state. */
  __builtin_memset(fp_nodes, 0, (uint32_t)fp_count * sizeof(fp_node));
  __builtin_memset(fp_previous, 0, (uint32_t)fp_count * sizeof(fp_node));
  fp_count = 1;
  node_init(&fp_nodes[0], -1);
  fp_nodes[0].style.width = width;
  fp_nodes[0].style.height = height;
  return 0;
}

fp_node *fp_node_at(int32_t id) {
  if (id < 0 || id >= fp_count) {
    host_log_i32(FP_LOG_BAD_NODE, id);
    return 0;
  }
  return &fp_nodes[id];
}

int32_t node_add(int32_t parent) {
  fp_node *p = fp_node_at(parent);
  if (!p) return -1;
  if (fp_count >= fp_capacity) {
    host_log_i32(FP_LOG_ARENA_FULL, fp_capacity);
    return -1;
  }
  int32_t id = fp_count++;
  node_init(&fp_nodes[id], parent);
  if (p->last_child >= 0)
    fp_nodes[p->last_child].next_sibling = id;
  else
    p->first_child = id;
  p->last_child = id;
  return id;
}

int32_t node_count(void) { return fp_count; }

int32_t node_parent(int32_t id) {
  fp_node *n = fp_node_at(id);
  return n ? n->parent : -1;
}

int32_t node_first_child(int32_t id) {
  fp_node *n = fp_node_at(id);
  return n ? n->first_child : -1;
}

int32_t node_next_sibling(int32_t id) {
  fp_node *n = fp_node_at(id);
  return n ? n->next_sibling : -1;
}

int32_t node_set_direction(int32_t id, int32_t direction) {
  fp_node *n = fp_node_at(id);
  if (!n) return -1;
  n->style.direction = direction == FP_COLUMN ? FP_COLUMN : FP_ROW;
  return 0;
}

int32_t node_set_justify(int32_t id, int32_t justify) {
  fp_node *n = fp_node_at(id);
  if (!n || justify < FP_JUSTIFY_START || justify > FP_JUSTIFY_SPACE_BETWEEN) return -1;
  n->style.justify = (uint8_t)justify;
  return 0;
}

int32_t node_set_align(int32_t id, int32_t align) {
  fp_node *n = fp_node_at(id);
  if (!n || align < FP_ALIGN_START || align > FP_ALIGN_STRETCH) return -1;
  n->style.align = (uint8_t)align;
  return 0;
}

int32_t node_set_size(int32_t id, float width, float height) {
  fp_node *n = fp_node_at(id);
  if (!n) return -1;
  n->style.width = width;
  n->style.height = height;
  return 0;
}

int32_t node_set_grow(int32_t id, float grow) {
  fp_node *n = fp_node_at(id);
  if (!n) return -1;
  n->style.grow = grow > 0.0f ? grow : 0.0f;
  return 0;
}

static void set_edges(float *edges, float top, float right, float bottom, float left) {
  edges[FP_TOP] = top;
  edges[FP_RIGHT] = right;
  edges[FP_BOTTOM] = bottom;
  edges[FP_LEFT] = left;
}

int32_t node_set_padding(int32_t id, float top, float right, float bottom, float left) {
  fp_node *n = fp_node_at(id);
  if (!n) return -1;
  set_edges(n->style.padding, top, right, bottom, left);
  return 0;
}

int32_t node_set_margin(int32_t id, float top, float right, float bottom, float left) {
  fp_node *n = fp_node_at(id);
  if (!n) return -1;
  set_edges(n->style.margin, top, right, bottom, left);
  return 0;
}

int32_t node_set_gap(int32_t id, float gap) {
  fp_node *n = fp_node_at(id);
  if (!n) return -1;
  n->style.gap = gap;
  return 0;
}

float node_get_x(int32_t id) {
  fp_node *n = fp_node_at(id);
  return n ? n->box.x : 0.0f;
}

float node_get_y(int32_t id) {
  fp_node *n = fp_node_at(id);
  return n ? n->box.y : 0.0f;
}

float node_get_w(int32_t id) {
  fp_node *n = fp_node_at(id);
  return n ? n->box.w : 0.0f;
}

float node_get_h(int32_t id) {
  fp_node *n = fp_node_at(id);
  return n ? n->box.h : 0.0f;
}

int32_t scene_snapshot(void) {
  __builtin_memcpy(fp_previous, fp_nodes, (uint32_t)fp_count * sizeof(fp_node));
  return fp_count;
}

int32_t node_moved(int32_t id) {
  fp_node *n = fp_node_at(id);
  if (!n) return -1;
  const fp_box *a = &n->box, *b = &fp_previous[id].box;
  return a->x != b->x || a->y != b->y || a->w != b->w || a->h != b->h;
}

static int contains(const fp_box *b, float x, float y) {
  return x >= b->x && y >= b->y && x < b->x + b->w && y < b->y + b->h;
}

int32_t hit_test(int32_t xy) {
  /* Two signed 16-bit lanes: sign-extend each half. */
  float x = (float)(int16_t)xy;
  float y = (float)(xy >> 16);
  if (fp_count == 0 || !contains(&fp_nodes[0].box, x, y)) return -1;
  int32_t hit = 0;
  for (;;) {
    int32_t next = -1;
    for (int32_t c = fp_nodes[hit].first_child; c >= 0; c = fp_nodes[c].next_sibling)
      if (contains(&fp_nodes[c].box, x, y)) next = c; /* later siblings paint on top */
    if (next < 0) return hit;
    hit = next;
  }
}

uint32_t scene_hash(void) {
  return hash_bytes((const uint8_t *)fp_nodes, fp_count * (int32_t)sizeof(fp_node));
}
