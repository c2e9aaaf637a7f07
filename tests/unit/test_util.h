// Helpers for unit tests: real modules compiled from .wat text with wabt's wat2wasm, temporary folders.
#pragma once
#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>

#include "base/diagnostic.h"
#include "base/file_io.h"
#include "base/wasm_module.h"

namespace fleetpack::testing {

/// A fresh folder under the system temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "fleetpack-test-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

/// Loads `bytes` as t.wasm, expects it refused as invalid input (exit 3), and returns the first error
/// formatted without its hint.
inline std::string load_error(const Bytes& bytes, const ModuleLimits& limits = {}) {
  Diagnostics d;
  auto m = load_module("t.wasm", bytes, d, limits);
  EXPECT_FALSE(m.has_value());
  EXPECT_EQ(d.exit_code(), 3);
  if (d.all().empty()) return "(no diagnostic)";
  Diagnostic first = d.all().front();
  first.hint.clear();
  return format_diagnostic(first);
}

inline void write_text(const fs::path& p, const std::string& s) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << s;
}

inline std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Compiles WAT text with the real wat2wasm (flags e.g. "--enable-threads"); fails the test on error.
inline Bytes wat(const std::string& text, const std::string& flags = "") {
  TempDir dir;
  write_text(dir.path() / "m.wat", text);
  std::string cmd = std::string(WAT2WASM) + " " + flags + " " + (dir.path() / "m.wat").string() + " -o " +
                    (dir.path() / "m.wasm").string() + " 2>" + (dir.path() / "err.txt").string();
  int rc = std::system(cmd.c_str());
  EXPECT_EQ(rc, 0) << "wat2wasm failed: " << read_text(dir.path() / "err.txt") << "\n" << text;
  std::string s = read_text(dir.path() / "m.wasm");
  return Bytes(s.begin(), s.end());
}

/// A module from raw section bytes: magic, version, then `body`.
inline Bytes raw_module(std::initializer_list<uint8_t> body) {
  Bytes b = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  b.insert(b.end(), body.begin(), body.end());
  return b;
}

}  // namespace fleetpack::testing
