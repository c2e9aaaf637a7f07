// Runs a job in a forked child process. Binaryen exits the process on malformed input and internal
// asserts, and its optimize levels are process-global (DESIGN.md, facts): a child per job turns a Binaryen
// death into a diagnostic and keeps settings of concurrent jobs apart.
#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/file_io.h"

namespace fleetpack {

struct WorkerOutcome {
  enum class Status { Ok, JobFailed, Crashed, TimedOut } status = Status::Ok;
  Bytes output;        ///< what the job produced (Ok only)
  std::string reason;  ///< "killed by signal 6 (Aborted)", "exited with status 1", the job's own error
  std::string log;     ///< the tail of what the child printed (Binaryen writes its fatal errors there)
  double seconds =
      0;  ///< how long the job ran in the child (Ok only): its own time, whenever it was collected
};

/// A job computes output bytes, or returns false and sets `error`. It runs in the child, so it may call
/// libraries that exit or crash.
using WorkerJob = std::function<bool(Bytes& output, std::string& error)>;

struct WorkerTask {
  std::string label;
  WorkerJob job;
};

/// Runs every task in its own child, at most `jobs` at a time; outcomes in task order. A task that
/// crashes or times out fails alone.
std::vector<WorkerOutcome> run_workers(const std::vector<WorkerTask>& tasks, int jobs,
                                       std::chrono::milliseconds timeout);

/// As run_workers, but hands each outcome to `done` (in this process) as its task ends, after starting the
/// tasks waiting for a slot: the caller works on one result while the other tasks run.
void run_workers_each(const std::vector<WorkerTask>& tasks, int jobs, std::chrono::milliseconds timeout,
                      const std::function<void(size_t, WorkerOutcome)>& done);

/// Forks, runs `job` in the child, and collects its output. `label` names the job in fault injection: when
/// the environment variable FLEETPACK_TEST_WORKER_FAULT equals the label (or is `*`: every worker), the
/// child aborts before running the job (the tests' way to make Binaryen "die" on demand, or to prove that a
/// build started no worker at all).
WorkerOutcome run_in_worker(const std::string& label, const WorkerJob& job,
                            std::chrono::milliseconds timeout);

/// A worker started now and collected later, so that the build goes on while it runs (a wasm2js run keeps
/// about 1.6 of 2 cores busy for seconds, and the build has other work). The timeout counts from the start.
/// A worker never waited for is killed with its process group when this object goes away.
class BackgroundWorker {
 public:
  BackgroundWorker(const std::string& label, const WorkerJob& job, std::chrono::milliseconds timeout);
  ~BackgroundWorker();
  BackgroundWorker(const BackgroundWorker&) = delete;
  BackgroundWorker& operator=(const BackgroundWorker&) = delete;

  /// Blocks until the worker ends (or is stopped at its timeout); the outcome, once.
  WorkerOutcome wait();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace fleetpack
