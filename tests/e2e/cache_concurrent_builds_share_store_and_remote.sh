#!/usr/bin/env bash
# Two builds at once against one local store and one remote cache (nginx with WebDAV): both releases equal
# a reference build made without any cache, and both stores are consistent afterwards (every cas/ entry is
# named by the SHA-256 of its bytes, no temporary files). A third build with an empty local store then
# takes everything from the remote and starts no Binaryen worker.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/support/cache.sh"
setup
demo_project proj
start_nginx "$SCRATCH/nginx"
cd proj

run_fp 0 build "${CACHE_PROFILES[@]}" --no-cache --out ref
reference=$(tree_digest ref)

pids=()
for i in 1 2; do
  "$FLEETPACK" build "${CACHE_PROFILES[@]}" --cache "$SCRATCH/store" --remote-cache "$NGINX_URL" --out "out$i" \
    > "$SCRATCH/out$i.txt" 2> "$SCRATCH/err$i.txt" &
  pids+=($!)
done
for i in 1 2; do
  rc=0
  wait "${pids[$((i - 1))]}" || rc=$?
  [[ $rc == 0 ]] || { cat "$SCRATCH/out$i.txt" "$SCRATCH/err$i.txt" >&2; fail "concurrent build $i exited $rc"; }
  [[ ! -s "$SCRATCH/err$i.txt" ]] || { cat "$SCRATCH/err$i.txt" >&2; fail "concurrent build $i printed diagnostics"; }
  got=$(tree_digest "out$i")
  [[ "$got" == "$reference" ]] || fail "release $i differs from the reference:"$'\n'"$(diff <(echo "$reference") <(echo "$got"))"
done

local_blobs=$(assert_store_consistent "$SCRATCH/store")
remote_blobs=$(assert_store_consistent "$NGINX_ROOT")
# Every action the local store holds is on the remote too, with the same record.
for f in "$SCRATCH"/store/ac/*; do
  cmp -s "$f" "$NGINX_ROOT/ac/$(basename "$f")" || fail "ac/$(basename "$f") differs between the store and the remote"
done

# A new runner: empty local store, same remote. Everything comes from the remote; no Binaryen worker.
no_worker_build "${CACHE_PROFILES[@]}" --cache "$SCRATCH/store2" --remote-cache "$NGINX_URL" --out out3
assert_matches "$OUT" '^cache: 5 reused \(0 local, 5 remote\), 0 computed$'
[[ "$(tree_digest out3)" == "$reference" ]] || fail "the release built from the remote differs from the reference"
assert_store_consistent "$SCRATCH/store2" > /dev/null
note "both releases equal the reference; store $local_blobs blobs, remote $remote_blobs blobs, all consistent"
