#!/usr/bin/env bash
# A build that fails because a worker died (exit 4) leaves a previous release at the same
# <out>/<app>/<version> untouched, byte for byte, and leaves no staging folder behind.
source "$(dirname "$0")/lib.sh"
setup
demo_project proj
cd proj

run_fp 0 build
assert_file dist/demo/1.0.0/profiles/modern.json
before=$(tree_digest dist)
listing_before=$(cd dist && find . | sort)

# --no-cache: with the store, the rebuild would reuse the first build's result and start no worker.
FLEETPACK_TEST_WORKER_FAULT="optimize Os" run_fp 4 build --no-cache
assert_contains "$ERR" "died"
assert_matches "$ERR" "died while optimizing at Os for profiles? .*'modern'"
assert_contains "$OUT" "nothing written"

after=$(tree_digest dist)
[[ "$after" == "$before" ]] || fail "the previous release changed:"$'\n'"before:"$'\n'"$before"$'\n'"after:"$'\n'"$after"
listing_after=$(cd dist && find . | sort)
[[ "$listing_after" == "$listing_before" ]] ||
  fail "files appeared or disappeared under dist/:"$'\n'"$(diff <(echo "$listing_before") <(echo "$listing_after"))"
note "previous release intact: $(echo "$before" | wc -l) files, same sha256"
