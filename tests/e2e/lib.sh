# Helpers for the end-to-end scripts (sourced, not run). See CMakeLists.txt for the environment.
#
#   setup                     checks the environment, recreates $SCRATCH and cd's into it
#   require_demo_engine       skips the test (exit 77) when the demo engine was not built
#   run_fp EXPECTED ARGS...   runs `$FLEETPACK ARGS...`, stdout -> $OUT, stderr -> $ERR; fails unless the
#                             exit code is EXPECTED
#   expect_exit N CMD...      the same for any command
#   assert_contains F STR     F contains the fixed string STR        (assert_not_contains: it does not)
#   assert_matches F ERE      a line of F matches the extended regex  (assert_not_matches: none does)
#   assert_file P / assert_no_path P / assert_no_files DIR / assert_same_bytes A B
#   demo_project DIR          copies examples/demo's fleetpack.yaml, app/, profiles/ into DIR, engine: $DEMO_ENGINE,
#                             profiles modern and stick-2022 (not the device map)
#   tree_digest DIR           sha256 of every file under DIR (sorted, relative paths): compare two calls
#   bundle_file REL PROFILE PATH   extracts the file PATH of PROFILE's manifest from the release folder REL
#                             (files/<sha256>, decompressed) to $SCRATCH/.bundles/<REL id>/PROFILE/PATH and prints that path
#   flip_byte FILE OFFSET     inverts the bits of one byte of FILE in place
#   re_escape STR             STR with ERE metacharacters escaped, for assert_matches
#   expect_invalid_input F WHERE MSG   inspect, inspect --json and build all refuse F with exit 3 (below)
#   wabt_flags_for_profile P / binaryen_flags_for_profile P   a demo profile's features as tool flags
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TEST_NAME="$(basename "$0" .sh)"
: "${SOURCE_DIR:=$(cd "$E2E_DIR/../.." && pwd)}"
: "${NODE:=node}"
: "${WAT2WASM:=wat2wasm}"
: "${WASM_VALIDATE:=wasm-validate}"
: "${WASM_OBJDUMP:=wasm-objdump}"
: "${WASM_OPT:=wasm-opt}"
: "${WASM_STRIP:=wasm-strip}"
export NODE WASM_OBJDUMP

fail() {
  echo "FAIL [$TEST_NAME]: $*" >&2
  exit 1
}

skip() {
  echo "SKIP [$TEST_NAME]: $*" >&2
  exit 77
}

note() { echo "[$TEST_NAME] $*"; }

setup() {
  [[ -n "${FLEETPACK:-}" ]] || fail "FLEETPACK is not set (run through ctest, or export FLEETPACK=path/to/fleetpack)"
  [[ -x "$FLEETPACK" ]] || fail "FLEETPACK=$FLEETPACK is not an executable"
  : "${SCRATCH:=${TMPDIR:-/tmp}/fleetpack-e2e/$TEST_NAME}"
  case "$SCRATCH" in
    "$SOURCE_DIR" | "$SOURCE_DIR"/examples* | "$SOURCE_DIR"/tests* | "" | /) fail "refusing scratch dir '$SCRATCH'" ;;
  esac
  rm -rf "$SCRATCH"
  mkdir -p "$SCRATCH"
  cd "$SCRATCH"
  OUT="$SCRATCH/.stdout"
  ERR="$SCRATCH/.stderr"
}

require_demo_engine() {
  [[ -n "${DEMO_ENGINE:-}" ]] || skip "DEMO_ENGINE is not set: the demo engine was not built"
  [[ -f "$DEMO_ENGINE" ]] || skip "DEMO_ENGINE=$DEMO_ENGINE does not exist: build the demo_engine target"
}

require_tool() {
  command -v "$1" > /dev/null 2>&1 || fail "needs '$1' (not found)"
}

# Prints the last command's captured output, for failure messages.
show_output() {
  echo "--- stdout:" >&2
  cat "$OUT" >&2 2> /dev/null || true
  echo "--- stderr:" >&2
  cat "$ERR" >&2 2> /dev/null || true
  echo "---" >&2
}

expect_exit() {
  local want="$1"
  shift
  local got=0
  "$@" > "$OUT" 2> "$ERR" || got=$?
  if [[ "$got" != "$want" ]]; then
    show_output
    fail "expected exit $want, got $got from: $*"
  fi
}

run_fp() {
  local want="$1"
  shift
  expect_exit "$want" "$FLEETPACK" "$@"
}

assert_contains() {
  grep -qF -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "$1 does not contain: $2"; }
}

assert_not_contains() {
  if grep -qF -- "$2" "$1"; then echo "--- $1:" >&2; cat "$1" >&2; fail "$1 contains: $2"; fi
}

assert_matches() {
  grep -qE -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "no line of $1 matches: $2"; }
}

assert_not_matches() {
  if grep -qE -- "$2" "$1"; then echo "--- $1:" >&2; cat "$1" >&2; fail "a line of $1 matches: $2"; fi
}

assert_file() {
  [[ -f "$1" ]] || fail "missing file: $1"
}

assert_no_path() {
  [[ ! -e "$1" ]] || { find "$1" >&2; fail "should not exist: $1"; }
}

# DIR does not exist, or holds no file at any depth (the build wrote nothing).
assert_no_files() {
  if [[ -e "$1" ]]; then
    local files
    files="$(find "$1" -mindepth 1 ! -type d)"
    [[ -z "$files" ]] || { echo "$files" >&2; fail "$1 should hold no files"; }
  fi
}

assert_same_bytes() {
  cmp -s "$1" "$2" || fail "$1 and $2 differ"
}

re_escape() {
  printf '%s' "$1" | sed -e 's/[][\.|$(){}?+*^]/\\&/g'
}

demo_project() {
  local dir="$1"
  require_demo_engine
  mkdir -p "$dir"
  cp "$SOURCE_DIR/examples/demo/fleetpack.yaml" "$dir/"
  cp -r "$SOURCE_DIR/examples/demo/app" "$SOURCE_DIR/examples/demo/profiles" "$dir/"
  # engine: is relative to the config in the demo; point it at the built module instead.
  sed -i -E "s|^engine:.*$|engine: $DEMO_ENGINE|" "$dir/fleetpack.yaml"
  # These tests use the demo's two Os profiles; the whole demo fleet (devices.csv) has its own test.
  sed -i -E "/^devices:/d" "$dir/fleetpack.yaml"
  echo "select: [modern, stick-2022]" >> "$dir/fleetpack.yaml"
  grep -q "^engine: $DEMO_ENGINE\$" "$dir/fleetpack.yaml" || fail "could not set engine: in $dir/fleetpack.yaml"
}

tree_digest() {
  (cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
}

bundle_file() {
  local rel="$1" profile="$2" path="$3" out sha enc
  out="$SCRATCH/.bundles/$(realpath -m "$rel" | sha256sum | cut -c1-12)/$profile/$path"
  require_tool jq
  read -r sha enc < <(jq -r --arg p "$path" '.files[] | select(.path == $p) | "\(.sha256) \(.encoding)"' \
    "$rel/profiles/$profile.json") || true
  [[ -n "${sha:-}" ]] || fail "$rel: profile $profile ships no $path"
  mkdir -p "$(dirname "$out")"
  if [[ $enc == zstd ]]; then
    zstd -q -d -f "$rel/files/$sha" -o "$out" || fail "$rel/files/$sha does not decompress"
  else
    cp "$rel/files/$sha" "$out"
  fi
  [[ "$(sha256sum "$out" | cut -d' ' -f1)" == "$sha" ]] || fail "$rel/files/$sha: content does not match its sha256"
  echo "$out"
}

flip_byte() {
  local file="$1" offset="$2" byte
  byte=$(od -An -tu1 -j "$offset" -N1 "$file" | tr -d ' ')
  printf "$(printf '\\%03o' $((byte ^ 0xff)))" | dd of="$file" bs=1 seek="$offset" conv=notrunc status=none
}

# The features each profile of the demo may use, as wasm-validate flags (wabt 1.0.32 enables sign-ext,
# mutable-globals, saturating float-to-int, bulk-memory, multi-value, reference-types and SIMD by default,
# and nothing else): modern = all seven, stick-2022 = the first four, mvp = none.
wabt_flags_for_profile() {
  case "$1" in
    modern) echo "" ;;
    stick-2022) echo "--disable-multi-value --disable-reference-types --disable-simd" ;;
    mvp | tv-2019)
      echo "--disable-mutable-globals --disable-saturating-float-to-int --disable-sign-extension" \
        "--disable-bulk-memory --disable-multi-value --disable-reference-types --disable-simd"
      ;;
    *) fail "no feature list for profile '$1'" ;;
  esac
}

# The same feature sets as Binaryen 108 flags (wasm-opt --mvp-features then these).
binaryen_flags_for_profile() {
  local four="--enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int --enable-bulk-memory"
  case "$1" in
    modern) echo "$four --enable-multivalue --enable-reference-types --enable-simd" ;;
    stick-2022) echo "$four" ;;
    mvp | tv-2019) echo "" ;;
    *) fail "no feature list for profile '$1'" ;;
  esac
}

# FILE is refused as invalid input by both `inspect` and `build` (exit 3): the first line of stderr is
# "<FILE><WHERE>: error: <MESSAGE>" (WHERE and MESSAGE are EREs; WHERE is e.g. ':0x[0-9a-f]+' or ''),
# a hint follows, stdout is empty, and the build writes nothing.
expect_invalid_input() {
  local file="$1" where="$2" message="$3" first want
  want="^$(re_escape "$file")$where: error: $message\$"
  run_fp 3 inspect "$file"
  [[ ! -s "$OUT" ]] || { show_output; fail "inspect of an invalid module printed a report"; }
  first=$(head -1 "$ERR")
  [[ "$first" =~ $want ]] || { show_output; fail "inspect: first line of stderr does not match: $want"; }
  cp "$ERR" "$SCRATCH/.inspect.stderr"
  run_fp 3 inspect --json "$file"
  [[ ! -s "$OUT" ]] || { show_output; fail "inspect --json of an invalid module printed JSON"; }
  [[ "$(head -1 "$ERR")" == "$first" ]] || { show_output; fail "inspect --json reports differently"; }
  rm -rf "$SCRATCH/invalid-out"
  run_fp 3 build --engine "$file" --profile modern --out "$SCRATCH/invalid-out"
  [[ "$(head -1 "$ERR")" == "$first" ]] || { show_output; fail "build reports differently from inspect"; }
  assert_no_files "$SCRATCH/invalid-out"
  # Last, so that a missing hint does not hide the checks above.
  assert_matches "$SCRATCH/.inspect.stderr" '^  hint: .+'
  note "exit 3: $first"
}
