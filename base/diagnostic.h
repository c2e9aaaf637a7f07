// One diagnostic type for the whole library (DESIGN.md "Exit codes"): where, what, and how to fix it.
// The library never prints or exits: it collects Diagnostics; only cli/ turns them into output and an exit
// code.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fleetpack {

enum class Severity { Note, Warning, Error };

/// What kind of failure an error is; decides the process exit code (DESIGN.md).
enum class ErrorKind {
  CheckFailed = 1,   ///< a check failed: budget exceeded, unsupported feature, verify failed
  Usage = 2,         ///< bad command line or configuration (profiles, fleetpack.yaml)
  InvalidInput = 3,  ///< malformed Wasm, unreadable file
  Internal = 4,      ///< a worker crashed or something that should not happen happened
};

/// A place in a file: a text position (1-based line/column) or a byte offset in a binary.
struct Location {
  std::string file;
  int line = 0;  ///< 0 when unknown or binary
  int column = 0;
  std::optional<uint64_t> offset;  ///< byte offset, for binary files

  static Location text(std::string file, int line, int column) { return {std::move(file), line, column, {}}; }
  static Location binary(std::string file, uint64_t off) { return {std::move(file), 0, 0, off}; }
  static Location file_only(std::string file) { return {std::move(file), 0, 0, {}}; }
};

struct Diagnostic {
  Severity severity = Severity::Error;
  ErrorKind kind = ErrorKind::Internal;  ///< meaningful for errors only
  Location where;
  std::string message;
  std::string hint;  ///< what the user can do; may be empty
};

/// "file:line:col" or "file:0xOFFSET" or "file" (or "fleetpack" when no file is known).
std::string format_location(const Location& loc);
/// "where: error: message\n  hint: ..." (no trailing newline).
std::string format_diagnostic(const Diagnostic& d);
/// A GitHub Actions workflow command for an error or warning: "::error file=F,line=L,col=C::message"
/// (binary offsets: just file=F, the offset in the message; the hint follows the message on its own line).
/// Data is escaped as GitHub requires (% \r \n -> %25 %0D %0A; in properties also : and , -> %3A %2C).
/// Empty for notes.
std::string format_github_annotation(const Diagnostic& d);

/// Collects diagnostics; steps keep going after recoverable errors and the driver decides at the end
/// (mold's Error/Fatal split).
class Diagnostics {
 public:
  void add(Diagnostic d);
  void error(ErrorKind kind, Location where, std::string message, std::string hint = {});
  void warning(Location where, std::string message, std::string hint = {});
  void note(Location where, std::string message);
  void append(const Diagnostics& other);

  bool has_errors() const { return error_count_ > 0; }
  size_t error_count() const { return error_count_; }
  const std::vector<Diagnostic>& all() const { return items_; }
  /// 0 without errors, else the code of the most severe kind present (4 > 3 > 2 > 1).
  int exit_code() const;

 private:
  std::vector<Diagnostic> items_;
  size_t error_count_ = 0;
};

}  // namespace fleetpack
