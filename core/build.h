// `fleetpack build`: config + profiles -> one optimized, stripped, checked engine per profile, written
// atomically under <out>/<app>/<version>/<profile>/ (DESIGN.md "Data flow").
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/content_store.h"
#include "base/diagnostic.h"
#include "base/features.h"
#include "base/file_io.h"
#include "core/build_timings.h"
#include "passes/check_budgets.h"

namespace fleetpack {

struct BuildOptions {
  std::optional<fs::path> config;  ///< fleetpack.yaml; the flags below override it or stand alone
  std::optional<fs::path> engine;
  std::vector<fs::path> js;
  std::vector<std::string> profiles;   ///< --profile ids (replace the config's select)
  std::vector<fs::path> profile_dirs;  ///< --profiles folders (added to the config's)
  std::optional<fs::path> out;
  std::optional<fs::path> devices;  ///< device map CSV; overrides the config's `devices:`
  std::optional<std::string> app;
  std::optional<std::string> version;
  int jobs = 1;         ///< Binaryen workers at a time (--jobs)
  CacheSettings cache;  ///< the content store and remote cache (docs/cache.md); default: none
  bool write_release = true;
  std::optional<fs::path> sign_key;  ///< --sign: minisign secret key (overrides release.signing_key)
  bool archive = false;              ///< --archive: also write <out>/<app>/<version>.tar.zst
  /// Called with what the build is doing as it moves from stage to stage (cli shows it on a terminal).
  std::function<void(const std::string&)>
      progress;  ///< false for `fleetpack check`: everything but writing the release
};

/// One line of the result table.
struct BuildRow {
  std::string profile;
  std::string optimize_level;
  std::string variant;  ///< the variant key's first 12 hex digits
  FeatureSet profile_features;
  bool ok = false;
  uint64_t input_bytes = 0;                                 ///< the engine as given
  uint64_t optimized_bytes = 0;                             ///< as shipped: optimized and stripped
  uint64_t zstd_bytes = 0;                                  ///< as shipped, zstd-compressed
  std::vector<std::pair<Feature, int64_t>> lowering_costs;  ///< bytes each lowering added
  std::map<std::string, std::optional<uint64_t>>
      figures;                        ///< every budget figure (nullopt: unbounded/unmeasured)
  std::vector<BudgetResult> budgets;  ///< the profile's budgets, checked
  bool budgets_ok = true;
};

struct BuildResult {
  std::string app, version;
  std::string engine;           ///< the input module's path
  FeatureSet engine_features;   ///< what the input uses
  std::vector<BuildRow> rows;   ///< one per selected profile, in selection order
  size_t variant_count = 0;     ///< distinct variants the profiles formed
  fs::path release_dir;         ///< <out>/<app>/<version>
  bool published = false;       ///< the release was written (only when every profile succeeded)
  bool write_requested = true;  ///< false for `fleetpack check`
  bool cache_enabled = false;   ///< a content store or remote cache was in use
  CacheCounters cache;          ///< what it did: hits, misses, corrupt entries
  BuildTimings timings;         ///< where the wall time went (`build --timings`)
};

/// Runs the build. Errors go to `diags` (the exit code follows from them); on any error nothing is written.
BuildResult run_build(const BuildOptions& options, Diagnostics& diags);

/// `fleetpack plan`: loads and plans like build, without optimizing or writing. Text or JSON.
std::optional<std::string> render_build_plan(const BuildOptions& options, bool json, Diagnostics& diags);
/// `fleetpack profiles device MODEL`: the model's profile, the device-map line, and the extends chain.
std::optional<std::string> explain_device(const BuildOptions& options, const std::string& model,
                                          Diagnostics& diags);

/// The result table for terminals.
std::string render_build_table(const BuildResult& result);
/// One line for CI logs (--quiet): app, version, profiles and variants, how many are ok, over budget and
/// failed, and where the release went, e.g.
/// "demo 1.0.0: 5 profiles in 4 variants: 5 ok, 0 over budget, 0 failed; written to dist/demo/1.0.0".
std::string render_build_summary(const BuildResult& result);
/// The same as JSON ({"schema": "fleetpack.build-report/1", ...}), see docs/build-report.md.
std::string render_build_json(const BuildResult& result);
/// JUnit XML (tests/schemas/junit.xsd): one <testsuite> per profile, one <testcase> for its build and one per
/// budget; the build failure carries the errors of `diags` that name the profile. Deterministic (time="0").
std::string render_build_junit(const BuildResult& result, const Diagnostics& diags);
/// Markdown for a pull-request comment: the profiles table and every exceeded budget with its contributors.
std::string render_build_markdown(const BuildResult& result);

}  // namespace fleetpack
