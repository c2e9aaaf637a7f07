// The build's use of the content store (base/content_store.h): which results it keeps and under which
// keys (docs/cache.md).
//   optimize  one Binaryen run: key = sha256 of the module given to Binaryen, the optimize level, the
//             features Binaryen gets, Binaryen's build-id (+ fleetpack's version and build-id, which every
//             key has). Output: the optimized module.
//   variant   one variant's engine as shipped: key = the variant's settings (DESIGN.md "Plan": engine
//             sha256, the output-affecting profile settings, lowered features) without the app files,
//             plus fleetpack.yaml's `init:` (measure-init), Binaryen's build-id and libzstd's version.
//             Outputs: the shipped module, its symbol map, and result.json (figures and lowering costs).
//             Variants of targets js and auto also store their JS fallback (fallback.js, fallback.json:
//             wasm2js's code and the interface the wrapper gives it), so a rebuild runs no wasm2js.
//   input     validate + detect-features of the engine: key = its SHA-256. Output: the features it uses.
//   zstd      a file compressed at one level: key = the file's SHA-256, the level, libzstd's version.
//             Output: the compressed bytes. Not counted in the build's cache line (CompressedFiles).
// A variant found in the store skips both stages: no lowering, no Binaryen, no measuring; when every
// variant is found, the input is not even validated again.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/content_store.h"
#include "base/js_fallback.h"
#include "core/build_timings.h"
#include "core/plan.h"
#include "passes/step.h"

namespace fleetpack {

/// validate + detect-features of the input (ctx.input_bytes) through the store: an input with the same
/// SHA-256 that this fleetpack build validated before is not validated again, its features come from the
/// store, and ctx.module/ctx.input stay empty until ensure_validated (a stage that misses needs them).
/// False after errors (a failed validation is never stored).
bool validate_and_detect_cached(ContentStore& store, StepContext& ctx);
/// Validates ctx.input_bytes into ctx.module and ctx.input when validate_and_detect_cached skipped it.
bool ensure_validated(StepContext& ctx);

/// run_optimize_batch (passes/registry.h) through the store: contexts whose result is stored get it
/// without a Binaryen worker; the others are optimized and their results stored.
std::vector<bool> run_optimize_batch_cached(ContentStore& store, const std::vector<StepContext*>& contexts,
                                            int jobs, const std::function<void(size_t, bool)>& ready = {});

/// What the per-variant stage produced, as the build keeps it.
struct StoredVariant {
  ModuleFigures figures;
  std::vector<std::pair<Feature, int64_t>> lowering_costs;
  /// As shipped (target js: the module the fallback was made of). Trusted by its hash (this fleetpack
  /// build validated it before storing it): only `file`, `bytes` and `scan` are set, no wabt IR and no
  /// description (re-reading a 1 MB module with wabt cost most of a no-change rebuild). Enough for the
  /// targets and the release, which need its bytes and its features (below).
  WasmModule engine;
  FeatureSet engine_features;  ///< what `engine` uses (detect_features when it was stored)
  std::string symbol_map;
  std::optional<JsFallback> fallback;  ///< targets js and auto
};

std::string variant_action_key(const Variant& variant, const std::optional<InitSettings>& init);
/// The stored result of a variant, or nullopt (a miss, or an entry that does not load). With
/// `with_fallback` (targets js and auto) an entry without a JS fallback is a miss.
std::optional<StoredVariant> load_variant(ContentStore& store, const std::string& key,
                                          const std::string& input_file, bool with_fallback,
                                          Diagnostics& diags);
/// Stores one variant's result (after a successful PerVariant pipeline, and for targets js/auto after its
/// fallback was built): the shipped module, what it uses (`engine_features`: detect_features of it),
/// symbol map, figures and lowering costs, and the JS fallback when there is one. Variants that share one
/// engine store it under each of their keys, each with its own figures.
void store_variant(ContentStore& store, const std::string& key, const WasmModule& engine,
                   const std::string& symbol_map, const ModuleFigures& figures,
                   const std::vector<std::pair<Feature, int64_t>>& lowering_costs, const JsFallback* fallback,
                   const std::vector<FeatureUse>& engine_features, Diagnostics& diags);

/// The interface part of a JS fallback (everything but its code) as JSON, and back (nullopt when the
/// text does not parse). Exposed for the unit tests.
std::string fallback_interface_to_json(const JsFallback& fb);
std::optional<JsFallback> fallback_interface_from_json(const std::string& text);

/// zstd-compressed forms of files for one build: each (content, level) compressed once per run, and kept
/// in the store (key: the content's SHA-256, the level, libzstd's version), so a rebuild compresses
/// nothing. Store lookups here do not count in the build's cache line (it counts stages of the engine).
class CompressedFiles {
 public:
  CompressedFiles(ContentStore& store, Diagnostics& diags);
  ~CompressedFiles();  // stops the background thread, if any
  CompressedFiles(const CompressedFiles&) = delete;
  CompressedFiles& operator=(const CompressedFiles&) = delete;
  /// `bytes` (whose SHA-256 hex is `sha`) compressed at `level`.
  const Bytes& get(const std::string& sha, const Bytes& bytes, int level);
  /// One file to compress at one level, for prefetch. `bytes` must outlive the call.
  struct Request {
    std::string sha;
    const Bytes* bytes;
    int level;
  };
  /// Gets every request ready, compressing the ones neither done nor stored on up to `threads` threads:
  /// a fleet's budgets need its large files (JS fallbacks, engines) at several levels, and each
  /// compression is single-threaded. Output is the same as `get` one by one.
  void prefetch(const std::vector<Request>& requests, int threads);
  /// Compresses `r` on one background thread while the caller goes on: a fleet's engines are compressed
  /// as their groups are done, beside Binaryen's last runs and the next groups' lowerings. The thread
  /// runs only on otherwise idle cores (SCHED_IDLE). The next get or prefetch first collects its work:
  /// what it had not started is left to them, to share among their threads; a compression it cannot
  /// finish because other work takes every core is cancelled and done by them too. `owner` keeps
  /// `*r.bytes` alive and unchanged for the thread, which may outlive this object (null only for bytes
  /// that live as long as the process).
  void compress_in_background(const Request& r, std::shared_ptr<const void> owner);
  /// Compressions (not store hits) are timed as the stage "zstd" there.
  void time_into(BuildTimings* timings) { timings_ = timings; }

 private:
  ContentStore& store_;
  BuildTimings* timings_ = nullptr;
  Diagnostics& diags_;
  std::map<std::pair<std::string, int>, Bytes> done_;
  struct Background;
  std::shared_ptr<Background> background_;  // shared with its thread
  void collect_background();
  std::optional<Bytes> stored(const std::string& sha, int level);
  void store(const std::string& sha, int level, const Bytes& z);
};

/// The ES5 check (base/es5_check.h) of a generated file, remembered in the store when it passed without a
/// word: a no-change rebuild of an es5 fleet would otherwise compile its JS fallback in Duktape again
/// (13 MB for resvg: about 3 s). Failures and warnings are never remembered, so they are always reported.
bool check_es5_cached(ContentStore& store, const std::string& name, const std::string& sha, const Bytes& text,
                      Diagnostics& diags);

/// Serialization of the figures (exposed for the unit tests): JSON, every field.
std::string figures_to_json(const ModuleFigures& f, const std::vector<std::pair<Feature, int64_t>>& costs);
bool figures_from_json(const std::string& text, ModuleFigures& f,
                       std::vector<std::pair<Feature, int64_t>>& costs);

}  // namespace fleetpack
