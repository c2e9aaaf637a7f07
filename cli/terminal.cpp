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

Progress::Progress() : enabled_(use_colour(stderr)), start_(now()) {}

void Progress::update(const std::string& what) {
  if (!enabled_) return;
  std::fprintf(stderr, "\r\033[K[%6.1fs] %s", now() - start_, what.c_str());
  std::fflush(stderr);
  shown_ = true;
}

void Progress::done() {
  if (enabled_ && shown_) std::fprintf(stderr, "\r\033[K");
  shown_ = false;
}

}  // namespace fleetpack::cli
