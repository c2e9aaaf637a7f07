/* fleetpack demo engine: the public (exported) API.
 *
 * A small UI engine of the kind a streaming app offloads to WebAssembly: a scene graph held in a
 * fixed-capacity arena in linear memory, a flexbox-like layout pass, and a few pure helpers
 * (color math, pixel snapping, easing, hashing).
 *
 * Freestanding C (no libc). Every function declared here is exported from the module under the
 * same name (export_name attribute), so the link needs no --export flags for them.
 *
 * Conventions: node ids are indexes into the arena (the root is 0); functions taking an id
 * return -1 (or 0.0f for float getters) when the id is invalid. Sizes below 0 mean "auto".
 */
#ifndef FLEETPACK_DEMO_ENGINE_H
#define FLEETPACK_DEMO_ENGINE_H

#include <stdint.h>

#define FP_EXPORT(name) __attribute__((export_name(name)))

/* Style enums, as the integers the setters take. */
enum fp_direction { FP_ROW = 0, FP_COLUMN = 1 };
enum fp_justify { FP_JUSTIFY_START = 0, FP_JUSTIFY_CENTER = 1, FP_JUSTIFY_END = 2, FP_JUSTIFY_SPACE_BETWEEN = 3 };
enum fp_align { FP_ALIGN_START = 0, FP_ALIGN_CENTER = 1, FP_ALIGN_END = 2, FP_ALIGN_STRETCH = 3 };

/* ---- lifetime ---------------------------------------------------------------------------- */

/* Reserves room for `capacity` nodes (current frame + previous-frame snapshot) by growing linear
 * memory, so the memory the engine reaches at start-up is larger than the module's initial memory.
 * Returns the capacity in effect, or -1 if memory could not grow. Calling it again with a capacity
 * that fits keeps the arena. */
FP_EXPORT("engine_init") int32_t engine_init(int32_t capacity);
/* 0xMMmmpp: major, minor, patch. */
FP_EXPORT("engine_version") int32_t engine_version(void);

/* ---- scene graph (scene.c) --------------------------------------------------------------- */

/* Clears the arena and creates the root node (id 0) with a fixed width x height. Returns 0, or
 * -1 before engine_init. */
FP_EXPORT("scene_create") int32_t scene_create(float width, float height);
/* Appends a child to `parent` (last in its child list). Returns the new id or -1 (arena full,
 * bad parent). A child's id is always greater than its parent's: layout relies on it. */
FP_EXPORT("node_add") int32_t node_add(int32_t parent);
FP_EXPORT("node_count") int32_t node_count(void);
FP_EXPORT("node_parent") int32_t node_parent(int32_t id);
FP_EXPORT("node_first_child") int32_t node_first_child(int32_t id);
FP_EXPORT("node_next_sibling") int32_t node_next_sibling(int32_t id);

/* Style setters: 0 on success, -1 on a bad id. */
FP_EXPORT("node_set_direction") int32_t node_set_direction(int32_t id, int32_t direction);
FP_EXPORT("node_set_justify") int32_t node_set_justify(int32_t id, int32_t justify);
FP_EXPORT("node_set_align") int32_t node_set_align(int32_t id, int32_t align);
FP_EXPORT("node_set_size") int32_t node_set_size(int32_t id, float width, float height);
FP_EXPORT("node_set_grow") int32_t node_set_grow(int32_t id, float grow);
FP_EXPORT("node_set_padding")
int32_t node_set_padding(int32_t id, float top, float right, float bottom, float left);
FP_EXPORT("node_set_margin")
int32_t node_set_margin(int32_t id, float top, float right, float bottom, float left);
FP_EXPORT("node_set_gap") int32_t node_set_gap(int32_t id, float gap);

/* Computed boxes (absolute, in scene coordinates), valid after layout_run. */
FP_EXPORT("node_get_x") float node_get_x(int32_t id);
FP_EXPORT("node_get_y") float node_get_y(int32_t id);
FP_EXPORT("node_get_w") float node_get_w(int32_t id);
FP_EXPORT("node_get_h") float node_get_h(int32_t id);

/* Copies the whole node array aside, so node_moved can tell what the next layout changed. */
FP_EXPORT("scene_snapshot") int32_t scene_snapshot(void);
/* 1 if the node's box differs from the last snapshot, 0 if not, -1 on a bad id. */
FP_EXPORT("node_moved") int32_t node_moved(int32_t id);
/* Deepest node under a point given as two int16 lanes packed in one i32: x in the low half, y in
 * the high half (how pointer remotes report positions). Later siblings are on top. -1 if none. */
FP_EXPORT("hit_test") int32_t hit_test(int32_t xy);
/* FNV-1a hash over the node array: changes whenever any style or box changes. */
FP_EXPORT("scene_hash") uint32_t scene_hash(void);

/* ---- layout (layout.c) ------------------------------------------------------------------- */

/* Measures every node bottom-up, then places every node top-down. With snap != 0, box edges are
 * rounded to whole pixels (snap_px), so neighbours never overlap or leave hairline gaps.
 * Returns the number of nodes laid out, -1 before scene_create. */
FP_EXPORT("layout_run") int32_t layout_run(int32_t snap);
/* Milliseconds the last layout_run took, from the host clock (env.now_ms). */
FP_EXPORT("layout_last_ms") double layout_last_ms(void);

/* ---- pure helpers (gfx.c, hash.c) -------------------------------------------------------- */

/* Linear blend of two 0xAARRGGBB colors, per channel: a + (b - a) * t / 255, t clamped to 0..255. */
FP_EXPORT("color_blend") uint32_t color_blend(uint32_t a, uint32_t b, int32_t t);
/* Entry `index` of the built-in theme (0 background, 1 surface, 2 tile, 3 tile focused, 4 text,
 * 5 accent), 0 when out of range. */
FP_EXPORT("theme_color") uint32_t theme_color(int32_t index);
/* Adds four signed int8 offsets (packed like the color: 0xAARRGGBB lanes) to a color, each
 * channel clamped to 0..255. */
FP_EXPORT("color_shift") uint32_t color_shift(uint32_t color, int32_t delta);
/* Rounds a coordinate to a whole pixel (half up), saturating: NaN -> 0, out of range -> INT32
 * limits, never a trap. */
FP_EXPORT("snap_px") int32_t snap_px(float v);
/* Cubic ease-in-out on t clamped to [0, 1] (NaN -> 0). */
FP_EXPORT("ease_in_out") float ease_in_out(float t);
/* 32-bit FNV-1a over len bytes at ptr (a linear-memory offset). */
FP_EXPORT("hash_bytes") uint32_t hash_bytes(const uint8_t *ptr, int32_t len);
/* A scratch buffer in linear memory the host can fill before calling hash_bytes. */
FP_EXPORT("scratch_ptr") uint8_t *scratch_ptr(void);
FP_EXPORT("scratch_size") int32_t scratch_size(void);

#endif
