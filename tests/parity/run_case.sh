#!/usr/bin/env bash
# One parity case: lower a module for a VM and check the result three ways.
#
#   run_case.sh FLEETPACK CASE.wat|CASE.wasm [--features LIST] [--count N] [--scratch DIR] [-- PARITY ARGS...]
#
# Options may also come from CASE.args beside the case (e.g. `--features mutable-globals -- --imports
# env.f=1`): one file per case that needs them, read before the command line's.
# 1. CASE.wat is compiled with wat2wasm (every feature on, names kept); a .wasm is used as it is.
# 2. `FLEETPACK lower --features LIST` (default "": an MVP VM) writes the lowered module.
# 3. wasm-validate accepts it with every post-MVP feature wabt checks disabled except those in LIST, and
#    `FLEETPACK inspect --json` reports no feature outside LIST.
# 4. parity.js runs the original and the lowered module on N inputs per export (default 5000): node runs
#    both, wabt's spectest-interp runs the lowered one with the same features disabled.
# Tools come from $WAT2WASM, $WASM_VALIDATE, $NODE, $WAST2JSON, $SPECTEST_INTERP, else PATH. Work files go
# to --scratch DIR (recreated), else a temporary folder removed at exit. Exits 0 when every check passes.
set -euo pipefail

die() { echo "run_case.sh: $*" >&2; exit 2; }
[[ $# -ge 2 ]] || die "usage: run_case.sh FLEETPACK CASE.wat|CASE.wasm [--features LIST] [--count N] [--scratch DIR] [-- PARITY ARGS...]"
fleetpack=$1
input=$2
shift 2
# A case may carry its own options in CASE.args beside it (same syntax, whitespace-separated); the
# command line's come after them.
if [[ -f ${input%.*}.args ]]; then
  read -r -d '' -a case_args < "${input%.*}.args" || true
  set -- "${case_args[@]}" "$@"
fi
features=""
count=5000
scratch=""
parity_args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --features) features=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --scratch) scratch=$2; shift 2 ;;
    --) shift; parity_args=("$@"); break ;;
    *) die "unknown argument '$1'" ;;
  esac
done
[[ -x $fleetpack ]] || die "not an executable: $fleetpack"
[[ -f $input ]] || die "no such case: $input"

here=$(cd "$(dirname "$0")" && pwd)
WAT2WASM=${WAT2WASM:-wat2wasm}
WASM_VALIDATE=${WASM_VALIDATE:-wasm-validate}
NODE=${NODE:-node}

if [[ -n $scratch ]]; then
  rm -rf "$scratch"
  mkdir -p "$scratch"
else
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
fi

# fleetpack feature name -> wabt's flag, for the features wabt 1.0.32 enables by default.
declare -A wabt_name=(
  [sign-ext]=sign-extension [nontrapping-float-to-int]=saturating-float-to-int [bulk-memory]=bulk-memory
  [reference-types]=reference-types [multivalue]=multi-value [mutable-globals]=mutable-globals [simd]=simd)
declare -A allowed=()
IFS=, read -r -a feature_list <<< "$features"
for f in "${feature_list[@]}"; do
  [[ -z $f ]] && continue
  [[ -n ${wabt_name[$f]:-} ]] || die "--features: '$f' is not one of: ${!wabt_name[*]}"
  allowed[$f]=1
done
disable_flags() {  # the --disable-* flags for every feature in $@ not allowed
  local f
  for f in "$@"; do [[ -n ${allowed[$f]:-} ]] || printf -- '--disable-%s\n' "${wabt_name[$f]}"; done
}
mapfile -t validate_flags < <(disable_flags nontrapping-float-to-int sign-ext bulk-memory reference-types \
  multivalue simd)
mapfile -t interp_flags < <(disable_flags nontrapping-float-to-int sign-ext bulk-memory reference-types \
  multivalue mutable-globals simd)

step() { echo "== $*"; }
name=$(basename "${input%.*}")
if [[ $input == *.wat ]]; then
  step "wat2wasm $input"
  "$WAT2WASM" --enable-all --debug-names "$input" -o "$scratch/$name.wasm"
  original=$scratch/$name.wasm
else
  original=$input
fi
lowered=$scratch/$name.lowered.wasm

step "fleetpack lower --features '$features'"
"$fleetpack" lower "$original" --features "$features" -o "$lowered"

step "wasm-validate ${validate_flags[*]}"
"$WASM_VALIDATE" "${validate_flags[@]}" "$lowered"

step "fleetpack inspect --json: features used by the lowered module"
"$fleetpack" inspect --json "$lowered" > "$scratch/inspect.json"
used=$("$NODE" -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(j.features.map((f) => f.name).join(","));' "$scratch/inspect.json")
echo "${used:-none}"
IFS=, read -r -a used_list <<< "$used"
for f in "${used_list[@]}"; do
  [[ -z $f || -n ${allowed[$f]:-} ]] || { echo "FAIL: the lowered module still uses '$f'" >&2; exit 1; }
done

step "parity.js --count $count"
"$NODE" "$here/parity.js" --original "$original" --lowered "$lowered" --count "$count" \
  --wabt-disable "${interp_flags[@]:-none}" ${parity_args[@]+"${parity_args[@]}"}
