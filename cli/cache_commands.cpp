// cache stats|prune: the local content store.
#include "cli/commands.h"

namespace fleetpack::cli {

void register_cache_commands(CLI::App& app, std::function<int()>& run) {}

}  // namespace fleetpack::cli
