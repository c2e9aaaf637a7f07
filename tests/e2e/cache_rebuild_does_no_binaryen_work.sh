#!/usr/bin/env bash
# The content store (docs/cache.md): a rebuild with nothing changed starts no Binaryen worker and writes a
# byte-identical release with the same table; a change to the app JS only repackages (the engines come
# from the store). FLEETPACK_TEST_WORKER_FAULT='*' aborts every worker, so a build that started one would
# fail with exit 4 (worker_death_fails_with_exit_4.sh).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/support/cache.sh"
setup
demo_project proj
cd proj
build=(build "${CACHE_PROFILES[@]}" --cache "$SCRATCH/store")

run_fp 0 "${build[@]}"
assert_matches "$OUT" '^cache: 0 reused \(0 local, 0 remote\), [1-9][0-9]* computed$'
assert_contains "$OUT" "5 profiles in 4 variants"
cold=$(tree_digest dist)
cp "$OUT" cold.txt

no_worker_build "${build[@]:1}"
assert_matches "$OUT" '^cache: 5 reused \(5 local, 0 remote\), 0 computed$'
[[ ! -s "$ERR" ]] || { show_output; fail "a rebuild from the store printed diagnostics"; }
warm=$(tree_digest dist)
[[ "$warm" == "$cold" ]] || fail "the rebuild's release differs:"$'\n'"$(diff <(echo "$cold") <(echo "$warm"))"
# The same table: the figures come from the store, not from measuring again.
diff <(grep -v '^cache:' cold.txt) <(grep -v '^cache:' "$OUT") || fail "the table from the store differs"

# App JS only: every engine comes from the store, the bundles carry the new JS.
echo "// changed" >> app/main.js
no_worker_build "${build[@]:1}"
assert_matches "$OUT" '^cache: 5 reused \(5 local, 0 remote\), 0 computed$'
[[ "$(tree_digest dist)" != "$cold" ]] || fail "the release does not carry the changed app JS"
run_fp 0 build "${CACHE_PROFILES[@]}" --no-cache --out fresh
[[ "$(tree_digest dist)" == "$(tree_digest fresh)" ]] || fail "the repackaged release differs from one built without the store"

# The store on the command line: stats count what happened, prune empties it.
run_fp 0 cache stats --cache "$SCRATCH/store"
assert_matches "$OUT" '^entries: +[1-9][0-9]* actions, [1-9][0-9]* blobs$'
assert_matches "$OUT" '^lookups: +[0-9]+ \(10 local hits, 0 remote hits, 7 misses; hit rate 58.8%\)$'
run_fp 0 cache prune --cache "$SCRATCH/store" --max-size 0
assert_matches "$OUT" '^removed [1-9][0-9]* entries .*; kept 0 entries'
run_fp 2 cache prune --cache "$SCRATCH/store" --max-size lots
assert_contains "$ERR" "--max-size: 'lots' is not a size"

# With the store emptied, the rebuild needs Binaryen again: the fault now fails it.
FLEETPACK_TEST_WORKER_FAULT='*' run_fp 4 "${build[@]}"
note "no-change rebuild: no worker, identical release ($(echo "$cold" | wc -l) files)"
