#include "base/worker.h"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
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

WorkerOutcome run_in_worker(const std::string& label, const WorkerJob& job,
                            std::chrono::milliseconds timeout) {
  WorkerOutcome outcome;
  TempFile out_file, log_file;
  if (out_file.fd < 0 || log_file.fd < 0) {
    outcome.status = WorkerOutcome::Status::Crashed;
    outcome.reason = fmt::format("cannot create a temporary file: {}", strerror(errno));
    return outcome;
  }
  std::fflush(nullptr);  // the child must not flush our buffered output a second time
  pid_t pid = fork();
  if (pid < 0) {
    outcome.status = WorkerOutcome::Status::Crashed;
    outcome.reason = fmt::format("cannot start a worker process: {}", strerror(errno));
    return outcome;
  }
  if (pid == 0) {
    // Child: everything it prints goes to the log file; it never returns.
    ::dup2(log_file.fd, STDOUT_FILENO);
    ::dup2(log_file.fd, STDERR_FILENO);
    const char* fault = getenv("FLEETPACK_TEST_WORKER_FAULT");
    if (fault && label == fault) ::abort();
    Bytes output;
    std::string error;
    bool ok = job(output, error);
    if (!ok) {
      write_all(STDERR_FILENO, reinterpret_cast<const uint8_t*>(error.data()), error.size());
      ::_exit(3);
    }
    ::_exit(write_all(out_file.fd, output.data(), output.size()) ? 0 : 5);
  }
  // Parent: wait, bounded by the timeout.
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      outcome.status = WorkerOutcome::Status::TimedOut;
      outcome.reason = fmt::format("did not finish within {} s and was stopped", timeout.count() / 1000.0);
      outcome.log = tail(read_fd(log_file.fd), 2000);
      return outcome;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  outcome.log = tail(read_fd(log_file.fd), 2000);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    outcome.output = read_fd(out_file.fd);
    return outcome;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 3) {
    outcome.status = WorkerOutcome::Status::JobFailed;
    outcome.reason = outcome.log;
    return outcome;
  }
  outcome.status = WorkerOutcome::Status::Crashed;
  if (WIFSIGNALED(status))
    outcome.reason = fmt::format("killed by signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
  else
    outcome.reason = fmt::format("exited with status {}", WEXITSTATUS(status));
  return outcome;
}

}  // namespace fleetpack
