#!/usr/bin/env bash
# `fleetpack build` works without a fleetpack.yaml, from flags alone (like `wasm-opt in.wasm -o out.wasm`):
# --engine, --js, --profile, --out. The app name defaults to the engine's file stem ("engine"), the version
# to 0.0.0; the JS file ships under its path relative to the current folder.
source "$(dirname "$0")/lib.sh"
setup
require_demo_engine
mkdir work && cd work  # no fleetpack.yaml here
echo 'console.log("some app");' > some.js

run_fp 0 build --engine "$DEMO_ENGINE" --js some.js --profile modern --out "$SCRATCH/out"
rel="$SCRATCH/out/engine/0.0.0"
engine=$(bundle_file "$rel" modern engine.wasm)
assert_same_bytes "$(bundle_file "$rel" modern some.js)" some.js
size=$(stat -c %s "$engine")
assert_matches "$OUT" "^engine 0\.0\.0 \(engine $(re_escape "$DEMO_ENGINE"), uses: "
assert_matches "$OUT" "^modern +[0-9a-f]{12} +Os +$(stat -c %s "$DEMO_ENGINE") +$size +[0-9]+ +ok +-$"
assert_contains "$OUT" "written to $SCRATCH/out/engine/0.0.0"
# The bundle holds the engine and the JS file (besides what the target adds: the loader).
[[ $(jq -r '.files[].path' "$rel/profiles/modern.json" | grep -cE '^(engine\.wasm|some\.js)$') == 2 ]] ||
  fail "unexpected files in the modern bundle: $(jq -c '.files' "$rel/profiles/modern.json")"
# Nothing was written anywhere else (no ./dist default, since --out was given).
assert_no_path dist

# --app and --app-version (or --version) override the defaults; several profiles in one run.
run_fp 0 build --engine "$DEMO_ENGINE" --js some.js -p modern -p modern --app tv-app --app-version 2.1.0-rc.1 -o o2
assert_file o2/tv-app/2.1.0-rc.1/profiles/modern.json
[[ $(grep -c '^modern ' "$OUT") -eq 1 ]] || fail "a profile given twice is built twice"
run_fp 0 build --engine "$DEMO_ENGINE" -p modern --app tv-app --version 2.1.0+build.5 -o o3
assert_file o3/tv-app/2.1.0+build.5/profiles/modern.json
# A version that is not semver is a usage error, and nothing is written.
run_fp 2 build --engine "$DEMO_ENGINE" -p modern --version 2.1 -o o4
assert_contains "$ERR" "version '2.1' is not semver"
assert_no_files o4
