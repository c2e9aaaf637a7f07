// optimize: Binaryen at the requested level, in a worker process (Binaryen exits the process on internal
// errors, and its levels are process-global). Its features are set to exactly those the input uses, so
// it introduces nothing new; lowering for older VMs runs on its output. The output is validated by wabt
// again before any later step trusts it.
#include <fmt/format.h>

#include "base/binaryen_adapter.h"
#include "base/worker.h"
#include "passes/registry.h"

namespace fleetpack {

bool run_optimize(StepContext& ctx) {
  if (!ctx.module) return false;
  auto level = parse_optimize_level(ctx.optimize_level);
  if (!level) {
    ctx.diags.error(ErrorKind::Usage, Location::file_only(ctx.input_file),
                    fmt::format("unknown optimize level '{}'", ctx.optimize_level), "use O0..O4, Os or Oz");
    return false;
  }
  FeatureSet used;
  for (const auto& u : ctx.input_features) used.add(u.feature);
  BinaryenOptimizeSettings settings{*level, used, /*keep_names=*/true};
  const Bytes& input = ctx.module->bytes;
  WorkerOutcome out = run_in_worker(
      "optimize " + level->name,
      [&](Bytes& output, std::string& error) { return binaryen_optimize(input, settings, output, error); },
      ctx.worker_timeout);
  if (out.status != WorkerOutcome::Status::Ok) {
    std::string what = out.status == WorkerOutcome::Status::JobFailed  ? "Binaryen rejected the module"
                       : out.status == WorkerOutcome::Status::TimedOut ? "Binaryen's optimizer timed out"
                                                                       : "Binaryen's optimizer died";
    std::string log =
        out.log.empty() || out.status == WorkerOutcome::Status::JobFailed ? "" : "; its output: " + out.log;
    ctx.diags.error(
        ErrorKind::Internal, Location::file_only(ctx.input_file),
        fmt::format("{} while optimizing at {} for {}: {}{}", what, level->name, ctx.subject(), out.reason,
                    log),
        "this is a Binaryen failure, not a problem in your module; try another optimize.level and "
        "report the module to fleetpack");
    return false;
  }
  auto optimized = load_module(ctx.input_file + " (optimized)", std::move(out.output), ctx.diags);
  if (!optimized) {
    ctx.diags.error(ErrorKind::Internal, Location::file_only(ctx.input_file),
                    fmt::format("Binaryen's output at {} does not validate", level->name),
                    "this is a Binaryen bug; try another optimize.level");
    return false;
  }
  ctx.module = std::move(optimized);
  return true;
}

}  // namespace fleetpack
