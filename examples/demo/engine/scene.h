/* The scene graph's in-memory representation, shared by scene.c and layout.c (not exported). */
#ifndef FLEETPACK_DEMO_SCENE_H
#define FLEETPACK_DEMO_SCENE_H

#include <stdint.h>

enum { FP_TOP = 0, FP_RIGHT = 1, FP_BOTTOM = 2, FP_LEFT = 3 };

typedef struct fp_style {
  float width, height; /* < 0: auto (content size, or stretched on the cross axis) */
  float grow;          /* share of the parent's free main-axis space; > 0 implies a 0 basis */
  float padding[4];    /* FP_TOP, FP_RIGHT, FP_BOTTOM, FP_LEFT */
  float margin[4];
  float gap; /* between children on the main axis */
  uint8_t direction, justify, align, reserved;
} fp_style;

typedef struct fp_box {
  float x, y, w, h;
} fp_box;

typedef struct fp_node {
  int32_t parent, first_child, last_child, next_sibling; /* -1: none */
  fp_style style;
  float measured_w, measured_h; /* intrinsic border-box size, from the measure pass */
  fp_box box;                   /* absolute, from the placement pass */
} fp_node;

/* The arena: `capacity` nodes at `fp_nodes`, a same-sized snapshot area at `fp_previous`, both
 * in memory grown by engine_init. */
extern fp_node *fp_nodes;
extern fp_node *fp_previous;
extern int32_t fp_capacity;
extern int32_t fp_count;

/* The node for an id, or 0 (after logging) when the id is not a live node. */
fp_node *fp_node_at(int32_t id);

#endif
