#include "base/worker.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <optional>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <fmt/format.h>

namespace fleetpack {

namespace {

/// A temporary file that is removed when this object goes away.
struct TempFile {
  std::string path;
  int fd = -1;
  TempFile() {
    const char* dir = getenv("TMPDIR");
    std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/fleetpack-worker-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    fd = mkstemp(buf.data());
    if (fd >= 0) path = buf.data();
  }
  ~TempFile() {
    if (fd >= 0) ::close(fd);
    if (!path.empty()) ::unlink(path.c_str());
  }
};

bool write_all(int fd, const uint8_t* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

Bytes read_fd(int fd) {
  Bytes out;
  ::lseek(fd, 0, SEEK_SET);
  uint8_t buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.insert(out.end(), buf, buf + n);
  }
  return out;
}

std::string tail(const Bytes& b, size_t max_chars) {
  std::string s(b.begin(), b.end());
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  if (s.size() > max_chars) s = "..." + s.substr(s.size() - max_chars);
  return s;
}

}  // namespace

namespace {

/// A child process running one task.
struct Running {
  size_t index = 0;  ///< the task's position
  pid_t pid = -1;
  std::unique_ptr<TempFile> out, log;
  std::chrono::steady_clock::time_point deadline;
};

/// Forks a child for `task`; on failure fills `failed` and returns false.
bool start(const WorkerTask& task, Running& r, WorkerOutcome& failed) {
  r.out = std::make_unique<TempFile>();
  r.log = std::make_unique<TempFile>();
  if (r.out->fd < 0 || r.log->fd < 0) {
    failed.status = WorkerOutcome::Status::Crashed;
    failed.reason = fmt::format("cannot create a temporary file: {}", strerror(errno));
    return false;
  }
  std::fflush(nullptr);  // the child must not flush our buffered output a second time
  r.pid = fork();
  if (r.pid < 0) {
    failed.status = WorkerOutcome::Status::Crashed;
    failed.reason = fmt::format("cannot start a worker process: {}", strerror(errno));
    return false;
  }
  if (r.pid == 0) {
    // Child: its own process group, so a timeout kills what it started too (wasm2js, node); and it dies
    // with the build, which keeps Ctrl-C from leaving workers behind.
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    // Everything it prints goes to the log file; it never returns.
    ::dup2(r.log->fd, STDOUT_FILENO);
    ::dup2(r.log->fd, STDERR_FILENO);
    const char* fault = getenv("FLEETPACK_TEST_WORKER_FAULT");
    if (fault && (task.label == fault || std::string(fault) == "*")) ::abort();
    const auto started = std::chrono::steady_clock::now();
    Bytes output;
    std::string error;
    bool ok = task.job(output, error);
    if (!ok) {
      write_all(STDERR_FILENO, reinterpret_cast<const uint8_t*>(error.data()), error.size());
      ::_exit(3);
    }
    // The job's own duration first: a worker collected late (BackgroundWorker) still reports its run time.
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    ::_exit(write_all(r.out->fd, reinterpret_cast<const uint8_t*>(&seconds), sizeof seconds) &&
                    write_all(r.out->fd, output.data(), output.size())
                ? 0
                : 5);
  }
  return true;
}

WorkerOutcome collect(Running& r, int status, bool timed_out, std::chrono::milliseconds timeout) {
  WorkerOutcome outcome;
  outcome.log = tail(read_fd(r.log->fd), 2000);
  if (timed_out) {
    outcome.status = WorkerOutcome::Status::TimedOut;
    outcome.reason = fmt::format("did not finish within {} s and was stopped", timeout.count() / 1000.0);
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    outcome.output = read_fd(r.out->fd);
    double seconds = 0;
    if (outcome.output.size() >= sizeof seconds) {
      std::memcpy(&seconds, outcome.output.data(), sizeof seconds);
      outcome.output.erase(outcome.output.begin(), outcome.output.begin() + sizeof seconds);
    }
    outcome.seconds = seconds;
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == 3) {
    outcome.status = WorkerOutcome::Status::JobFailed;
    outcome.reason = outcome.log;
  } else {
    outcome.status = WorkerOutcome::Status::Crashed;
    if (WIFSIGNALED(status))
      outcome.reason = fmt::format("killed by signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
      outcome.reason = fmt::format("exited with status {}", WEXITSTATUS(status));
  }
  return outcome;
}

/// Collects `r` if it ended, or stops it if its deadline passed; false while it runs.
bool reap(Running& r, std::chrono::milliseconds timeout, WorkerOutcome& outcome) {
  int status = 0;
  pid_t done = ::waitpid(r.pid, &status, WNOHANG);
  bool timed_out = false;
  if (done == 0 && std::chrono::steady_clock::now() > r.deadline) {
    ::kill(-r.pid, SIGKILL);  // the worker's process group: it and whatever it started
    ::kill(r.pid, SIGKILL);
    ::waitpid(r.pid, &status, 0);
    timed_out = true;
  } else if (done == 0 || (done < 0 && errno == EINTR)) {
    return false;
  }
  outcome = collect(r, status, timed_out, timeout);
  return true;
}

}  // namespace

void run_workers_each(const std::vector<WorkerTask>& tasks, int jobs, std::chrono::milliseconds timeout,
                      const std::function<void(size_t, WorkerOutcome)>& done) {
  std::vector<Running> running;
  std::vector<std::pair<size_t, WorkerOutcome>> ended;
  size_t next = 0;
  jobs = std::max(1, jobs);
  while (next < tasks.size() || !running.empty() || !ended.empty()) {
    // The next tasks start before the caller works on what ended, so that they run meanwhile.
    while (next < tasks.size() && static_cast<int>(running.size()) < jobs) {
      Running r;
      r.index = next;
      r.deadline = std::chrono::steady_clock::now() + timeout;
      WorkerOutcome failed;
      if (start(tasks[next], r, failed))
        running.push_back(std::move(r));
      else
        ended.emplace_back(next, std::move(failed));
      ++next;
    }
    for (auto& [index, outcome] : ended) done(index, std::move(outcome));
    ended.clear();
    for (auto it = running.begin(); it != running.end();) {
      WorkerOutcome outcome;
      if (!reap(*it, timeout, outcome)) {
        ++it;
        continue;
      }
      ended.emplace_back(it->index, std::move(outcome));
      it = running.erase(it);
    }
    if (ended.empty() && !running.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::vector<WorkerOutcome> run_workers(const std::vector<WorkerTask>& tasks, int jobs,
                                       std::chrono::milliseconds timeout) {
  std::vector<WorkerOutcome> outcomes(tasks.size());
  run_workers_each(tasks, jobs, timeout,
                   [&outcomes](size_t i, WorkerOutcome outcome) { outcomes[i] = std::move(outcome); });
  return outcomes;
}

WorkerOutcome run_in_worker(const std::string& label, const WorkerJob& job,
                            std::chrono::milliseconds timeout) {
  return run_workers({{label, job}}, 1, timeout).front();
}

struct BackgroundWorker::State {
  Running running;
  std::chrono::milliseconds timeout{0};
  std::optional<WorkerOutcome> failed_to_start;
  bool collected = false;
};

BackgroundWorker::BackgroundWorker(const std::string& label, const WorkerJob& job,
                                   std::chrono::milliseconds timeout)
    : state_(std::make_unique<State>()) {
  state_->timeout = timeout;
  state_->running.deadline = std::chrono::steady_clock::now() + timeout;
  WorkerOutcome failed;
  if (!start({label, job}, state_->running, failed)) state_->failed_to_start = std::move(failed);
}

BackgroundWorker::~BackgroundWorker() {
  if (!state_ || state_->collected || state_->failed_to_start) return;
  ::kill(-state_->running.pid, SIGKILL);
  ::kill(state_->running.pid, SIGKILL);
  int status = 0;
  ::waitpid(state_->running.pid, &status, 0);
}

WorkerOutcome BackgroundWorker::wait() {
  if (state_->failed_to_start) return *state_->failed_to_start;
  WorkerOutcome outcome;
  if (state_->collected) {
    outcome.status = WorkerOutcome::Status::Crashed;
    outcome.reason = "collected twice (a fleetpack bug)";
    return outcome;
  }
  while (!reap(state_->running, state_->timeout, outcome))
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  state_->collected = true;
  return outcome;
}

}  // namespace fleetpack
