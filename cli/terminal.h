// Terminal presentation: colour only when the stream is a terminal and NO_COLOR (https://no-color.org)
// is unset; progress lines on stderr only on a terminal, so CI logs stay clean.
#pragma once
#include <cstdio>
#include <string>

namespace fleetpack::cli {

/// Whether to colour what goes to `stream`.
bool use_colour(std::FILE* stream);
/// A formatted diagnostic with "error:", "warning:" and "hint:" coloured.
std::string colour_diagnostic(const std::string& text);
/// The build table with its FAILED and BUDGET statuses coloured.
std::string colour_table(const std::string& text);

/// Prints progress ("[  3.2s] optimize Oz for 4 profiles") on stderr, overwriting the previous line, when
/// stderr is a terminal; does nothing otherwise. done() clears the line.
class Progress {
 public:
  Progress();
  void update(const std::string& what);
  void done();

 private:
  bool enabled_;
  double start_;
  bool shown_ = false;
};

}  // namespace fleetpack::cli
