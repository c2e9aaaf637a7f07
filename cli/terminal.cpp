#include "cli/terminal.h"

#include <chrono>
#include <cstdlib>
#include <unistd.h>

#include <fmt/format.h>

namespace fleetpack::cli {

namespace {
const char* const kRed = "\033[1;31m";
const char* const kYellow = "\033[1;33m";
const char* const kDim = "\033[2m";
const char* const kReset = "\033[0m";

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
  return s;
}

void write_all(const std::string& s) {
  for (size_t off = 0; off < s.size();) {
    ssize_t n = ::write(2, s.data() + off, s.size() - off);
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

bool use_colour(std::FILE* stream) {
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour && *no_colour) return false;
  return ::isatty(::fileno(stream)) != 0;
}

std::string colour_diagnostic(const std::string& text) {
  std::string s = replace_all(text, ": error: ", std::string(": ") + kRed + "error:" + kReset + " ");
  s = replace_all(s, ": warning: ", std::string(": ") + kYellow + "warning:" + kReset + " ");
  return replace_all(s, "\n  hint: ", std::string("\n  ") + kDim + "hint:" + kReset + " ");
}

std::string colour_table(const std::string& text) {
  std::string s = replace_all(text, "  FAILED ", std::string("  ") + kRed + "FAILED" + kReset + " ");
  return replace_all(s, "  BUDGET ", std::string("  ") + kRed + "BUDGET" + kReset + " ");
}

Progress::Progress(bool enabled) : enabled_(enabled && use_colour(stderr)), start_(now()) {
  if (enabled_) ticker_ = std::thread([this] { tick(); });
}

Progress::~Progress() {
  done();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

double Progress::elapsed() const { return now() - start_; }

void Progress::draw() {
  const double t = now();
  std::string line = fmt::format("\r\033[K[{:6.1f}s] {}", t - start_, what_);
  if (t - stage_start_ >= 1.0) line += fmt::format(" ({:.1f}s)", t - stage_start_);
  // write(2), not stdio: the refresh thread then never holds a stdio lock that a forked worker inherits.
  write_all(line);
  shown_ = true;
}

void Progress::tick() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, std::chrono::milliseconds(500));
    if (!stop_ && shown_) draw();
  }
}

void Progress::update(const std::string& what) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  what_ = what;
  stage_start_ = now();
  draw();
}

void Progress::done() {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (shown_) write_all("\r\033[K");
  shown_ = false;
}

}  // namespace fleetpack::cli
