// Fuzz target for the module reader: wabt validation, our scan and limits, and feature detection.
// Any input must give a module or diagnostics, never a crash, hang or unbounded allocation.
#include <cstddef>
#include <cstdint>

#include "base/wasm_module.h"
#include "passes/registry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fleetpack::Diagnostics diags;
  auto module = fleetpack::load_module("fuzz.wasm", fleetpack::Bytes(data, data + size), diags);
  if (module) fleetpack::detect_features(*module);
  return 0;
}
