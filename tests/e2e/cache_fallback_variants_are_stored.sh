#!/usr/bin/env bash
# JS-fallback variants (targets js and auto) come from the content store too: a rebuild with nothing
# changed starts no worker at all (no Binaryen, no wasm2js) and writes a byte-identical release.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/support/cache.sh"
setup
demo_project proj
cd proj
printf 'id: tv-auto\nextends: chrome74\ntarget: auto\n' > profiles/tv-auto.yaml
build=(build -p no-wasm-es5 -p tv-auto -p modern --cache "$SCRATCH/store")

run_fp 0 "${build[@]}"
assert_matches "$OUT" '^cache: 0 reused \(0 local, 0 remote\), [1-9][0-9]* computed$'
cold=$(tree_digest dist)
no_worker_build "${build[@]:1}"
assert_matches "$OUT" '^cache: 4 reused \(4 local, 0 remote\), 0 computed$'
[[ ! -s "$ERR" ]] || { show_output; fail "a rebuild from the store printed diagnostics"; }
[[ "$(tree_digest dist)" == "$cold" ]] || fail "the rebuild's release differs"
run_fp 0 build -p no-wasm-es5 -p tv-auto -p modern --no-cache --out fresh
[[ "$(tree_digest fresh)" == "$cold" ]] || fail "the release from the store differs from one built without it"
