// fleetpack: per-device-profile build and packaging of a WebAssembly engine and its app JS.
// Thin front end: CLI11 flags -> library call -> diagnostics -> exit code (DESIGN.md "Exit codes").
#include <cstdio>
#include <functional>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{
      "fleetpack " FLEETPACK_VERSION
      ": validate, lower, optimize, budget-check and package a WebAssembly engine per device profile"};
  app.set_version_flag("--version", "fleetpack " FLEETPACK_VERSION);
  app.require_subcommand(1);
  std::function<int()> run;
  fleetpack::cli::register_commands(app, run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr,
                 "fleetpack: error: %s\n  hint: run `fleetpack --help` or `fleetpack COMMAND --help`\n",
                 e.what());
    return 2;  // usage error
  }
  return run ? run() : 2;
}
