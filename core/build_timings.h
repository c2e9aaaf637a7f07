// Where a build's wall time went, for `fleetpack build --timings` and the fleet benchmark (bench/).
// Stages nest as the build runs them: each per-variant step by name, the Binaryen runs, the targets and
// budget checks, the release; zstd compression is counted on its own and also inside the stage that
// asked for it (measure, budgets, release), and wasm2js runs beside the other stages, so both are shown
// apart, not added to the total.
#pragma once
#include <chrono>
#include <string>
#include <vector>

namespace fleetpack {

struct StageTime {
  std::string stage;
  double seconds = 0;
  int runs = 0;
};

/// The stage zstd compressions are counted in; they also count in the stage that asked for them.
inline constexpr const char* kZstdStage = "zstd (also in the stages above)";
/// wasm2js's own run time: its runs go on in the background while the stages above run (the main thread's
/// wait for them is a stage of its own), so it is shown apart too.
inline constexpr const char* kWasm2jsStage = "wasm2js (background runs, beside the stages above)";

class BuildTimings {
 public:
  /// Adds one run of `stage` that took `seconds` (stages keep the order they first ran in).
  void add(const std::string& stage, double seconds);
  const std::vector<StageTime>& stages() const { return stages_; }

  /// Times a scope: adds its wall time to `stage` when it ends.
  class Scope {
   public:
    Scope(BuildTimings* t, std::string stage)
        : timings_(t), stage_(std::move(stage)), start_(std::chrono::steady_clock::now()) {}
    ~Scope() {
      if (timings_)
        timings_->add(stage_,
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
    }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    BuildTimings* timings_;
    std::string stage_;
    std::chrono::steady_clock::time_point start_;
  };

 private:
  std::vector<StageTime> stages_;
};

/// The table `--timings` prints: stage, runs, seconds, share of `total_seconds`.
std::string render_timings(const BuildTimings& timings, double total_seconds);

}  // namespace fleetpack
