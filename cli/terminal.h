// Terminal presentation: colour only when the stream is a terminal and NO_COLOR (https://no-color.org)
// is unset; progress lines on stderr only on a terminal, so CI logs stay clean.
#pragma once
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

namespace fleetpack::cli {

/// Whether to colour what goes to `stream`.
bool use_colour(std::FILE* stream);
/// A formatted diagnostic with "error:", "warning:" and "hint:" coloured.
std::string colour_diagnostic(const std::string& text);
/// The build table with its FAILED and BUDGET statuses coloured.
std::string colour_table(const std::string& text);

/// Prints progress on stderr, overwriting the previous line, when stderr is a terminal (and not
/// disabled: --quiet); does nothing otherwise. Each line shows the time since the start, what the build
/// is doing, and for how long it has been at it, refreshed every half second while a stage runs:
///   [  12.4s] variant 2/3 (3f9a0c1d2e4b, target auto, Oz, 12 profile(s)): JS fallback ... (3.1s)
/// done() clears the line.
class Progress {
 public:
  explicit Progress(bool enabled = true);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void update(const std::string& what);
  void done();
  /// Seconds since construction.
  double elapsed() const;

 private:
  void draw();  ///< with mutex_ held
  void tick();  ///< the refresh thread

  bool enabled_;
  double start_;
  double stage_start_ = 0;
  std::string what_;
  bool shown_ = false;
  bool stop_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread ticker_;
};

}  // namespace fleetpack::cli
