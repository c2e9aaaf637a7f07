// Fuzz target for the profile loader: YAML parsing, the key table, extends resolution. Any text must give
// profiles or diagnostics; yaml-cpp's exceptions must never escape.
#include <cstddef>
#include <cstdint>
#include <string>

#include "profiles/profile_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fleetpack::Diagnostics diags;
  std::vector<fleetpack::ProfileSource> sources = fleetpack::builtin_profile_sources();
  sources.push_back({"fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size), false});
  fleetpack::load_profile_sources(sources, diags);
  return 0;
}
