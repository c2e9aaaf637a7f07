// verify-fallback: run the JS fallback against the Wasm.
#include "cli/commands.h"

namespace fleetpack::cli {

void register_fallback_commands(CLI::App& app, std::function<int()>& run) {}

}  // namespace fleetpack::cli
