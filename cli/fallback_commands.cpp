// verify-fallback: run a bundle's JS fallback against the engine's Wasm (core/verify_fallback.h).
#include <fmt/format.h>

#include "cli/commands.h"
#include "core/verify_fallback.h"

namespace fleetpack::cli {

namespace {

struct VerifyFallbackArgs {
  std::string release, profile, engine, calls, node = "node";
  size_t count = 2000;
  uint64_t seed = 1;
  size_t memory_every = 200;
  unsigned timeout = 600;
  std::vector<std::string> imports, skip;
};

int run_verify_fallback(const VerifyFallbackArgs& a) {
  Diagnostics diags;
  VerifyFallbackOptions o;
  o.release = a.release;
  o.profile = a.profile;
  o.engine = a.engine;
  if (!a.calls.empty()) o.calls = fs::path(a.calls);
  o.count = a.count;
  o.seed = a.seed;
  o.memory_every = a.memory_every;
  o.node = a.node;
  o.timeout = std::chrono::seconds(a.timeout);
  o.skip = a.skip;
  for (const auto& spec : a.imports) {
    size_t eq = spec.find('=');
    char* end = nullptr;
    if (eq != std::string::npos) std::strtod(spec.c_str() + eq + 1, &end);
    if (eq == std::string::npos || spec.find('.') > eq || !end || *end != '\0' || eq + 1 == spec.size()) {
      diags.error(ErrorKind::Usage, Location{}, fmt::format("bad --import '{}'", spec),
                  "write MODULE.NAME=NUMBER, e.g. --import env.now_ms=16.5");
      return finish(diags);
    }
    o.import_returns[spec.substr(0, eq)] = spec.substr(eq + 1);
  }
  auto result = verify_fallback(o, diags);
  if (result) {
    print(render_verify_fallback(*result));
    if (result->difference_count)
      diags.error(ErrorKind::CheckFailed, Location::file_only(a.release),
                  fmt::format("profile '{}': the fallback differs from the Wasm in {} place(s)", a.profile,
                              result->difference_count),
                  "see the differences above; docs/fallback.md lists what wasm2js cannot reproduce");
  }
  return finish(diags);
}

}  // namespace

void register_fallback_commands(CLI::App& app, std::function<int()>& run) {
  auto a = std::make_shared<VerifyFallbackArgs>();
  CLI::App* cmd = app.add_subcommand(
      "verify-fallback",
      "Run a bundle's JS fallback against the engine's Wasm: node, node --jitless and Duktape, same calls");
  cmd->add_option("release", a->release, "the release folder (<out>/<app>/<version>)")->required();
  cmd->add_option("-p,--profile", a->profile, "the profile whose bundle to check (target js or auto)")
      ->required();
  cmd->add_option("--engine", a->engine, "the reference module: the engine as compiled (.wasm)")->required();
  cmd->add_option("--calls", a->calls,
                  "JSON call list [{\"export\": NAME, \"args\": [...]}] (default: generated calls)");
  cmd->add_option("--count", a->count, "how many calls to generate")->capture_default_str();
  cmd->add_option("--seed", a->seed, "seed of the generated calls")->capture_default_str();
  cmd->add_option("--skip", a->skip, "an export generated calls leave out (repeatable)");
  cmd->add_option("--import", a->imports, "MODULE.NAME=NUMBER: what an import stub returns (default 0)");
  cmd->add_option("--memory-every", a->memory_every, "compare memories and globals every N calls")
      ->capture_default_str();
  cmd->add_option("--node", a->node, "the node executable")->capture_default_str();
  cmd->add_option("--timeout", a->timeout, "seconds each run may take before it is killed and reported")
      ->capture_default_str();
  cmd->footer(
      "Exit codes: 0 no difference, 1 a difference (or the fallback fails in Duktape), 2 usage error, 3 "
      "unreadable release or module.");
  cmd->callback([&run, a] { run = [a] { return run_verify_fallback(*a); }; });
}

}  // namespace fleetpack::cli
