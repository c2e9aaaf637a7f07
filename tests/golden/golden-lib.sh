# shellcheck shell=bash
# Shared by update-goldens.sh and run-inspect-goldens.sh (sourced, not run).
#
# Environment (all optional):
#   FLEETPACK       the fleetpack binary        (default: <repo>/build/fleetpack)
#   WAT2WASM        wabt 1.0.32's wat2wasm      (default: wat2wasm from PATH)
#   GOLDEN_SCRATCH  where .wasm and outputs go  (default: a temp dir, removed on exit)
# Arguments: case names (the .wat file names without extension); none = every case.

golden_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
inspect_dir="$golden_dir/inspect"
repo_dir=$(cd "$golden_dir/../.." && pwd)

FLEETPACK=${FLEETPACK:-$repo_dir/build/fleetpack}
WAT2WASM=${WAT2WASM:-wat2wasm}

golden_die() { echo "$(basename "$0"): error: $*" >&2; exit 2; }

[ -x "$FLEETPACK" ] || golden_die "fleetpack binary not found or not executable: $FLEETPACK (set FLEETPACK)"
command -v "$WAT2WASM" >/dev/null 2>&1 || golden_die "wat2wasm not found: $WAT2WASM (set WAT2WASM)"

if [ -n "${GOLDEN_SCRATCH:-}" ]; then
  mkdir -p "$GOLDEN_SCRATCH" || golden_die "cannot create $GOLDEN_SCRATCH"
  golden_scratch=$(cd "$GOLDEN_SCRATCH" && pwd)
else
  golden_scratch=$(mktemp -d)
  trap 'rm -rf "$golden_scratch"' EXIT
fi

# Goldens written or corrected by hand because fleetpack prints something wrong for them (README.md
# here): update-goldens.sh warns before it overwrites one of them with different output.
# shellcheck disable=SC2034  # used by update-goldens.sh
golden_hand_corrected=" externref ref_opcodes ref_func_table_fill exceptions_passive_data padded_leb "

# golden_cases [NAME...]: prints the case names to process, one a line; fails on an unknown name.
golden_cases() {
  if [ $# -eq 0 ]; then
    for wat in "$inspect_dir"/*.wat; do [ -e "$wat" ] && basename "$wat" .wat; done
    return 0
  fi
  for c in "$@"; do
    c=${c%.wat}; c=$(basename "$c")
    [ -f "$inspect_dir/$c.wat" ] || golden_die "no such case: $inspect_dir/$c.wat"
    echo "$c"
  done
}

# golden_inspect CASE: compiles inspect/CASE.wat with the flags of its first line
# (";; WAT2WASM: <flags>") into $golden_scratch/CASE/CASE.wasm, then runs
# `fleetpack inspect --json --top 5 CASE.wasm` inside that folder (so "file" is just "CASE.wasm").
# Output: $golden_scratch/CASE/CASE.json. Returns non-zero (with a message) on any failure,
# including any diagnostic on stderr: no fixture should make fleetpack warn.
golden_inspect() {
  local c=$1 wat="$inspect_dir/$1.wat" dir="$golden_scratch/$1" first flags rc
  first=$(head -n 1 "$wat")
  case "$first" in
    ";; WAT2WASM:"*) flags=${first#;; WAT2WASM:} ;;
    *) echo "$wat:1: first line must be ';; WAT2WASM: <flags>' (flags may be empty)" >&2; return 1 ;;
  esac
  rm -rf "$dir" && mkdir -p "$dir" || return 1
  # $flags is split into words on purpose.
  # shellcheck disable=SC2086
  if ! "$WAT2WASM" $flags "$wat" -o "$dir/$c.wasm" 2>"$dir/wat2wasm.err"; then
    echo "$c: wat2wasm$flags failed:" >&2; cat "$dir/wat2wasm.err" >&2; return 1
  fi
  rc=0
  (cd "$dir" && "$FLEETPACK" inspect --json --top 5 "$c.wasm" >"$c.json" 2>"fleetpack.err") || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "$c: fleetpack inspect --json --top 5 $c.wasm exited $rc:" >&2; cat "$dir/fleetpack.err" >&2; return 1
  fi
  if [ -s "$dir/fleetpack.err" ]; then
    echo "$c: fleetpack inspect printed diagnostics for a valid fixture:" >&2; cat "$dir/fleetpack.err" >&2; return 1
  fi
  return 0
}
