// What every pipeline step sees: one context object (binaryen's PassRunner / mold's Context pattern).
// A step reads and replaces ctx.module, adds diagnostics, and returns false when the pipeline for this
// module must stop (the driver collects every failure before deciding the exit code).
#pragma once
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/features.h"
#include "base/js_fallback.h"
#include "base/wasm_module.h"
#include "profiles/profile.h"

namespace fleetpack {

/// A named part of a figure, for "what to cut" in budget failures.
struct Contributor {
  std::string what;  ///< "function 'layout_run'", "data segment 0", "section code", "app/main.js"
  uint64_t bytes = 0;
};

/// What the measure step finds in the module as it ships (DESIGN.md "Memory and size budgets"; the
/// definitions are in profiles/budget_figures.cpp). Figures that depend on a profile's engine settings
/// (code_memory_estimate, vm_memory, table_bytes) are derived per profile by check-budgets.
struct ModuleFigures {
  uint64_t wasm_bytes = 0;       ///< the module as it ships
  uint64_t wasm_zstd_bytes = 0;  ///< the same, zstd-compressed at `zstd_level`
  uint64_t linear_memory_initial = 0;
  std::optional<uint64_t> linear_memory_max;  ///< nullopt: no declared maximum (unbounded)
  bool has_memory = false;
  uint64_t table_elements = 0;                 ///< initial elements of every table
  std::optional<uint64_t> linear_memory_init;  ///< memory bytes after the init export (measure-init)
  std::optional<uint64_t> table_init;          ///< table elements after the init export
  uint64_t code_bytes = 0;                     ///< code section payload
  std::vector<Contributor> largest_functions;  ///< by body size, named from the name section before strip
  std::vector<Contributor> data_segments;      ///< by size
  std::vector<Contributor> sections;           ///< by size
};

/// fleetpack.yaml's `init:`: the export measure-init calls after instantiating the shipped module.
struct InitSettings {
  std::string export_name;                     ///< init.export
  std::vector<std::string> args;               ///< init.args: i32/i64/f32/f64 literals, as written
  std::map<std::string, std::string> imports;  ///< init.imports: "module.name" -> literal or "trap"
  std::chrono::milliseconds timeout{10000};    ///< init.timeout_ms
  Location where;                              ///< init.export in fleetpack.yaml, for diagnostics
};

/// The wabt IR a lower-* step leaves for the next one (passes/lowering.cpp).
struct LoweringIr;

struct StepContext {
  explicit StepContext(Diagnostics& d) : diags(d) {}

  std::string input_file;                  ///< the engine module's path, for diagnostics
  Bytes input_bytes;                       ///< read by the driver; `validate` turns it into `module`
  std::optional<WasmModule> module;        ///< the module as it stands after the previous step
  std::optional<WasmModule> input;         ///< the validated input's description (names, offsets, scan),
                                           ///< kept for diagnostics; without bytes (see input_bytes)
  std::optional<WasmModule> before_strip;  ///< the module just before strip, with its names (measure)
  std::string symbol_map;                  ///< written by strip: function index -> name of the shipped module
  std::vector<FeatureUse> input_features;  ///< what detect-features found in the input

  // Settings. The shared stage uses optimize_level; per-variant steps use profile.
  std::string optimize_level = "Os";
  const Profile* profile = nullptr;
  std::vector<std::string> profiles_sharing;  ///< shared stage: ids of the profiles this work serves
  std::optional<FeatureSet>
      optimize_features;  ///< features Binaryen gets, when not the input's (lower-first)
  int zstd_level = 19;
  /// measure's zstd: the size of `bytes` compressed at `level`; empty: zstd_compress. The build passes one
  /// that compresses each content once and keeps it for the release (core/build_cache.h, CompressedFiles).
  std::function<uint64_t(const Bytes& bytes, int level)> zstd_size;
  std::chrono::milliseconds worker_timeout{std::chrono::minutes(10)};
  std::optional<InitSettings> init;  ///< measure-init: the init export to run, when configured

  /// This context builds a JS fallback: `profile` is then a copy whose wasm.features are what wasm2js
  /// translates (wasm2js_features()), so the lower-* steps lower everything else, and the wasm2js step runs.
  bool build_fallback = false;
  std::optional<JsFallback> js_fallback;  ///< written by the wasm2js step

  ModuleFigures figures;
  /// Bytes each lowering added to the module (negative when it shrank), in the order they ran.
  std::vector<std::pair<Feature, int64_t>> lowering_costs;
  /// The IR the last lower-* step lowered, kept only while a later lower-* step of the pipeline applies
  /// to this context: that step takes it instead of reading `module` into wabt's IR again (the expensive
  /// part of a lowering). It carries the bytes it produced, so it is used only if `module` is still them.
  std::shared_ptr<LoweringIr> lowering_ir;
  Diagnostics& diags;

  /// "profile 'mvp'", "profiles 'a', 'b'" or the input file, for messages.
  std::string subject() const;
};

using StepFn = bool (*)(StepContext&);
/// Whether a step has work to do in a context; a step that has none is not run (nor counted by --timings).
using StepApplies = bool (*)(const StepContext&);

/// Which stage of DESIGN.md's two-stage build a step belongs to.
enum class StepStage {
  Shared,      ///< once per distinct input and optimize setting
  PerVariant,  ///< once per variant (profile, for now)
};

struct StepInfo {
  const char* name;         ///< kebab-case
  const char* description;  ///< one line, shown by --list-steps
  StepStage stage;
  StepFn run;
  StepApplies applies = nullptr;  ///< null: always; the step then decides itself and may do nothing
};

}  // namespace fleetpack
