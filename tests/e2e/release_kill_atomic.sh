#!/usr/bin/env bash
# Atomic publication: builds killed with SIGKILL at random moments leave the release folder holding
# either the previous complete release or the new complete one (fleetpack verify passes and index.json is
# one of the two), never a mix; the staging folders of killed builds are never taken for releases and the
# next build removes them. Concurrent builds of different content into one output folder leave one of
# the two complete releases.
source "$(dirname "$0")/lib.sh"
setup
demo_project proj
cd proj
out="$SCRATCH/out"
rel="$out/demo/1.0.0"
cp app/main.js main.a.js
{ cat app/main.js; echo "// variant B"; } > main.b.js

# The two complete releases, for reference (builds are reproducible, so their index.json is known).
cp main.b.js app/main.js && run_fp 0 build --no-cache -o "$SCRATCH/ref-b"
sha_b=$(sha256sum "$SCRATCH/ref-b/demo/1.0.0/index.json" | cut -d' ' -f1)
cp main.a.js app/main.js && run_fp 0 build --no-cache -o "$out"
sha_a=$(sha256sum "$rel/index.json" | cut -d' ' -f1)
[[ "$sha_a" != "$sha_b" ]] || fail "the two contents give the same release"

RANDOM=$$
declare -A seen=()
for i in $(seq 1 30); do
  # Alternate the content so that "previous" and "new" swap roles.
  if ((i % 2)); then cp main.b.js app/main.js; else cp main.a.js app/main.js; fi
  "$FLEETPACK" build --no-cache -j 2 -o "$out" > /dev/null 2>&1 &
  pid=$!
  sleep "$(printf '0.%03d' $((RANDOM % 300)))"
  kill -KILL "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
  run_fp 0 verify "$rel"
  sha=$(sha256sum "$rel/index.json" | cut -d' ' -f1)
  case "$sha" in
    "$sha_a") seen[a]=$((${seen[a]:-0} + 1)) ;;
    "$sha_b") seen[b]=$((${seen[b]:-0} + 1)) ;;
    *) fail "after kill $i the release is neither the previous nor the new one" ;;
  esac
  # Nothing but the release (and staging folders, which are hidden) beside it.
  [[ $(cd "$out/demo" && ls) == "1.0.0" ]] || fail "visible entries beside the release: $(ls "$out/demo")"
done
leftover=$(find "$out/demo" -maxdepth 1 -name '.1.0.0.tmp-*' | wc -l)
note "30 kills: release A ${seen[a]:-0} times, B ${seen[b]:-0} times; $leftover staging folders left by killed builds"

# The next build cleans what killed builds left.
run_fp 0 build --no-cache -o "$out"
[[ -z "$(find "$out/demo" -maxdepth 1 -name '.*')" ]] || fail "staging folders not cleaned: $(ls -a "$out/demo")"
run_fp 0 verify "$rel"

# Concurrent builds of different content into one folder: each round ends with one complete release.
cp -r "$SCRATCH/proj" "$SCRATCH/proj2"
cp main.b.js "$SCRATCH/proj2/app/main.js"
cp main.a.js app/main.js
for i in 1 2 3 4 5; do
  "$FLEETPACK" build --no-cache -o "$out" > a.log 2>&1 &
  p1=$!
  (cd "$SCRATCH/proj2" && "$FLEETPACK" build --no-cache -o "$out" > b.log 2>&1) &
  p2=$!
  wait "$p1" || { cat a.log; fail "concurrent build A failed"; }
  wait "$p2" || { cat b.log; fail "concurrent build B failed"; }
  run_fp 0 verify "$rel"
  sha=$(sha256sum "$rel/index.json" | cut -d' ' -f1)
  [[ "$sha" == "$sha_a" || "$sha" == "$sha_b" ]] || fail "round $i: a mixed release"
  [[ -z "$(find "$out/demo" -maxdepth 1 -name '.*')" ]] || fail "round $i: staging left: $(ls -a "$out/demo")"
done
