// keygen, verify, delta: signing and checking releases (issue: releases).
#include "cli/commands.h"

namespace fleetpack::cli {

void register_release_commands(CLI::App& app, std::function<int()>& run) {}

}  // namespace fleetpack::cli
