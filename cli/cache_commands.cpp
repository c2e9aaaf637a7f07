// cache stats|prune: the local content store (base/content_store.h, docs/cache.md).
#include <optional>

#include <fmt/format.h>

#include "base/byte_size.h"
#include "base/content_store.h"
#include "cli/commands.h"

namespace fleetpack::cli {

namespace {

struct CacheArgs {
  std::string dir;
  std::string max_size;
};

/// The store's folder from --cache or the defaults; nullopt (after an error) when there is none.
std::optional<fs::path> store_dir(const CacheArgs& a, Diagnostics& diags) {
  auto dir = resolve_cache_dir(a.dir.empty() ? std::nullopt : std::optional<fs::path>(a.dir));
  if (!dir)
    diags.error(ErrorKind::Usage, Location{},
                "no content store folder: HOME, XDG_CACHE_HOME and FLEETPACK_CACHE "
                "are unset",
                "pass --cache DIR");
  return dir;
}

}  // namespace

void register_cache_commands(CLI::App& app, std::function<int()>& run) {
  auto args = std::make_shared<CacheArgs>();
  CLI::App* cache =
      app.add_subcommand("cache", "The local content store: what it holds, and keeping it bounded");
  cache->require_subcommand(1);
  const std::string dir_help =
      "the store (default: $FLEETPACK_CACHE, else $XDG_CACHE_HOME/fleetpack, else ~/.cache/fleetpack)";

  CLI::App* stats =
      cache->add_subcommand("stats", "Entries and bytes in the store, and hits and misses so far");
  stats->add_option("--cache", args->dir, dir_help);
  stats->callback([&run, args] {
    run = [args] {
      Diagnostics diags;
      if (auto dir = store_dir(*args, diags))
        if (auto s = store_stats(*dir, diags)) print(render_store_stats(*s));
      return finish(diags);
    };
  });

  CLI::App* prune =
      cache->add_subcommand("prune", "Remove the least recently used entries until the store fits a size");
  prune->add_option("--cache", args->dir, dir_help);
  prune->add_option("--max-size", args->max_size, "the size to fit: 500MiB, 2GB, 0 (empties the store)")
      ->required();
  prune->callback([&run, args] {
    run = [args] {
      Diagnostics diags;
      auto max = parse_byte_size(args->max_size);
      if (!max) {
        diags.error(ErrorKind::Usage, Location{},
                    fmt::format("--max-size: '{}' is not a size", args->max_size),
                    "write bytes or a unit: 750000, 500MiB, 2GB");
        return finish(diags);
      }
      if (auto dir = store_dir(*args, diags))
        if (auto r = prune_store(*dir, *max, diags)) print(render_prune_result(*r, *max));
      return finish(diags);
    };
  });
}

}  // namespace fleetpack::cli
