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

namespace fleetpack {

TEST(GithubAnnotation, TextPositionIsFileLineCol) {
  Diagnostic d{Severity::Error, ErrorKind::CheckFailed, Location::text("profiles/tight.yaml", 5, 20),
               "over budget", ""};
  EXPECT_EQ(format_github_annotation(d), "::error file=profiles/tight.yaml,line=5,col=20::over budget");
}

TEST(GithubAnnotation, BinaryOffsetGoesIntoTheMessage) {
  Diagnostic d{Severity::Warning, ErrorKind::Internal, Location::binary("m.wasm", 0x1a3f), "odd", ""};
  EXPECT_EQ(format_github_annotation(d), "::warning file=m.wasm::offset 0x1a3f: odd");
}

TEST(GithubAnnotation, EscapesPercentNewlinesAndPropertySeparators) {
  Diagnostic d{Severity::Error, ErrorKind::Usage, Location::text("a,b:c%.yaml", 2, 0), "100% bad\r\nreally",
               "fix: this, now"};
  EXPECT_EQ(format_github_annotation(d),
            "::error file=a%2Cb%3Ac%25.yaml,line=2::100%25 bad%0D%0Areally%0Ahint: fix: this, now");
}

TEST(GithubAnnotation, NoFileAndNotes) {
  Diagnostic e{Severity::Error, ErrorKind::Usage, Location{}, "no file", ""};
  EXPECT_EQ(format_github_annotation(e), "::error::no file");
  Diagnostic n{Severity::Note, ErrorKind::Internal, Location::file_only("x"), "fyi", ""};
  EXPECT_EQ(format_github_annotation(n), "");
}

}  // namespace fleetpack
