#!/usr/bin/env bash
# fallback.npm.<name>: a real npm package's own JS API on fleetpack's JS fallback of its module.
#
#   run_module.sh FLEETPACK NAME DRIVER SCRATCH [verify-fallback options...]
#
#   1. fetches the pinned module and the package's JS glue (tests/third_party/fetch.sh, glue.tsv);
#   2. plain `wasm2js --all-features NAME.wasm` must fail (exit non-zero): the reason fleetpack exists here;
#   3. `fleetpack build --engine NAME.wasm -p nowasm-es2020` (profiles/: no Wasm, ES2020, i64 as BigInt as
#      the WebAssembly JS API passes it) and unpacks the bundle (engine.js);
#   4. runs DRIVER (the package's API on fixed inputs) in plain node on the real Wasm and in
#      `node --jitless` (no WebAssembly) with ../webassembly_shim.js on the bundle's engine.js; the outputs
#      must be identical and non-trivial (>= 10 result lines, at least one that is not an error);
#   5. `fleetpack verify-fallback` with the remaining options (generated calls on raw exports).
# Prints what fleetpack lowered, the sizes and the time of each stage.
# Exit 77 (skipped) when the npm registry cannot be reached or npm is missing; WASM2JS, NODE: the tools.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tp="$here/../../third_party"
[ $# -ge 4 ] || { echo "usage: $0 FLEETPACK NAME DRIVER SCRATCH [verify-fallback options...]" >&2; exit 2; }
fleetpack=$1 name=$2 driver=$3 scratch=$4
shift 4
node=${NODE:-node}
wasm2js=${WASM2JS:-wasm2js}
fail() { echo "FAILED: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

rm -rf "$scratch"
mkdir -p "$scratch"

# 1. The module and its package's glue.
t=$(now)
cache=$("$tp/fetch_or_skip.sh" "$name" 2>"$scratch/fetch.log") || { rc=$?; cat "$scratch/fetch.log" >&2; exit $rc; }
wasm="$cache/$name.wasm" pkg="$cache/$name.pkg"
[ -f "$wasm" ] && [ -d "$pkg/package" ] || fail "fetch.sh gave no $wasm or $pkg/package (is $name in glue.tsv?)"
echo "== $name: $wasm ($(stat -c %s "$wasm") bytes), glue in $(readlink -f "$pkg") [$(since "$t")]"

# 2. Plain wasm2js fails on it.
t=$(now)
set +e
timeout 300 "$wasm2js" --all-features "$wasm" -o "$scratch/plain-wasm2js.mjs" >"$scratch/plain-wasm2js.log" 2>&1
rc=$?
set -e
[ "$rc" -ne 0 ] || fail "plain \`wasm2js --all-features\` succeeded on $name: the README's claim is stale"
echo "== plain wasm2js --all-features: exit $rc [$(since "$t")]: $(grep -m1 -E 'error|Assertion|Fatal' "$scratch/plain-wasm2js.log" || head -n 1 "$scratch/plain-wasm2js.log")"

# 3. fleetpack's fallback.
t=$(now)
"$fleetpack" build --engine "$wasm" -p nowasm-es2020 --profiles "$here/profiles" -o "$scratch/out" --no-cache \
  >"$scratch/build.log" 2>&1 || { cat "$scratch/build.log" >&2; fail "fleetpack build failed"; }
release="$scratch/out/$name/0.0.0"
bash "$here/../unpack_bundle.sh" "$release" nowasm-es2020 "$scratch/bundle" 2>/dev/null
engine="$scratch/bundle/engine.js"
[ -f "$engine" ] || fail "the bundle has no engine.js"
lowered=$(awk '$1 == "nowasm-es2020" { $1 = $2 = $3 = $4 = $5 = $6 = $7 = ""; sub(/^ +/, ""); print }' "$scratch/build.log")
zstd_size=$("$node" -e 'const m = require(process.argv[1]); console.log(m.files.find((f) => f.path === m.entry).stored_size)' \
  "$release/profiles/nowasm-es2020.json")
echo "== fleetpack build [$(since "$t")]: lowered: ${lowered:-nothing}; engine.js $(stat -c %s "$engine") bytes" \
     "($zstd_size zstd) for $(stat -c %s "$wasm") bytes of Wasm"

# 4. The package's own API: real Wasm vs the fallback through the WebAssembly shim.
t=$(now)
"$node" "$here/$driver" "$pkg" >"$scratch/wasm.out" 2>"$scratch/wasm.err" ||
  { cat "$scratch/wasm.err" >&2; fail "$driver failed on the real Wasm"; }
echo "== $driver in node (Wasm): $(wc -l <"$scratch/wasm.out") results [$(since "$t")]"
t=$(now)
"$node" --jitless "$here/$driver" "$pkg" "$wasm" "$engine" >"$scratch/fallback.out" 2>"$scratch/fallback.err" ||
  { cat "$scratch/fallback.err" >&2; fail "$driver failed on the fallback (node --jitless + webassembly_shim.js)"; }
echo "== $driver in node --jitless (fallback): $(wc -l <"$scratch/fallback.out") results [$(since "$t")]"
if ! cmp -s "$scratch/wasm.out" "$scratch/fallback.out"; then
  diff "$scratch/wasm.out" "$scratch/fallback.out" | cut -c1-400 | head -n 40 >&2
  fail "the package API gives different results on the fallback (< Wasm, > fallback)"
fi
results=$(wc -l <"$scratch/wasm.out")
ok=$(grep -vc ' THROWS ' "$scratch/wasm.out" || true)
[ "$results" -ge 10 ] && [ "$ok" -ge 1 ] || fail "too little output to compare: $results lines, $ok without an error"
echo "== same $results results ($ok values, $((results - ok)) errors reported the same way)"

# 5. Generated calls on the raw exports.
if [ $# -gt 0 ]; then
  t=$(now)
  "$fleetpack" verify-fallback "$release" -p nowasm-es2020 --engine "$wasm" --node "$node" "$@" \
    >"$scratch/verify.log" 2>&1 || { cat "$scratch/verify.log" >&2; fail "fleetpack verify-fallback found a difference"; }
  echo "== fleetpack verify-fallback $* [$(since "$t")]: $(tail -n 1 "$scratch/verify.log")"
fi
echo "PASSED: $name"
