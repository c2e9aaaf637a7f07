#!/usr/bin/env bash
# `fleetpack build` of the demo config (select: [modern, stick-2022]) exits 0, prints the result table
# with one ok row per profile and writes the release layout of docs/release.md under dist/demo/1.0.0:
# index.json, profiles/<profile>.json, content-addressed files/<sha256> (zstd), symbols/<sha256>.map and
# report.json, nothing else. The app's JS files ship byte for byte at their paths relative to the config.
source "$(dirname "$0")/lib.sh"
setup
demo_project proj
cd proj

run_fp 0 build
raw=$(stat -c %s "$DEMO_ENGINE")
assert_matches "$OUT" "^demo 1\.0\.0 \(engine $(re_escape "$DEMO_ENGINE"), uses: sign-ext, nontrapping-float-to-int, bulk-memory, mutable-globals; 2 profiles in 1 variants\)$"
assert_matches "$OUT" '^profile +variant +level +raw bytes +optimized +zstd +status +lowered \(bytes added\)$'
rel=dist/demo/1.0.0
for p in modern stick-2022; do
  engine=$(bundle_file "$rel" "$p" engine.wasm)
  size=$(stat -c %s "$engine")
  # The table's "optimized" column is the size of the file shipped.
  assert_matches "$OUT" "^$p +[0-9a-f]{12} +Os +$raw +$size +[0-9]+ +ok +-$"
  [[ "$size" -lt "$raw" ]] || fail "$p: optimized engine ($size bytes) is not smaller than the input ($raw bytes)"
  for js in app/ui.js app/main.js; do
    assert_same_bytes "$(bundle_file "$rel" "$p" "$js")" "$SOURCE_DIR/examples/demo/$js"
  done
  [[ $(jq -r '.schema, .app, .version, .profile, .target' "$rel/profiles/$p.json" | tr '\n' ' ') == \
    "fleetpack.manifest/1 demo 1.0.0 $p wasm " ]] || fail "$p: manifest header: $(cat "$rel/profiles/$p.json")"
  jq -e '.entry as $e | any(.files[]; .path == $e)' "$rel/profiles/$p.json" > /dev/null || fail "$p: entry is not shipped"
done
assert_contains "$OUT" "written to dist/demo/1.0.0"
# Both profiles share one variant: the same files, stored once, compressed (smaller than the file).
[[ "$(jq -c .files "$rel/profiles/modern.json")" == "$(jq -c .files "$rel/profiles/stick-2022.json")" ]] ||
  fail "profiles of one variant list different files"
jq -r '.files[] | "\(.sha256) \(.size) \(.stored_size) \(.encoding)"' "$rel/profiles/modern.json" |
  while read -r sha size stored enc; do
    [[ $(stat -c %s "$rel/files/$sha") == "$stored" ]] || fail "files/$sha: stored_size"
    [[ $enc == zstd && $stored -lt $size ]] || fail "files/$sha: not compressed ($enc, $stored of $size bytes)"
  done
# Exactly these files, and no staging folder left beside the release.
engine_sha=$(jq -r '.files[] | select(.path == "engine.wasm") | .sha256' "$rel/profiles/modern.json")
expected=$( (echo index.json report.json profiles/modern.json profiles/stick-2022.json "symbols/$engine_sha.map" | tr ' ' '\n'
  jq -r '.files[].sha256 | "files/" + .' "$rel/profiles/modern.json") | sort)
actual=$(cd "$rel" && find . -mindepth 1 ! -type d | sed 's|^\./||' | sort)
[[ "$actual" == "$expected" ]] || fail "unexpected files in $rel:"$'\n'"$(diff <(echo "$expected") <(echo "$actual"))"
[[ -z "$(find dist -name '.*')" ]] || fail "hidden (staging) entries left in dist/: $(find dist -name '.*')"
# The index maps profiles to their manifests (with hashes) and names the symbol map and the report.
[[ $(jq -r '.profiles | keys | join(" ")' "$rel/index.json") == "modern stick-2022" ]] || fail "index profiles"
[[ $(jq -r '.profiles.modern.manifest.sha256' "$rel/index.json") == $(sha256sum "$rel/profiles/modern.json" | cut -d' ' -f1) ]] ||
  fail "index.json: manifest hash"
[[ $(jq -r ".symbols[\"$engine_sha\"].path" "$rel/index.json") == "symbols/$engine_sha.map" ]] || fail "index.json: symbols"
[[ $(jq -r '.built_at' "$rel/index.json") == null ]] || fail "a timestamp without SOURCE_DATE_EPOCH"
# File modes are fixed (0644 files, 0755 folders).
[[ -z "$(find "$rel" -type f ! -perm 0644)$(find "$rel" -type d ! -perm 0755)" ]] || fail "modes: $(find "$rel" -printf '%m %p\n')"
run_fp 0 verify "$rel"
assert_contains "$OUT" "release demo 1.0.0: 2 profiles, $(jq ".files | length" "$rel/profiles/modern.json") stored files, not signed: ok"
# A successful build prints no errors or warnings.
run_fp 0 build
[[ ! -s "$ERR" ]] || { show_output; fail "stderr is not empty"; }
