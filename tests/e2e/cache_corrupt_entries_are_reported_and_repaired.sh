#!/usr/bin/env bash
# Corrupt entries in the local store and on the remote cache (files overwritten in nginx's folder) are
# detected by their hash, reported as warnings naming the file or URL, not used, and replaced by good ones
# computed again: the release still equals the reference, and afterwards every entry is valid.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/support/cache.sh"
setup
demo_project proj
start_nginx "$SCRATCH/nginx"
cd proj

run_fp 0 build "${CACHE_PROFILES[@]}" --no-cache --out ref
reference=$(tree_digest ref)
run_fp 0 build "${CACHE_PROFILES[@]}" --cache "$SCRATCH/store" --remote-cache "$NGINX_URL"
assert_store_consistent "$SCRATCH/store" > /dev/null
assert_store_consistent "$NGINX_ROOT" > /dev/null

# Overwrite every blob, locally with bytes of another size, remotely with bytes of the same size.
for f in "$SCRATCH"/store/cas/*; do echo "bit rot" > "$f"; done
for f in "$NGINX_ROOT"/cas/*; do
  size=$(stat -c %s "$f")
  head -c "$size" /dev/zero > "$f"
done

run_fp 0 build "${CACHE_PROFILES[@]}" --cache "$SCRATCH/store" --remote-cache "$NGINX_URL"
store_re=$(re_escape "$SCRATCH/store/cas/")
url_re=$(re_escape "$NGINX_URL/cas/")
assert_matches "$ERR" "^$store_re[0-9a-f]{64}: warning: corrupt cache entry: its content hashes to [0-9a-f]{64}, not to its name; removed it$"
assert_matches "$ERR" "^$url_re[0-9a-f]{64}: warning: corrupt remote cache entry: its content hashes to [0-9a-f]{64}, not to its name; ignored it$"
assert_matches "$ERR" '^  hint: .+'
assert_not_contains "$ERR" "error:"
assert_matches "$OUT" '^cache: 0 reused \(0 local, 0 remote\), [1-9][0-9]* computed, [1-9][0-9]* corrupt entries replaced$'
[[ "$(tree_digest dist)" == "$reference" ]] || fail "the release built around corrupt entries differs from the reference"

# Repaired: every entry valid on both sides, and the next build reuses them without a warning.
assert_store_consistent "$SCRATCH/store" > /dev/null
assert_store_consistent "$NGINX_ROOT" > /dev/null
no_worker_build "${CACHE_PROFILES[@]}" --cache "$SCRATCH/store" --remote-cache "$NGINX_URL"
[[ ! -s "$ERR" ]] || { show_output; fail "the build after the repair still warns"; }
assert_matches "$OUT" '^cache: 5 reused \(5 local, 0 remote\), 0 computed$'
no_worker_build "${CACHE_PROFILES[@]}" --cache "$SCRATCH/fresh" --remote-cache "$NGINX_URL"
[[ ! -s "$ERR" ]] || { show_output; fail "the repaired remote still has corrupt entries"; }
assert_matches "$OUT" '^cache: 5 reused \(0 local, 5 remote\), 0 computed$'
note "corrupt local and remote entries reported, rebuilt and repaired"
