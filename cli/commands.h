// The subcommands: each maps its flags to a library call and returns the exit code. No Binaryen, wabt or
// yaml-cpp here (DESIGN.md "Layout").
#pragma once
#include <functional>

#include <CLI/CLI.hpp>

namespace fleetpack::cli {

/// Registers every subcommand on `app`; `run` is set to the chosen command's action.
void register_commands(CLI::App& app, std::function<int()>& run);

}  // namespace fleetpack::cli
