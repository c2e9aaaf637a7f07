#!/usr/bin/env bash
# The whole demo fleet (examples/demo/devices.csv): the build covers the profiles its devices use, groups
# them into variants (profiles differing only in budgets share one), lowers what the Chrome 74-era TV
# lacks (trunc_sat, bulk memory), and the lowered engine validates without those features and behaves
# like the original.
source "$(dirname "$0")/lib.sh"
setup
mkdir proj
cp -r "$SOURCE_DIR/examples/demo/fleetpack.yaml" "$SOURCE_DIR/examples/demo/devices.csv" \
      "$SOURCE_DIR/examples/demo/app" "$SOURCE_DIR/examples/demo/profiles" proj/
sed -i -E "s|^engine:.*$|engine: $DEMO_ENGINE|" proj/fleetpack.yaml
cd proj

run_fp 0 build
assert_matches "$OUT" "; 8 profiles in 6 variants\)$"
assert_matches "$OUT" "^chrome74 +[0-9a-f]{12} +Oz +[0-9]+ +[0-9]+ +[0-9]+ +ok +nontrapping-float-to-int \+[0-9]+, bulk-memory \+[0-9]+$"
# tv-lowmem differs from chrome75 only in budgets and description: one variant.
v75=$(awk '$1 == "chrome75" { print $2 }' "$OUT")
vlow=$(awk '$1 == "tv-lowmem" { print $2 }' "$OUT")
[[ -n "$v75" && "$v75" == "$vlow" ]] || fail "chrome75 ($v75) and tv-lowmem ($vlow) should share a variant"

lowered=$(bundle_file dist/demo/1.0.0 chrome74 engine.wasm)
expect_exit 0 "$WASM_VALIDATE" --disable-saturating-float-to-int --disable-bulk-memory --disable-multi-value \
  --disable-reference-types --disable-simd "$lowered"
expect_exit 0 "$WASM_OBJDUMP" -h "$lowered"
assert_not_contains "$OUT" "DataCount"
expect_exit 0 "$NODE" "$SOURCE_DIR/examples/demo/test_engine.js" "$lowered"
assert_contains "$OUT" "all checks passed"

# plan agrees with the build, and counts the devices per variant.
run_fp 0 plan
assert_matches "$OUT" "^8 profiles, 10 devices -> 6 variants$"
run_fp 0 profiles device ACME-TV-2019-49
assert_matches "$OUT" "^ACME-TV-2019-49 -> profile 'chrome74'$"
assert_contains "$OUT" "profile 'chrome74' defined in <catalog>/chrome74.yaml, extends 'mvp'"
