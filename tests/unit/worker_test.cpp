// base/worker: a job's output comes back; a crash, an exit and a hang become outcomes, not our death.
#include "base/worker.h"

#include <cerrno>
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

// run_workers_each hands over each outcome as its task ends, after starting the task waiting for the slot:
// the caller works on a result while the next task runs (the build runs a level's groups so).
TEST(Worker, EachOutcomeComesWhileTheNextTaskRuns) {
  char path[] = "/tmp/fleetpack-worker-each-XXXXXX";
  int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  ::unlink(path);
  std::vector<WorkerTask> tasks = {{"first", [](Bytes& o, std::string&) { return o = {1}, true; }},
                                   {"second", [&path](Bytes& o, std::string&) {
                                      if (FILE* f = std::fopen(path, "w"))
                                        std::fclose(f);  // "I have started"
                                      o = {2};
                                      return true;
                                    }}};
  std::vector<size_t> order;
  bool second_was_running = false;
  run_workers_each(tasks, /*jobs=*/1, 10s, [&](size_t i, WorkerOutcome out) {
    EXPECT_EQ(out.status, WorkerOutcome::Status::Ok);
    EXPECT_EQ(out.output, (Bytes{static_cast<uint8_t>(i + 1)}));
    order.push_back(i);
    if (i != 0) return;
    for (int k = 0; k < 500 && !second_was_running; ++k) {  // the second task's child, started already
      second_was_running = ::access(path, F_OK) == 0;
      if (!second_was_running) std::this_thread::sleep_for(10ms);
    }
  });
  ::unlink(path);
  EXPECT_TRUE(second_was_running);
  EXPECT_EQ(order, (std::vector<size_t>{0, 1}));
}

// A background worker runs while its caller goes on; its outcome is the job's, with the job's own run time
// however late it is collected (the build counts wasm2js's time this way).
TEST(BackgroundWorker, ReportsTheJobsOwnTimeWhenCollectedLate) {
  BackgroundWorker worker(
      "t",
      [](Bytes& o, std::string&) {
        std::this_thread::sleep_for(50ms);
        o = {7, 8};
        return true;
      },
      10s);
  std::this_thread::sleep_for(1500ms);  // the caller's own work
  WorkerOutcome out = worker.wait();
  EXPECT_EQ(out.status, WorkerOutcome::Status::Ok);
  EXPECT_EQ(out.output, (Bytes{7, 8}));  // the time travels before the output, and is taken off
  EXPECT_GE(out.seconds, 0.05);
  EXPECT_LT(out.seconds, 1.0);                                      // not the 1.5 s until it was collected
  EXPECT_EQ(worker.wait().status, WorkerOutcome::Status::Crashed);  // once only
}

TEST(BackgroundWorker, CrashAndTimeoutAreOutcomes) {
  BackgroundWorker crash(
      "t",
      [](Bytes&, std::string&) -> bool {
        ::raise(SIGABRT);
        return true;
      },
      10s);
  BackgroundWorker hang(
      "t",
      [](Bytes&, std::string&) -> bool {
        for (;;) ::pause();
      },
      200ms);
  EXPECT_EQ(crash.wait().reason, "killed by signal 6 (Aborted)");
  EXPECT_EQ(hang.wait().status, WorkerOutcome::Status::TimedOut);
}

TEST(BackgroundWorker, OneNeverWaitedForDiesWithItsObject) {
  char path[] = "/tmp/fleetpack-worker-test-XXXXXX";
  int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  pid_t child = 0;
  {
    BackgroundWorker worker(
        "t",
        [&path](Bytes&, std::string&) -> bool {
          if (FILE* f = std::fopen(path, "w")) {
            std::fprintf(f, "%d\n", static_cast<int>(::getpid()));
            std::fclose(f);
          }
          for (;;) ::pause();
        },
        10min);
    for (int i = 0; i < 500 && child <= 0; ++i) {
      std::this_thread::sleep_for(10ms);
      if (FILE* f = std::fopen(path, "r")) {
        int pid = 0;
        if (std::fscanf(f, "%d", &pid) == 1) child = pid;
        std::fclose(f);
      }
    }
    ASSERT_GT(child, 0);
    EXPECT_EQ(::kill(child, 0), 0);  // running
  }
  EXPECT_EQ(::kill(child, 0), -1);  // killed and reaped: no such process
  EXPECT_EQ(errno, ESRCH);
  ::unlink(path);
}

}  // namespace
}  // namespace fleetpack
