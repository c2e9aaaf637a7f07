#include "base/es5_check.h"

#include <chrono>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <vector>

namespace fleetpack {
namespace {

struct Result {
  bool ok = false;
  Diagnostics diags;
};

Result check(const std::string& text) {
  Result r;
  r.ok = check_es5("app.js", text, r.diags);
  return r;
}

std::string dump(const Diagnostics& d) {
  std::string out;
  for (const auto& x : d.all()) out += format_diagnostic(x) + "\n";
  return out;
}

// Expects exactly one error, at line:col, whose message contains `what`.
void expect_one(const std::string& text, int line, int col, const std::string& what) {
  Result r = check(text);
  EXPECT_FALSE(r.ok) << text;
  ASSERT_EQ(r.diags.error_count(), 1u) << text << "\n" << dump(r.diags);
  const Diagnostic& d = r.diags.all()[0];
  EXPECT_EQ(d.kind, ErrorKind::CheckFailed);
  EXPECT_EQ(d.where.file, "app.js");
  EXPECT_EQ(d.where.line, line) << text << "\n" << dump(r.diags);
  EXPECT_EQ(d.where.column, col) << text << "\n" << dump(r.diags);
  EXPECT_NE(d.message.find(what), std::string::npos) << d.message;
  EXPECT_FALSE(d.hint.empty());
}

void expect_es5(const std::string& text) {
  Result r = check(text);
  EXPECT_TRUE(r.ok) << text << "\n" << dump(r.diags);
  EXPECT_EQ(r.diags.error_count(), 0u) << text << "\n" << dump(r.diags);
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
  return s;
}

// --- constructs Duktape 2.7 compiles without complaint ---------------------------------------------------

TEST(Es5Check, RejectsConst) { expect_one("var a = 1;\n  const b = 2;\n", 2, 3, "const"); }

TEST(Es5Check, RejectsShorthandProperty) {
  expect_one("var a = 1, b = 2;\nvar o = {a: 1, b};\n", 2, 16, "shorthand property b");
}

TEST(Es5Check, RejectsShorthandMethod) {
  expect_one("var o = {\n  f() { return 1; }\n};\n", 2, 3, "shorthand method");
}

TEST(Es5Check, RejectsComputedKey) {
  expect_one("var k = 'x';\nvar o = {[k]: 1};\n", 2, 10, "computed property");
}

TEST(Es5Check, RejectsOctalAndBinaryLiterals) {
  expect_one("var x = 0o17;\n", 1, 9, "octal literal");
  expect_one("var x =\n 0B101;\n", 2, 2, "binary literal");
}

TEST(Es5Check, RejectsCodePointEscapes) {
  expect_one("var s = 'a\\u{1F600}';\n", 1, 11, "code point escape");
  expect_one("var \\u{61}b = 1;\n", 1, 5, "identifier");
}

TEST(Es5Check, RejectsExponentOperators) {
  expect_one("var x = 2 ** 10;\n", 1, 11, "**");
  expect_one("var x = 2;\nx **= 3;\n", 2, 3, "**=");
}

TEST(Es5Check, RejectsNewTarget) {
  expect_one("function F() {\n  if (!new.target) throw 1;\n}\n", 2, 8, "new.target");
}

TEST(Es5Check, ColumnsCountCodePointsNotBytes) {
  expect_one("var s = '\xc3\xa9\xc3\xa9'; const x = 1;\n", 1, 15, "const");
}

TEST(Es5Check, ReportsEveryProblemInSourceOrder) {
  Result r = check("const a = 1;\nvar o = {a, f() {}, [a]: 2};\nvar x = 0b1 + 2 ** 3;\n");
  EXPECT_FALSE(r.ok);
  std::vector<std::string> at;
  for (const auto& d : r.diags.all()) at.push_back(format_location(d.where));
  EXPECT_EQ(at, (std::vector<std::string>{"app.js:1:1", "app.js:2:10", "app.js:2:13", "app.js:2:21",
                                          "app.js:3:9", "app.js:3:17"}))
      << dump(r.diags);
}

// --- constructs Duktape rejects: one clear error per place, with a column -------------------------------

TEST(Es5Check, RejectsEs2015ConstructsDuktapeAlsoRejects) {
  expect_one("var a = 1;\nlet b = 2;\n", 2, 1, "let declaration");
  expect_one("var f = function (x) { return x; };\nvar g = (x) => x;\n", 2, 13, "arrow function");
  expect_one("var s = `a ${1 + 1} b`;\n", 1, 9, "template literal");
  expect_one("class A {\n  m() {}\n}\n", 1, 1, "class");
  expect_one("f(...args);\n", 1, 3, "spread");
  expect_one("var {a, b} = o;\n", 1, 5, "destructuring");
  expect_one("var [a, b] = arr;\n", 1, 5, "destructuring");
  expect_one("function f(a, b = 2) {}\n", 1, 17, "default parameter");
  expect_one("for (var x of xs) {}\n", 1, 12, "for-of");
  expect_one("function* g() {}\n", 1, 9, "generator");
  expect_one("async function f() {}\n", 1, 1, "async function");
  expect_one("import x from 'y';\n", 1, 1, "import");
  expect_one("var y = a?.b;\n", 1, 10, "optional chaining");
  expect_one(
      "var y = a ?"
      "? b;\n",
      1, 11, "nullish");
  expect_one("var r = /a/u;\n", 1, 12, "flag 'u'");
  expect_one("var n = 1_000;\n", 1, 9, "separator");
}

TEST(Es5Check, DuktapeSyntaxErrorsHaveTheirLine) {
  Result r = check("var a = 1;\nvar b = (;\n");
  EXPECT_FALSE(r.ok);
  ASSERT_EQ(r.diags.error_count(), 1u) << dump(r.diags);
  const Diagnostic& d = r.diags.all()[0];
  EXPECT_EQ(d.kind, ErrorKind::CheckFailed);
  EXPECT_EQ(d.where.line, 2);
  EXPECT_EQ(d.where.column, 1);
  EXPECT_NE(d.message.find("SyntaxError"), std::string::npos) << d.message;
}

TEST(Es5Check, ReservedWordsAsPropertyNamesAreEs5) {
  expect_es5(
      "var o = {const: 1, class: 2, let: 3, new: 4, import: 5, 'a b': 6, 7: 8};\n"
      "o.const = o.class + o.let + o.new + o.import;\n"
      "o.default = o['const'];\n");
}

// --- valid ES5 -----------------------------------------------------------------------------------------

TEST(Es5Check, AcceptsGettersAndSetters) {
  expect_es5(
      "var o = {\n  get a() { return this._a; },\n  set a(v) { this._a = v; },\n"
      "  get: function () {}, set: 1, get 'b'() { return 2; }, get 3() { return 3; },\n"
      "  get class() { return 4; }\n};\n");
}

TEST(Es5Check, AcceptsLabelsBlocksAndCase) {
  expect_es5(
      "outer: for (var i = 0; i < 3; i++) {\n  inner: {\n    if (i) break inner;\n  }\n"
      "  continue outer;\n}\n"
      "switch (i) {\n  case 1: { var a = 1; break; }\n  default: { a = 2; }\n}\n"
      "lbl: { x: 1 }\n");
}

TEST(Es5Check, AcceptsTernariesWithObjectLiterals) {
  expect_es5(
      "var c = true;\nvar x = c ? {b: 1} : {c: 2};\nvar y = c ? (c ? {d: {e: 1}} : {f: 2}) : {g: 3};\n"
      "var o = {a: c ? 1 : 2, b: c ? {x: 1} : {y: 2}, c: 3};\n");
}

TEST(Es5Check, AcceptsRegexAndDivision) {
  expect_es5(
      "var a = 4, b = 2, arr = [8];\n"
      "var r = /a\\/b{2}[/{]/g;\n"
      "var s = 'x'.replace(/[{}]/g, '');\n"
      "var d = a / b / 2, e = (a) / b, f = arr[0] / 2, g = a++ / 2;\n"
      "if (r.test(s)) /x/.test(s);\n"
      "function h() { return /re/.test(s); }\n"
      "var t = typeof /x/;\n"
      "{ }\n/y/.exec('y');\n");
}

TEST(Es5Check, AcceptsNestedObjectLiteralsAndFunctions) {
  expect_es5(
      "var o = {a: {b: {c: [1, {d: 2}]}}, f: function (x) { var p = {q: x}; return {r: p}; },\n"
      "  g: function () { return { h: 1 }; }};\n"
      "(function () { var z = {}; })();\n");
}

TEST(Es5Check, AcceptsStringsAndComments) {
  expect_es5(
      "// const a = 1; let b = `x`; var o = {a, b}; 2 ** 3\n"
      "/* class A {} ; () => 1 ; 0o17 ; new.target ; {[k]: 1} */\n"
      "var s = \"a\\\"b\\u0041\\x41\\n\\\\\" + 'c\\'d' + '0o17 ** `t` const';\n"
      "var m = 'line\\\n continued';\n"
      "var n = 017 + 0x1F + .5 + 1e3 + 1.5e-3;\n");
}

TEST(Es5Check, AcceptsAutomaticSemicolonInsertion) {
  expect_es5(
      "var a = 1\nvar b = a\n++b\nfunction f() {\n  return\n  {\n    x: 1\n  }\n}\n"
      "var let = 1\nlet = 2\nvar c = a\n/2/b\n");
}

TEST(Es5Check, AcceptsEmptyAndCommentOnlyScripts) {
  expect_es5("");
  expect_es5("// nothing\n");
  expect_es5("\xef\xbb\xbfvar bom = 1;\n");
}

TEST(Es5Check, AcceptsTheDemoApp) {
  for (const char* name : {"main.js", "ui.js"}) {
    std::string path = std::string(FLEETPACK_SOURCE_DIR) + "/examples/demo/app/" + name;
    std::string text = read(path);
    ASSERT_FALSE(text.empty()) << path;
    Diagnostics diags;
    EXPECT_TRUE(check_es5(path, text, diags)) << dump(diags);
  }
}

TEST(Es5Check, AcceptsTheScriptTemplates) {
  // templates/*.js are fragments pasted inside a function; module.mjs is an ES module and is not checked.
  for (const char* name : {"instance.js", "loader.js", "polyfills.js", "script.js"}) {
    std::string path = std::string(FLEETPACK_SOURCE_DIR) + "/templates/" + name;
    std::string text = read(path);
    if (text.empty()) continue;  // a template another change removed
    text = replace_all(text, "@META@", "{}");
    text = replace_all(text, "@GLOBAL@", "\"fleetpack\"");
    for (const char* marker : {"@HEADER@", "@POLYFILLS@", "@FALLBACK@", "@INSTANCE@", "@LOADER@"}) {
      text = replace_all(text, marker, "");
    }
    // Any other marker becomes null.
    for (size_t p = text.find('@'); p != std::string::npos; p = text.find('@', p + 1)) {
      size_t q = text.find('@', p + 1);
      if (q == std::string::npos) break;
      std::string name_part = text.substr(p + 1, q - p - 1);
      if (!name_part.empty() &&
          name_part.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789") == std::string::npos) {
        text.replace(p, q - p + 1, "null");
      }
    }
    Diagnostics diags;
    EXPECT_TRUE(check_es5(path, "(function () {\n" + text + "\n})();\n", diags)) << dump(diags);
  }
}

TEST(Es5Check, HandlesLargeScripts) {
  // A 20 MB generated script in the shape of wasm2js output.
  std::string text = "var mem = new Int32Array(1024);\n";
  std::string body =
      "  c = (a + Math.imul(b, 3) | 0) / 2 | 0;\n  if ((c | 0) > 10) { mem[c & 1023] = c; }\n"
      "  b = { x: c, y: /y/.test('y') ? 1 : 0 }.x | 0;\n";
  std::string fn = "function f$N(a, b) {\n  a = a | 0; b = b | 0;\n  var c = 0;\n";
  for (int i = 0; i < 12; ++i) fn += body;
  fn += "  return c | 0;\n}\n";
  for (int i = 0; text.size() < 20 * 1024 * 1024; ++i) text += replace_all(fn, "$N", std::to_string(i));
  text += "const late = 1;\n";
  auto start = std::chrono::steady_clock::now();
  Result r;
  r.ok = check_es5("big.js", text, r.diags);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_FALSE(r.ok);
  ASSERT_EQ(r.diags.error_count(), 1u) << dump(r.diags);
  EXPECT_NE(r.diags.all()[0].message.find("const"), std::string::npos);
  EXPECT_LT(s, 60.0);
  std::printf("es5 check of %zu bytes: %.2f s\n", text.size(), s);
}

TEST(Es5Check, DuktapeEngineLimitsAreWarnings) {
  // Duktape 2.7 allows at most 65535 inner functions per function: a limit of the engine, not of ES5.
  std::string text;
  for (int i = 0; i < 70000; ++i) text += "function f" + std::to_string(i) + "() {}\n";
  Result r = check(text);
  EXPECT_TRUE(r.ok) << dump(r.diags);
  EXPECT_EQ(r.diags.error_count(), 0u);
  ASSERT_EQ(r.diags.all().size(), 1u);
  EXPECT_EQ(r.diags.all()[0].severity, Severity::Warning);
  EXPECT_NE(r.diags.all()[0].message.find("function limit"), std::string::npos) << r.diags.all()[0].message;
}

TEST(Es5Check, CapsTheNumberOfListedErrors) {
  std::string text;
  for (int i = 0; i < 1500; ++i) text += "const a" + std::to_string(i) + " = 1;\n";
  Result r = check(text);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.diags.error_count(), 1001u);
}

}  // namespace
}  // namespace fleetpack
