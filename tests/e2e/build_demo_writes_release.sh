#!/usr/bin/env bash
# `fleetpack build` of the demo config (select: [modern, stick-2022]) exits 0, prints the result table
# with one ok row per profile and writes <out>/demo/1.0.0/<profile>/engine.wasm plus the app's JS files at
# their paths relative to the config (app/ui.js, app/main.js), byte for byte.
source "$(dirname "$0")/lib.sh"
setup
demo_project proj
cd proj

run_fp 0 build
raw=$(stat -c %s "$DEMO_ENGINE")
assert_matches "$OUT" "^demo 1\.0\.0 \(engine $(re_escape "$DEMO_ENGINE"), uses: sign-ext, nontrapping-float-to-int, bulk-memory, mutable-globals; 2 profiles in 1 variants\)$"
assert_matches "$OUT" '^profile +variant +level +raw bytes +optimized +zstd +status +lowered \(bytes added\)$'
for p in modern stick-2022; do
  dir="dist/demo/1.0.0/$p"
  assert_file "$dir/engine.wasm"
  size=$(stat -c %s "$dir/engine.wasm")
  # The table's "optimized" column is the size of the file written.
  assert_matches "$OUT" "^$p +[0-9a-f]{12} +Os +$raw +$size +[0-9]+ +ok +-$"
  [[ "$size" -lt "$raw" ]] || fail "$p: optimized engine ($size bytes) is not smaller than the input ($raw bytes)"
  for js in app/ui.js app/main.js; do
    assert_file "$dir/$js"
    assert_same_bytes "$dir/$js" "$SOURCE_DIR/examples/demo/$js"
  done
done
assert_contains "$OUT" "written to dist/demo/1.0.0"
# Exactly these files, and no staging folder left beside the release.
# Both profiles share one variant, so one symbol map (named by the engine's sha256) sits beside them.
sha=$(sha256sum dist/demo/1.0.0/modern/engine.wasm | cut -d' ' -f1)
expected=$( (printf '%s\n' ./demo/1.0.0/{modern,stick-2022}/{app/main.js,app/ui.js,engine.wasm}; echo "./demo/1.0.0/symbols/$sha.map") | sort)
actual=$(cd dist && find . -mindepth 1 ! -type d | sort)
[[ "$actual" == "$expected" ]] || fail "unexpected files in dist/:"$'\n'"$actual"
[[ -z "$(find dist -name '.*')" ]] || fail "hidden (staging) entries left in dist/: $(find dist -name '.*')"
# A successful build prints no errors or warnings.
[[ ! -s "$ERR" ]] || { show_output; fail "stderr is not empty"; }
