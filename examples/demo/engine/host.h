/* Functions the host (the app's JS) provides to the engine, imported from module "env". */
#ifndef FLEETPACK_DEMO_HOST_H
#define FLEETPACK_DEMO_HOST_H

#include <stdint.h>

#define FP_IMPORT(name) __attribute__((import_module("env"), import_name(name)))

/* Events the engine reports through env.log_i32(event, value). */
enum fp_log_event {
  FP_LOG_NOT_INITIALIZED = 1, /* value: the function's own error code */
  FP_LOG_ARENA_FULL = 2,      /* value: the arena capacity */
  FP_LOG_BAD_NODE = 3,        /* value: the offending id */
  FP_LOG_OUT_OF_MEMORY = 4,   /* value: pages requested */
};

FP_IMPORT("log_i32") void host_log_i32(int32_t event, int32_t value);
/* A monotonic clock in milliseconds. */
FP_IMPORT("now_ms") double host_now_ms(void);

#endif
