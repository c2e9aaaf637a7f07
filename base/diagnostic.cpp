#include "base/diagnostic.h"

#include <algorithm>

#include <fmt/format.h>

namespace fleetpack {

std::string format_location(const Location& loc) {
  std::string file = loc.file.empty() ? "fleetpack" : loc.file;
  if (loc.offset) return fmt::format("{}:{:#x}", file, *loc.offset);
  if (loc.line > 0 && loc.column > 0) return fmt::format("{}:{}:{}", file, loc.line, loc.column);
  if (loc.line > 0) return fmt::format("{}:{}", file, loc.line);
  return file;
}

std::string format_diagnostic(const Diagnostic& d) {
  const char* sev = d.severity == Severity::Error     ? "error"
                    : d.severity == Severity::Warning ? "warning"
                                                      : "note";
  std::string out = fmt::format("{}: {}: {}", format_location(d.where), sev, d.message);
  if (!d.hint.empty()) out += fmt::format("\n  hint: {}", d.hint);
  return out;
}

namespace {
std::string escape_annotation(const std::string& s, bool property) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        out += c;
    }
  }
  return out;
}
}  // namespace

std::string format_github_annotation(const Diagnostic& d) {
  if (d.severity == Severity::Note) return "";
  std::string out = d.severity == Severity::Error ? "::error" : "::warning";
  std::string message = d.message;
  if (!d.where.file.empty()) {
    out += " file=" + escape_annotation(d.where.file, true);
    if (d.where.offset) {
      message = fmt::format("offset {:#x}: {}", *d.where.offset, message);
    } else if (d.where.line > 0) {
      out += fmt::format(",line={}", d.where.line);
      if (d.where.column > 0) out += fmt::format(",col={}", d.where.column);
    }
  }
  if (!d.hint.empty()) message += "\nhint: " + d.hint;
  return out + "::" + escape_annotation(message, false);
}

void Diagnostics::add(Diagnostic d) {
  if (d.severity == Severity::Error) ++error_count_;
  items_.push_back(std::move(d));
}

void Diagnostics::error(ErrorKind kind, Location where, std::string message, std::string hint) {
  add({Severity::Error, kind, std::move(where), std::move(message), std::move(hint)});
}

void Diagnostics::warning(Location where, std::string message, std::string hint) {
  add({Severity::Warning, ErrorKind::Internal, std::move(where), std::move(message), std::move(hint)});
}

void Diagnostics::note(Location where, std::string message) {
  add({Severity::Note, ErrorKind::Internal, std::move(where), std::move(message), {}});
}

void Diagnostics::append(const Diagnostics& other) {
  for (const auto& d : other.items_) add(d);
}

int Diagnostics::exit_code() const {
  int code = 0;
  for (const auto& d : items_)
    if (d.severity == Severity::Error) code = std::max(code, static_cast<int>(d.kind));
  return code;
}

}  // namespace fleetpack
