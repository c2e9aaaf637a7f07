#!/usr/bin/env bash
# Deltas: a one-constant change in the demo engine's C source (gfx.c's theme colour), built as version
# 1.1.0 after 1.0.0; `fleetpack delta` adds a zstd patch (libzstd prefix mode) for engine.wasm to 1.1.0
# that is far smaller than the file, lists it in the manifests and re-signs them; `fleetpack patch` and
# `zstd -d --patch-from` both rebuild the new engine byte for byte; verify --previous applies every patch.
source "$(dirname "$0")/lib.sh"
setup
require_tool jq
require_tool zstd
require_tool minisign
CLANG=${CLANG:-clang} WASM_LD=${WASM_LD:-wasm-ld}
command -v "$CLANG" > /dev/null && command -v "$WASM_LD" > /dev/null || skip "needs clang and wasm-ld"
demo_project proj

# The demo engine, built as examples/demo/CMakeLists.txt does, from the original and a changed source.
build_engine() {  # build_engine SRC_DIR OUT.wasm
  local objs=()
  for c in "$1"/*.c; do
    "$CLANG" --target=wasm32 -O2 -nostdlib -ffreestanding -msign-ext -mbulk-memory -mnontrapping-fptoint \
      -mmutable-globals -std=c11 -c "$c" -o "$c.o" || fail "compiling $c"
    objs+=("$c.o")
  done
  "$WASM_LD" --no-entry --export=__stack_pointer -z stack-size=16384 --max-memory=16777216 -o "$2" "${objs[@]}" ||
    fail "linking $2"
}
cp -r "$SOURCE_DIR/examples/demo/engine" src1
cp -r src1 src2
grep -q '0xFFF5A623u' src2/gfx.c || fail "the constant to change is not in gfx.c"
sed -i 's/0xFFF5A623u/0xFFF5A624u/' src2/gfx.c
build_engine src1 engine1.wasm
build_engine src2 engine2.wasm
cmp -s engine1.wasm engine2.wasm && fail "the change did not change the engine"

cd proj
run_fp 0 keygen --out ../key
sed -i -E "s|^engine:.*$|engine: $SCRATCH/engine1.wasm|" fleetpack.yaml
run_fp 0 build --sign ../key.key
sed -i -E "s|^engine:.*$|engine: $SCRATCH/engine2.wasm|; s|^version:.*$|version: 1.1.0|" fleetpack.yaml
run_fp 0 build --sign ../key.key
old=dist/demo/1.0.0 new=dist/demo/1.1.0

# NEW is signed: the delta must re-sign it, and says so.
run_fp 2 delta "$old" "$new"
assert_contains "$ERR" "NEW is signed"
run_fp 0 delta "$old" "$new" --sign ../key.key
assert_matches "$OUT" "^  modern +engine\.wasm .* kept$"

d=$(jq -c '.deltas[] | select(.path == "engine.wasm")' "$new/profiles/modern.json")
[[ -n "$d" ]] || fail "no delta for engine.wasm in $(cat "$new/profiles/modern.json")"
[[ $(jq -r .from_version <<< "$d") == 1.0.0 ]] || fail "from_version: $d"
patch="$new/$(jq -r .patch <<< "$d")"
new_sha=$(jq -r .sha256 <<< "$d")
old_engine=$(bundle_file "$old" modern engine.wasm)
new_engine=$(bundle_file "$new" modern engine.wasm)
[[ $(sha256sum "$old_engine" | cut -d' ' -f1) == $(jq -r .from_sha256 <<< "$d") ]] || fail "from_sha256"
patch_size=$(stat -c %s "$patch") engine_size=$(stat -c %s "$new_engine")
stored_size=$(jq -r '.files[] | select(.path == "engine.wasm") | .stored_size' "$new/profiles/modern.json")
note "engine.wasm: $engine_size bytes ($stored_size zstd), patch from 1.0.0: $patch_size bytes"
((patch_size * 10 < engine_size)) || fail "the patch ($patch_size bytes) is not far smaller than the engine ($engine_size)"
((patch_size * 2 < stored_size)) || fail "the patch is not smaller than half the compressed engine"
# Unchanged files get no patch.
[[ $(jq '[.deltas[] | select(.path | startswith("app/"))] | length' "$new/profiles/modern.json") == 0 ]] ||
  fail "a patch for an unchanged file"

# Applying it: fleetpack patch, and zstd's own --patch-from, both give the new engine byte for byte.
run_fp 0 patch "$old_engine" "$patch" -o rebuilt.wasm --sha256 "$new_sha"
assert_same_bytes rebuilt.wasm "$new_engine"
expect_exit 0 zstd -q -d --patch-from="$old_engine" "$patch" -o rebuilt-by-zstd.wasm
assert_same_bytes rebuilt-by-zstd.wasm "$new_engine"
run_fp 3 patch "$SOURCE_DIR/examples/demo/app/ui.js" "$patch" -o wrong.wasm
assert_contains "$ERR" "does not apply to"
assert_no_path wrong.wasm

# The rewritten release verifies, with its signatures, and every patch applies to 1.0.0's files.
run_fp 0 verify "$new" --pubkey ../key.pub --previous "$old"
assert_matches "$OUT" "deltas \(([0-9]+) applied\)"
n=$(jq -s '[.[].deltas | length] | add' "$new"/profiles/*.json)
assert_contains "$OUT" "$n deltas ($n applied)"
expect_exit 0 minisign -V -p ../key.pub -m "$new/profiles/modern.json"
# Running delta again gives the same release (patches are reproducible and replaced, not added).
before=$(tree_digest "$new")
run_fp 0 delta "$old" "$new" --sign ../key.key
[[ "$(tree_digest "$new")" == "$before" ]] || fail "a second delta run changed the release"
# A damaged patch is named.
flip_byte "$patch" 20
run_fp 1 verify "$new" --pubkey ../key.pub --previous "$old"
assert_contains "$ERR" "$patch"
