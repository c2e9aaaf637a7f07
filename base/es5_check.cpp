// ES5 check: Duktape 2.7 compiles the text (syntax errors, line only), then a small tokenizer +
// bracket-context scanner finds the ES2015+ constructs Duktape accepts and names the others precisely
// (docs/es5-check.md).
#include "base/es5_check.h"

#include <algorithm>
#include <cctype>
#include <csetjmp>
#include <cstdlib>
#include <deque>
#include <duktape.h>
#include <string_view>
#include <vector>

namespace fleetpack {
namespace {

constexpr size_t kMaxReported = 1000;

struct Finding {
  int line = 0;
  int col = 0;
  std::string message;
  std::string hint;
};

// ---------------------------------------------------------------------------------------------------------
// Duktape compile

struct DukGuard {
  std::jmp_buf env;
  std::string fatal_message;
};

void on_duktape_fatal(void* udata, const char* msg) {
  auto* guard = static_cast<DukGuard*>(udata);
  guard->fatal_message = msg ? msg : "unknown";
  std::longjmp(guard->env, 1);
}

struct DukResult {
  bool compiled = false;
  bool fatal = false;
  std::string message;  ///< "SyntaxError: parse error (line 3)"
  int line = 0;
};

// Kept free of objects with destructors between setjmp and longjmp (DukGuard lives in the caller).
void compile_in_duktape(DukGuard& guard, const std::string& file, const std::string& text, DukResult& out) {
  duk_context* ctx = duk_create_heap(nullptr, nullptr, nullptr, &guard, on_duktape_fatal);
  if (!ctx) {
    out.fatal = true;
    out.message = "cannot create a Duktape heap";
    return;
  }
  if (setjmp(guard.env) != 0) {
    // The heap is unusable after a fatal error; it is leaked rather than touched again.
    out.fatal = true;
    out.message = "Duktape fatal error: " + guard.fatal_message;
    return;
  }
  duk_push_lstring(ctx, file.data(), file.size());
  if (duk_pcompile_lstring_filename(ctx, 0, text.data(), text.size()) == 0) {
    out.compiled = true;
  } else {
    if (duk_is_object(ctx, -1) && duk_get_prop_string(ctx, -1, "lineNumber")) {
      out.line = static_cast<int>(duk_get_int(ctx, -1));
    }
    duk_pop(ctx);
    out.message = duk_safe_to_string(ctx, -1);
  }
  duk_destroy_heap(ctx);
}

// ---------------------------------------------------------------------------------------------------------
// Tokenizer

enum class Tok { End, Ident, Punct, Number, String, Template, Regex };

struct Token {
  Tok type = Tok::End;
  size_t begin = 0;
  size_t end = 0;
  int line = 1;
  int col = 1;
  bool nl_before = false;  ///< a line terminator lies between the previous token and this one (ASI)
};

bool is_ident_ascii(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
}
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_hex(unsigned char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool is_unicode_space(uint32_t cp) {
  return cp == 0xA0 || cp == 0xFEFF || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

const char* const kPunctuators[] = {
    ">>>=",
    "...",
    "===",
    "!==",
    "**=",
    "<<=",
    ">>=",
    ">>>",
    "&&=",
    "||=",
    "?"
    "?=",
    "=>",
    "==",
    "!=",
    "<=",
    ">=",
    "&&",
    "||",
    "?"
    "?",
    "?.",
    "++",
    "--",
    "+=",
    "-=",
    "*=",
    "/=",
    "%=",
    "&=",
    "|=",
    "^=",
    "**",
    "<<",
    ">>",
};

class Lexer {
 public:
  Lexer(const std::string& s, std::vector<Finding>& findings) : s_(s), findings_(findings) {}

  Token next() {
    Token t;
    t.nl_before = skip_space();
    t.begin = pos_;
    t.line = line_;
    t.col = col_;
    if (pos_ >= s_.size()) {
      t.end = pos_;
      return t;
    }
    unsigned char c = s_[pos_];
    if (is_ident_ascii(c) && !is_digit(c)) {
      lex_ident(t);
    } else if (c == '\\' || c >= 0x80) {
      lex_ident(t);
    } else if (is_digit(c) || (c == '.' && pos_ + 1 < s_.size() && is_digit(s_[pos_ + 1]))) {
      lex_number(t);
    } else if (c == '"' || c == '\'') {
      t.type = Tok::String;
      lex_string(c);
    } else if (c == '`') {
      t.type = Tok::Template;
      add(t, "template literal is ES2015", "concatenate strings with + (and \\n for line breaks)");
      lex_template();
    } else if (c == '/' && regex_ok_) {
      lex_regex(t);
    } else {
      lex_punct(t);
    }
    t.end = pos_;
    regex_ok_ = regex_allowed_after(t);
    prev_dot_ = t.type == Tok::Punct && (text(t) == "." || text(t) == "?.");
    return t;
  }

  /// The parser knows better than the lexer after `}` (object literal or block) and `)` (if/while head).
  void set_regex_ok(bool ok) { regex_ok_ = ok; }
  std::string_view text(const Token& t) const {
    return std::string_view(s_).substr(t.begin, t.end - t.begin);
  }

 private:
  void add(const Token& t, std::string msg, std::string hint) { add_at(t.line, t.col, msg, hint); }
  void add_at(int line, int col, std::string msg, std::string hint) {
    findings_.push_back({line, col, std::move(msg), std::move(hint)});
  }

  // Line terminator length at i (LF, CR, CRLF, U+2028, U+2029), 0 if none.
  size_t newline_len(size_t i) const {
    unsigned char c = s_[i];
    if (c == '\n') return 1;
    if (c == '\r') return (i + 1 < s_.size() && s_[i + 1] == '\n') ? 2 : 1;
    if (c == 0xE2 && i + 2 < s_.size() && static_cast<unsigned char>(s_[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s_[i + 2]) == 0xA8 || static_cast<unsigned char>(s_[i + 2]) == 0xA9)) {
      return 3;
    }
    return 0;
  }
  void newline(size_t len) {
    pos_ += len;
    ++line_;
    col_ = 1;
  }
  void adv() {
    // Columns count code points: UTF-8 continuation bytes do not advance the column.
    if ((static_cast<unsigned char>(s_[pos_]) & 0xC0) != 0x80) ++col_;
    ++pos_;
  }
  void adv_n(size_t n) {
    for (size_t i = 0; i < n && pos_ < s_.size(); ++i) adv();
  }
  // Decodes the code point at pos_ (best effort on invalid UTF-8) and its byte length.
  uint32_t code_point(size_t* len) const {
    unsigned char c = s_[pos_];
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (pos_ + n > s_.size()) n = 1;
    uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t i = 1; i < n; ++i) cp = (cp << 6) | (static_cast<unsigned char>(s_[pos_ + i]) & 0x3F);
    *len = n;
    return cp;
  }

  // Skips whitespace and comments; true if a line terminator was crossed.
  bool skip_space() {
    bool nl = false;
    while (pos_ < s_.size()) {
      unsigned char c = s_[pos_];
      if (size_t n = newline_len(pos_)) {
        newline(n);
        nl = true;
      } else if (c == ' ' || c == '\t' || c == '\v' || c == '\f') {
        adv();
      } else if (c == '/' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '/') {
        while (pos_ < s_.size() && !newline_len(pos_)) adv();
      } else if (c == '/' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '*') {
        adv_n(2);
        while (pos_ < s_.size() && !(s_[pos_] == '*' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '/')) {
          if (size_t n = newline_len(pos_)) {
            newline(n);
            nl = true;
          } else {
            adv();
          }
        }
        adv_n(2);
      } else if (c >= 0x80) {
        size_t len = 0;
        if (!is_unicode_space(code_point(&len))) break;
        adv_n(len);
      } else {
        break;
      }
    }
    return nl;
  }

  // `\u{...}` at pos_ (pointing at the backslash): reported and skipped; returns true if it was one.
  bool code_point_escape(const char* where) {
    if (pos_ + 2 < s_.size() && s_[pos_ + 1] == 'u' && s_[pos_ + 2] == '{') {
      add_at(line_, col_, std::string("code point escape \\u{...} in ") + where + " is ES2015",
             "use \\uXXXX (four hex digits; a surrogate pair such as \\uD83D\\uDE00 above U+FFFF)");
      adv_n(3);
      while (pos_ < s_.size() && s_[pos_] != '}' && is_hex(s_[pos_])) adv();
      if (pos_ < s_.size() && s_[pos_] == '}') adv();
      return true;
    }
    return false;
  }

  void lex_ident(Token& t) {
    t.type = Tok::Ident;
    while (pos_ < s_.size()) {
      unsigned char c = s_[pos_];
      if (is_ident_ascii(c)) {
        adv();
      } else if (c == '\\') {
        if (!code_point_escape("an identifier")) adv_n(pos_ + 1 < s_.size() && s_[pos_ + 1] == 'u' ? 6 : 1);
      } else if (c >= 0x80) {
        size_t len = 0;
        uint32_t cp = code_point(&len);
        if (is_unicode_space(cp) || cp == 0x2028 || cp == 0x2029) break;
        adv_n(len);
      } else {
        break;
      }
    }
    if (pos_ == t.begin) adv();  // a lone character Duktape will reject; never loop
  }

  void lex_number(Token& t) {
    t.type = Tok::Number;
    if (s_[pos_] == '0' && pos_ + 1 < s_.size()) {
      char p = s_[pos_ + 1];
      if (p == 'o' || p == 'O') {
        add(t, "octal literal 0o... is ES2015", "write the number in decimal or hexadecimal (0x...)");
      } else if (p == 'b' || p == 'B') {
        add(t, "binary literal 0b... is ES2015", "write the number in decimal or hexadecimal (0x...)");
      }
    }
    bool separator = false;
    if (s_[pos_] == '0' && pos_ + 1 < s_.size() && std::isalpha(static_cast<unsigned char>(s_[pos_ + 1])) &&
        s_[pos_ + 1] != 'e' && s_[pos_ + 1] != 'E' && s_[pos_ + 1] != 'n') {
      adv_n(2);
      while (pos_ < s_.size() && (is_hex(s_[pos_]) || s_[pos_] == '_')) {
        separator |= s_[pos_] == '_';
        adv();
      }
    } else {
      auto digits = [&] {
        while (pos_ < s_.size() && (is_digit(s_[pos_]) || s_[pos_] == '_')) {
          separator |= s_[pos_] == '_';
          adv();
        }
      };
      digits();
      if (pos_ < s_.size() && s_[pos_] == '.') {
        adv();
        digits();
      }
      if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
        adv();
        if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) adv();
        digits();
      }
    }
    if (separator) add(t, "numeric separator _ is ES2021", "remove the underscores");
    if (pos_ < s_.size() && s_[pos_] == 'n') {
      add(t, "BigInt literal is ES2020", "ES5 has no BigInt: use a Number (exact up to 2^53) or two halves");
      adv();
    }
  }

  void lex_string(char quote) {
    adv();
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == quote) {
        adv();
        return;
      }
      if (c == '\\') {
        if (code_point_escape("a string")) continue;
        adv();
        if (pos_ >= s_.size()) return;
        if (size_t n = newline_len(pos_)) {
          newline(n);  // line continuation
        } else {
          adv();
        }
      } else if (newline_len(pos_)) {
        return;  // unterminated: Duktape reports it
      } else {
        adv();
      }
    }
  }

  // After the opening backtick; handles `${ ... }` with nested braces, strings and templates.
  void lex_template() {
    adv();
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == '`') {
        adv();
        return;
      }
      if (c == '\\') {
        adv();
        if (pos_ < s_.size()) {
          if (size_t n = newline_len(pos_)) {
            newline(n);
          } else {
            adv();
          }
        }
      } else if (c == '$' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '{') {
        adv_n(2);
        int depth = 1;
        while (pos_ < s_.size() && depth > 0) {
          char d = s_[pos_];
          if (d == '{') {
            ++depth;
            adv();
          } else if (d == '}') {
            --depth;
            adv();
          } else if (d == '"' || d == '\'') {
            lex_string(d);
          } else if (d == '`') {
            add_at(line_, col_, "template literal is ES2015", "concatenate strings with +");
            lex_template();
          } else if (size_t n = newline_len(pos_)) {
            newline(n);
          } else {
            adv();
          }
        }
      } else if (size_t n = newline_len(pos_)) {
        newline(n);
      } else {
        adv();
      }
    }
  }

  void lex_regex(Token& t) {
    t.type = Tok::Regex;
    adv();
    bool in_class = false;
    while (pos_ < s_.size() && !newline_len(pos_)) {
      char c = s_[pos_];
      if (c == '\\') {
        adv();
        if (pos_ < s_.size() && !newline_len(pos_)) adv();
        continue;
      }
      adv();
      if (c == '[') in_class = true;
      if (c == ']') in_class = false;
      if (c == '/' && !in_class) break;
    }
    while (pos_ < s_.size() && is_ident_ascii(s_[pos_])) {
      char f = s_[pos_];
      if (f != 'g' && f != 'i' && f != 'm') {
        add_at(line_, col_, std::string("regular expression flag '") + f + "' is ES2015 or later",
               "ES5 regular expressions take only the g, i and m flags");
      }
      adv();
    }
  }

  void lex_punct(Token& t) {
    t.type = Tok::Punct;
    std::string_view rest = std::string_view(s_).substr(pos_, 4);
    for (const char* p : kPunctuators) {
      std::string_view cand(p);
      if (rest.substr(0, cand.size()) != cand) continue;
      if (cand == "?." && rest.size() > 2 && is_digit(rest[2])) continue;  // a ? .5 : x
      adv_n(cand.size());
      if (cand == "**") {
        add(t, "exponent operator ** is ES2016", "use Math.pow(a, b)");
      } else if (cand == "**=") {
        add(t, "exponent assignment **= is ES2016", "write a = Math.pow(a, b)");
      } else if (cand == "=>") {
        add(t, "arrow function is ES2015",
            "write function (...) { return ...; } (keep `this` in a variable: var self = this)");
      } else if (cand == "...") {
        add(t, "spread/rest syntax ... is ES2015",
            "use f.apply(null, args), Array.prototype.concat, or the arguments object");
      } else if (cand == "?.") {
        add(t, "optional chaining ?. is ES2020", "write a && a.b (or a test for null/undefined)");
      } else if (cand ==
                 "?"
                 "?") {
        add(t,
            "nullish coalescing ?"
            "? is ES2020",
            "write (a !== null && a !== undefined) ? a : b");
      } else if (cand == "&&=" || cand == "||=" ||
                 cand ==
                     "?"
                     "?=") {
        add(t, "logical assignment " + std::string(cand) + " is ES2021",
            "write a = a && b (or ||, or a test)");
      }
      return;
    }
    adv();
  }

  bool regex_allowed_after(const Token& t) const {
    std::string_view x = text(t);
    switch (t.type) {
      case Tok::Ident:
        if (prev_dot_) return false;
        return x == "return" || x == "typeof" || x == "instanceof" || x == "in" || x == "new" ||
               x == "delete" || x == "void" || x == "throw" || x == "case" || x == "do" || x == "else" ||
               x == "yield" || x == "await";
      case Tok::Punct:
        return !(x == ")" || x == "]" || x == "}" || x == "++" || x == "--");
      case Tok::End:
        return true;
      default:
        return false;
    }
  }

  const std::string& s_;
  std::vector<Finding>& findings_;
  size_t pos_ = 0;
  int line_ = 1;
  int col_ = 1;
  bool regex_ok_ = true;
  bool prev_dot_ = false;
};

// ---------------------------------------------------------------------------------------------------------
// Scanner: bracket frames decide object literal vs block, object key positions, function parameter lists.

enum class Frame { Paren, Bracket, Block, Object, Class };

struct FrameState {
  Frame kind = Frame::Block;
  bool pattern = false;     ///< a destructuring pattern (already reported): no key checks inside
  bool expect_key = false;  ///< Object: the next token is a property key
  bool params = false;      ///< Paren: a function's parameter list
  bool control = false;     ///< Paren: if/while/for/with head (a regex may follow the `)`)
  bool for_head = false;    ///< Paren: for (...)
  int ternary = 0;          ///< pending `?` at this level
};

class Scanner {
 public:
  Scanner(const std::string& s, std::vector<Finding>& findings) : lex_(s, findings), findings_(findings) {}

  void run() {
    frames_.push_back({});
    for (;;) {
      Token t = take();
      if (t.type == Tok::End) break;
      step(t);
      prev2_ = prev_;
      prev_ = t;
    }
  }

 private:
  Token take() {
    if (!buffer_.empty()) {
      Token t = buffer_.front();
      buffer_.pop_front();
      return t;
    }
    return lex_.next();
  }
  const Token& peek(size_t i = 0) {
    while (buffer_.size() <= i) buffer_.push_back(lex_.next());
    return buffer_[i];
  }
  std::string_view text(const Token& t) const { return lex_.text(t); }
  bool is(const Token& t, std::string_view x) const {
    return (t.type == Tok::Punct || t.type == Tok::Ident) && text(t) == x;
  }
  void add(const Token& t, std::string msg, std::string hint) {
    findings_.push_back({t.line, t.col, std::move(msg), std::move(hint)});
  }
  void set_regex_ok(bool ok) {
    if (buffer_.empty()) lex_.set_regex_ok(ok);
  }

  void step(const Token& t) {
    FrameState& top = frames_.back();
    bool after_dot = is(prev_, ".") || is(prev_, "?.");
    bool skip_word = skip_word_;
    skip_word_ = false;
    if (top.kind == Frame::Object && top.expect_key) {
      top.expect_key = false;
      if (!top.pattern) object_key(t);
    } else if (t.type == Tok::Ident && !after_dot && !skip_word) {
      word(t);
    }
    if (t.type != Tok::Punct) return;
    std::string_view x = text(t);
    if (x == "(") {
      FrameState f;
      f.kind = Frame::Paren;
      f.pattern = top.pattern;
      f.params = is(prev_, "function") || (prev_.type == Tok::Ident && is(prev2_, "function"));
      f.control = is(prev_, "if") || is(prev_, "while") || is(prev_, "for") || is(prev_, "with");
      f.for_head = is(prev_, "for");
      frames_.push_back(f);
    } else if (x == "[" || x == "{") {
      FrameState f;
      f.kind = x == "[" ? Frame::Bracket : brace_kind(t);
      f.pattern = top.pattern || pattern_next_;
      f.expect_key = f.kind == Frame::Object;
      pattern_next_ = false;
      frames_.push_back(f);
    } else if (x == ")" || x == "]" || x == "}") {
      if (frames_.size() > 1) {
        FrameState closed = frames_.back();
        frames_.pop_back();
        if (x == ")") set_regex_ok(closed.control);
        if (x == "}") set_regex_ok(closed.kind != Frame::Object);
      }
    } else if (x == "?") {
      ++top.ternary;
    } else if (x == ":") {
      if (top.ternary > 0) {
        --top.ternary;
        colon_expr_ = true;
      } else {
        colon_expr_ = top.kind == Frame::Object;  // property value; else a label or case: a statement follows
      }
    } else if (x == ",") {
      if (top.kind == Frame::Object) top.expect_key = true;
    } else if (x == "=") {
      if (top.kind == Frame::Paren && top.params && !top.pattern) {
        add(t, "default parameter value is ES2015", "test in the body: if (x === undefined) { x = ...; }");
      }
    }
  }

  Frame brace_kind(const Token& t) {
    if (class_depth_ == frames_.size()) {
      class_depth_ = 0;
      return Frame::Class;
    }
    if (pattern_next_) return Frame::Object;
    switch (prev_.type) {
      case Tok::End:
        return Frame::Block;
      case Tok::Punct: {
        std::string_view p = text(prev_);
        if (p == ")" || p == "]" || p == "}" || p == ";" || p == "=>" || p == "++" || p == "--") {
          return Frame::Block;
        }
        if (p == ":") return colon_expr_ ? Frame::Object : Frame::Block;
        if (p == "{") return frames_.back().kind == Frame::Block ? Frame::Block : Frame::Object;
        return Frame::Object;
      }
      case Tok::Ident: {
        std::string_view p = text(prev_);
        if (p == "return") return t.nl_before ? Frame::Block : Frame::Object;
        if (p == "typeof" || p == "instanceof" || p == "in" || p == "of" || p == "new" || p == "delete" ||
            p == "void" || p == "throw" || p == "case" || p == "yield" || p == "await") {
          return Frame::Object;
        }
        return Frame::Block;  // else, do, try, finally, an identifier before ASI
      }
      default:
        return Frame::Block;
    }
  }

  void object_key(const Token& t) {
    if (t.type == Tok::Punct) {
      if (text(t) == "[") {
        add(t, "computed property name [...] in an object literal is ES2015",
            "create the object first, then assign: var o = {}; o[key] = value;");
      } else if (text(t) == "*") {
        add(t, "generator method is ES2015",
            "ES5 has no generators: return an iterator object or use callbacks");
      }
      return;  // `...` is reported by the lexer; `}` ends an empty literal or follows a trailing comma
    }
    if (t.type != Tok::Ident && t.type != Tok::String && t.type != Tok::Number) return;
    std::string_view key = text(t);
    const Token& n = peek();
    if (t.type == Tok::Ident && (key == "get" || key == "set") &&
        (n.type == Tok::Ident || n.type == Tok::String || n.type == Tok::Number)) {
      skip_word_ = true;  // ES5 accessor: its name may be any word (get class() {})
      return;
    }
    if (t.type == Tok::Ident && (key == "get" || key == "set") && is(n, "[")) {
      add(n, "computed property name [...] in an object literal is ES2015",
          "define the accessor with Object.defineProperty(o, key, { get: function () { ... } })");
      return;
    }
    if (t.type == Tok::Ident && key == "async" && !n.nl_before &&
        (n.type == Tok::Ident || is(n, "*") || is(n, "["))) {
      add(t, "async method is ES2017", "use a plain function with callbacks or Promise then() chains");
      return;
    }
    if (is(n, "(")) {
      add(t, "shorthand method " + std::string(key) + "() {...} is ES2015",
          "write " + std::string(key) + ": function (...) {...}");
    } else if (t.type == Tok::Ident && (is(n, ",") || is(n, "}") || is(n, "="))) {
      add(t, "shorthand property " + std::string(key) + " is ES2015",
          "write " + std::string(key) + ": " + std::string(key));
    }
  }

  // Declaration keyword followed by a pattern.
  void destructuring_after(const Token& n) {
    if (is(n, "[") || is(n, "{")) {
      add(n, "destructuring is ES2015", "assign each part: var a = o.a, b = o.b; (or arr[0], arr[1])");
      pattern_next_ = true;
    }
  }

  void word(const Token& t) {
    std::string_view w = text(t);
    if (w == "const") {
      add(t, "const declaration is ES2015", "use var (function-scoped; ES5 has no constants)");
      destructuring_after(peek());
    } else if (w == "let") {
      const Token& n = peek();
      bool statement_start = prev_.type == Tok::End || t.nl_before || is(prev_, ";") || is(prev_, "{") ||
                             is(prev_, "}") || is(prev_, "(");
      bool decl = (n.type == Tok::Ident && text(n) != "in" && text(n) != "instanceof" && !n.nl_before) ||
                  ((is(n, "[") || is(n, "{")) && statement_start);
      if (decl) {
        add(t, "let declaration is ES2015",
            "use var (function-scoped: rename it if the name is reused in the same function)");
        destructuring_after(n);
      }
    } else if (w == "var") {
      destructuring_after(peek());
    } else if (w == "class") {
      add(t, "class is ES2015", "use a constructor function and assign methods to its prototype");
      class_depth_ = frames_.size();
    } else if (w == "function") {
      if (is(peek(), "*")) {
        add(peek(), "generator function is ES2015",
            "ES5 has no generators: return an iterator object or use callbacks");
      }
    } else if (w == "async") {
      const Token& n = peek();
      if (is(n, "function") && !n.nl_before) {
        add(t, "async function is ES2017",
            "use callbacks or Promise then() chains (with a Promise polyfill)");
      }
    } else if (w == "new") {
      if (is(peek(), ".") && is(peek(1), "target")) {
        add(t, "new.target is ES2015", "test `this instanceof F` in the constructor F");
      }
    } else if (w == "import" || w == "export") {
      add(t, std::string(w) + " is ES module syntax (ES2015)",
          "ES5 devices load classic scripts: share values through a global (or the fleetpack loader)");
    } else if (w == "of") {
      const FrameState& top = frames_.back();
      if (top.kind == Frame::Paren && top.for_head &&
          (prev_.type == Tok::Ident || is(prev_, "]") || is(prev_, "}"))) {
        add(t, "for-of loop is ES2015",
            "use an index loop: for (var i = 0; i < a.length; i++) { var x = a[i]; }");
      }
    }
  }

  Lexer lex_;
  std::vector<Finding>& findings_;
  std::deque<Token> buffer_;
  std::vector<FrameState> frames_;
  Token prev_;
  Token prev2_;
  bool colon_expr_ = false;
  bool pattern_next_ = false;
  bool skip_word_ = false;
  size_t class_depth_ = 0;  ///< frames_.size() at `class`: the next `{` at that depth is its body
};

// First non-blank column (in code points) of a 1-based line, 1 if unknown.
int first_code_column(const std::string& text, int line) {
  size_t pos = 0;
  for (int l = 1; l < line && pos < text.size(); ++l) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) return 1;
    pos = nl + 1;
  }
  int col = 1;
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) {
    ++pos;
    ++col;
  }
  return col;
}

}  // namespace

bool check_es5(const std::string& file, const std::string& text, Diagnostics& diags) {
  std::vector<Finding> findings;
  Scanner(text, findings).run();

  // Every finding is reported once per place, in source order.
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return a.line != b.line ? a.line < b.line : a.col < b.col;
  });
  findings.erase(
      std::unique(findings.begin(), findings.end(),
                  [](const Finding& a, const Finding& b) { return a.line == b.line && a.col == b.col; }),
      findings.end());

  DukGuard guard;
  DukResult duk;
  compile_in_duktape(guard, file, text, duk);

  bool ok = findings.empty();
  if (duk.fatal) {
    diags.error(ErrorKind::Internal, Location::file_only(file), "ES5 check: " + duk.message,
                "report this as a fleetpack bug, with the script");
  } else if (!duk.compiled && duk.message.rfind("SyntaxError", 0) != 0) {
    // Not a syntax error: an engine limit (RangeError: function limit, register limit ...) or out of memory.
    int line = duk.line > 0 ? duk.line : 1;
    diags.warning(
        Location::text(file, line, first_code_column(text, line)),
        "Duktape 2.7 cannot compile this script (an engine limit, not an ES5 problem): " + duk.message +
            "; the rest of the script was checked by fleetpack's ES5 scanner only",
        "Duktape-based devices cannot load it: split very large scripts or functions if they are targeted");
  } else if (!duk.compiled) {
    // The scanner's finding on the same line is the clearer message (it has a column and names the
    // construct).
    bool explained = std::any_of(findings.begin(), findings.end(),
                                 [&](const Finding& f) { return duk.line > 0 && f.line == duk.line; });
    if (!explained) {
      int line = duk.line > 0 ? duk.line : 1;
      diags.error(
          ErrorKind::CheckFailed, Location::text(file, line, first_code_column(text, line)),
          "not ES5: Duktape 2.7 cannot compile this script: " + duk.message,
          "an ES5 engine rejects this line (Duktape gives the line, not the column): rewrite it in ES5");
      ok = false;
    }
  }
  size_t shown = std::min(findings.size(), kMaxReported);
  for (size_t i = 0; i < shown; ++i) {
    const Finding& f = findings[i];
    diags.error(ErrorKind::CheckFailed, Location::text(file, f.line, f.col), "not ES5: " + f.message, f.hint);
  }
  if (findings.size() > shown) {
    diags.error(ErrorKind::CheckFailed, Location::file_only(file),
                "not ES5: " + std::to_string(findings.size() - shown) + " more ES2015+ constructs not listed",
                "this file is probably not meant for an ES5 device: transpile it to ES5 first");
  }
  return ok;
}

}  // namespace fleetpack
