#include "base/diagnostic.h"

#include <gtest/gtest.h>

namespace fleetpack {

TEST(Diagnostic, FormatsBinaryOffsetsInHex) {
  Diagnostic d{Severity::Error, ErrorKind::InvalidInput, Location::binary("m.wasm", 0x1a3f), "bad opcode",
               "rebuild"};
  EXPECT_EQ(format_diagnostic(d), "m.wasm:0x1a3f: error: bad opcode\n  hint: rebuild");
}

TEST(Diagnostic, FormatsTextPositions) {
  Diagnostic d{Severity::Warning, ErrorKind::Usage, Location::text("p.yaml", 12, 3), "odd", ""};
  EXPECT_EQ(format_diagnostic(d), "p.yaml:12:3: warning: odd");
}

TEST(Diagnostics, ExitCodeIsTheMostSevereKind) {
  Diagnostics d;
  EXPECT_EQ(d.exit_code(), 0);
  d.warning(Location::file_only("x"), "w");
  EXPECT_EQ(d.exit_code(), 0);
  d.error(ErrorKind::CheckFailed, Location::file_only("x"), "budget");
  EXPECT_EQ(d.exit_code(), 1);
  d.error(ErrorKind::InvalidInput, Location::file_only("x"), "bad");
  d.error(ErrorKind::Usage, Location::file_only("x"), "usage");
  EXPECT_EQ(d.exit_code(), 3);
}

}  // namespace fleetpack
