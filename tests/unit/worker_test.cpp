// base/worker: a job's output comes back; a crash, an exit and a hang become outcomes, not our death.
#include "base/worker.h"

#include <cstdio>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <thread>
#include <unistd.h>

namespace fleetpack {
namespace {

using namespace std::chrono_literals;

TEST(Worker, ReturnsOutput) {
  auto out = run_in_worker(
      "t",
      [](Bytes& o, std::string&) {
        o = {1, 2, 3};
        return true;
      },
      10s);
  EXPECT_EQ(out.status, WorkerOutcome::Status::Ok);
  EXPECT_EQ(out.output, (Bytes{1, 2, 3}));
}

TEST(Worker, JobFailureCarriesItsMessage) {
  auto out = run_in_worker(
      "t",
      [](Bytes&, std::string& e) {
        e = "no good";
        return false;
      },
      10s);
  EXPECT_EQ(out.status, WorkerOutcome::Status::JobFailed);
  EXPECT_EQ(out.reason, "no good");
}

TEST(Worker, CrashIsReportedWithItsSignal) {
  auto out = run_in_worker(
      "t",
      [](Bytes&, std::string&) -> bool {
        // SIGABRT, as an assert in Binaryen raises. (AddressSanitizer builds turn SIGSEGV into an exit.)
        ::raise(SIGABRT);
        return true;
      },
      10s);
  EXPECT_EQ(out.status, WorkerOutcome::Status::Crashed);
  EXPECT_EQ(out.reason, "killed by signal 6 (Aborted)");
}

TEST(Worker, ExitLikeBinaryenFatalKeepsItsLog) {
  auto out = run_in_worker(
      "t",
      [](Bytes&, std::string&) -> bool {
        std::fprintf(stderr, "Fatal: unknown pass\n");
        std::exit(1);
      },
      10s);
  EXPECT_EQ(out.status, WorkerOutcome::Status::Crashed);
  EXPECT_EQ(out.reason, "exited with status 1");
  EXPECT_EQ(out.log, "Fatal: unknown pass");
}

TEST(Worker, HangIsStoppedAtTheTimeout) {
  auto out = run_in_worker(
      "t",
      [](Bytes&, std::string&) -> bool {
        for (;;) ::pause();
      },
      200ms);
  EXPECT_EQ(out.status, WorkerOutcome::Status::TimedOut);
}

TEST(Worker, FaultInjectionMatchesTheLabelOnly) {
  ::setenv("FLEETPACK_TEST_WORKER_FAULT", "optimize Oz", 1);
  auto hit = run_in_worker(
      "optimize Oz", [](Bytes&, std::string&) { return true; }, 10s);
  auto miss = run_in_worker(
      "optimize Os", [](Bytes&, std::string&) { return true; }, 10s);
  ::unsetenv("FLEETPACK_TEST_WORKER_FAULT");
  EXPECT_EQ(hit.status, WorkerOutcome::Status::Crashed);
  EXPECT_EQ(miss.status, WorkerOutcome::Status::Ok);
}

}  // namespace
}  // namespace fleetpack
