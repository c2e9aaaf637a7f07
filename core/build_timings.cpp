#include "core/build_timings.h"

#include <algorithm>

#include <fmt/format.h>

namespace fleetpack {

void BuildTimings::add(const std::string& stage, double seconds) {
  auto it =
      std::find_if(stages_.begin(), stages_.end(), [&](const StageTime& s) { return s.stage == stage; });
  if (it == stages_.end()) it = stages_.insert(stages_.end(), StageTime{stage, 0, 0});
  it->seconds += seconds;
  ++it->runs;
}

std::string render_timings(const BuildTimings& timings, double total_seconds) {
  size_t width = 5;
  for (const auto& s : timings.stages()) width = std::max(width, s.stage.size());
  std::string out = fmt::format("{:<{}}  {:>5}  {:>9}  {:>6}\n", "stage", width, "runs", "seconds", "share");
  // zstd and wasm2js last: their time overlaps the stages above (zstd is inside measure, budgets and
  // release; wasm2js runs in the background).
  std::vector<StageTime> rows = timings.stages();
  std::stable_partition(rows.begin(), rows.end(),
                        [](const StageTime& s) { return s.stage != kZstdStage && s.stage != kWasm2jsStage; });
  for (const auto& s : rows)
    out += fmt::format("{:<{}}  {:>5}  {:>9.3f}  {:>5.1f}%\n", s.stage, width, s.runs, s.seconds,
                       total_seconds > 0 ? 100.0 * s.seconds / total_seconds : 0.0);
  out += fmt::format("{:<{}}  {:>5}  {:>9.3f}\n", "build (wall)", width, "", total_seconds);
  return out;
}

}  // namespace fleetpack
