// The subcommands: each maps its flags to a library call and returns the exit code. No Binaryen, wabt or
// yaml-cpp here (DESIGN.md "Layout").
#pragma once
#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "base/diagnostic.h"

namespace fleetpack::cli {

/// Prints every diagnostic to stderr (coloured on a terminal) and returns the exit code they imply.
int finish(const Diagnostics& diags);
/// Writes `s` to stdout as is.
void print(const std::string& s);

/// Registers every subcommand on `app`; `run` is set to the chosen command's action.
void register_commands(CLI::App& app, std::function<int()>& run);

// Groups of subcommands, one file each (commands.cpp calls them from register_commands).
void register_release_commands(CLI::App& app, std::function<int()>& run);   ///< cli/release_commands.cpp
void register_cache_commands(CLI::App& app, std::function<int()>& run);     ///< cli/cache_commands.cpp
void register_fallback_commands(CLI::App& app, std::function<int()>& run);  ///< cli/fallback_commands.cpp

}  // namespace fleetpack::cli
