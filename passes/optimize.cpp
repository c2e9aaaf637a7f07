// optimize: Binaryen at the requested level, in a worker process (Binaryen exits the process on internal
// errors, and its levels are process-global). Its features are set to exactly those the input uses, so
// it introduces nothing new; lowering for older VMs runs on its output. The output is validated by wabt
// again before any later step trusts it.
#include <optional>

#include <fmt/format.h>

#include "base/binaryen_adapter.h"
#include "base/worker.h"
#include "passes/registry.h"

namespace fleetpack {

namespace {

/// The worker task for one context, or nullopt after reporting a bad level.
std::optional<WorkerTask> make_task(StepContext& ctx) {
  if (!ctx.module) return std::nullopt;
  auto level = parse_optimize_level(ctx.optimize_level);
  if (!level) {
    ctx.diags.error(ErrorKind::Usage, Location::file_only(ctx.input_file),
                    fmt::format("unknown optimize level '{}'", ctx.optimize_level), "use O0..O4, Os or Oz");
    return std::nullopt;
  }
  // Exactly the features the module uses (the input's, or after lowering-first what is left).
  FeatureSet used;
  if (ctx.optimize_features) {
    used = *ctx.optimize_features;
  } else {
    for (const auto& u : ctx.input_features) used.add(u.feature);
  }
  BinaryenOptimizeSettings settings{*level, used, /*keep_names=*/true};
  const Bytes* input = &ctx.module->bytes;  // stays alive until the workers are collected
  return WorkerTask{"optimize " + level->name, [input, settings](Bytes& output, std::string& error) {
                      return binaryen_optimize(*input, settings, output, error);
                    }};
}

bool finish(StepContext& ctx, WorkerOutcome out) {
  if (out.status != WorkerOutcome::Status::Ok) {
    std::string what = out.status == WorkerOutcome::Status::JobFailed  ? "Binaryen rejected the module"
                       : out.status == WorkerOutcome::Status::TimedOut ? "Binaryen's optimizer timed out"
                                                                       : "Binaryen's optimizer died";
    std::string log =
        out.log.empty() || out.status == WorkerOutcome::Status::JobFailed ? "" : "; its output: " + out.log;
    ctx.diags.error(
        ErrorKind::Internal, Location::file_only(ctx.input_file),
        fmt::format("{} while optimizing at {} for {}: {}{}", what, ctx.optimize_level, ctx.subject(),
                    out.reason, log),
        "this is a Binaryen failure, not a problem in your module; try another optimize.level and "
        "report the module to fleetpack");
    return false;
  }
  auto optimized = load_module(ctx.input_file + " (optimized)", std::move(out.output), ctx.diags);
  if (!optimized) {
    ctx.diags.error(ErrorKind::Internal, Location::file_only(ctx.input_file),
                    fmt::format("Binaryen's output at {} does not validate", ctx.optimize_level),
                    "this is a Binaryen bug; try another optimize.level");
    return false;
  }
  ctx.module = std::move(optimized);
  return true;
}

}  // namespace

std::vector<bool> run_optimize_batch(const std::vector<StepContext*>& contexts, int jobs,
                                     const std::function<void(size_t, bool)>& ready) {
  std::vector<bool> ok(contexts.size(), false);
  std::vector<WorkerTask> tasks;
  std::vector<size_t> task_of;  // task index -> context index
  for (size_t i = 0; i < contexts.size(); ++i) {
    if (auto task = make_task(*contexts[i])) {
      tasks.push_back(std::move(*task));
      task_of.push_back(i);
    } else if (ready) {
      ready(i, false);
    }
  }
  if (tasks.empty()) return ok;
  run_workers_each(tasks, jobs, contexts[task_of[0]]->worker_timeout, [&](size_t t, WorkerOutcome outcome) {
    const size_t i = task_of[t];
    ok[i] = finish(*contexts[i], std::move(outcome));
    if (ready) ready(i, ok[i]);
  });
  return ok;
}

bool run_optimize(StepContext& ctx) { return run_optimize_batch({&ctx}, 1).front(); }

}  // namespace fleetpack
