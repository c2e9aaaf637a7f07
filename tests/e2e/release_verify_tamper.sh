#!/usr/bin/env bash
# `fleetpack verify` finds every change to a release: flipping one byte (at several offsets) of every file
# of a signed release, one at a time, fails verify (exit 1) with an error naming that file. Paths that
# leave the release (../, absolute), symbolic links, files not listed and files missing are each named.
# index.json and the manifests validate against docs/schemas/, which reject broken documents.
source "$(dirname "$0")/lib.sh"
setup
require_tool jq
require_tool "$NODE"
demo_project proj
cd proj
run_fp 0 keygen --out key
run_fp 0 build --sign key.key
rel=dist/demo/1.0.0
run_fp 0 verify "$rel" --pubkey key.pub

# JSON Schema: the real documents validate; broken ones do not.
VALIDATE=("$NODE" "$SOURCE_DIR/tests/schemas/validate_json_schema.js")
expect_exit 0 "${VALIDATE[@]}" "$SOURCE_DIR/docs/schemas/index.schema.json" "$rel/index.json"
for m in "$rel"/profiles/*.json; do
  expect_exit 0 "${VALIDATE[@]}" "$SOURCE_DIR/docs/schemas/manifest.schema.json" "$m"
done
expect_exit 0 "${VALIDATE[@]}" "$SOURCE_DIR/docs/schemas/build-report.schema.json" "$rel/report.json"
jq '.files[0].encoding = "gzip"' "$rel/profiles/modern.json" > bad-manifest.json
expect_exit 1 "${VALIDATE[@]}" "$SOURCE_DIR/docs/schemas/manifest.schema.json" bad-manifest.json
assert_contains "$ERR" '$.files[0].encoding: "gzip" is not one of'
jq 'del(.devices)' "$rel/index.json" > bad-index.json
expect_exit 1 "${VALIDATE[@]}" "$SOURCE_DIR/docs/schemas/index.schema.json" bad-index.json
assert_contains "$ERR" "missing required property 'devices'"

# One byte at a time, in every file: first, last, middle and a few more offsets.
RANDOM=7
checked=0
while IFS= read -r file; do
  size=$(stat -c %s "$rel/$file")
  offsets="0 $((size - 1)) $((size / 2)) $((RANDOM % size)) $((RANDOM % size)) $((RANDOM % size))"
  for off in $offsets; do
    flip_byte "$rel/$file" "$off"
    run_fp 1 verify "$rel" --pubkey key.pub
    grep -qF -- "$file" "$ERR" || { show_output; fail "flipping byte $off of $file: the errors do not name it"; }
    flip_byte "$rel/$file" "$off"  # back to the original
    checked=$((checked + 1))
  done
done < <(cd "$rel" && find . -type f | sed 's|^\./||' | sort)
run_fp 0 verify "$rel" --pubkey key.pub
note "$checked single-byte changes in $(find "$rel" -type f | wc -l) files, each found and named"

# Unsigned copies to break in other ways. fix_index keeps index.json consistent with an edited manifest,
# so that the check under test is the one that fails.
fix_index() {  # fix_index REL PROFILE
  local m="$1/profiles/$2.json"
  jq --indent 2 -S --arg sha "$(sha256sum "$m" | cut -d' ' -f1)" --argjson size "$(stat -c %s "$m")" \
    ".profiles[\"$2\"].manifest.sha256 = \$sha | .profiles[\"$2\"].manifest.size = \$size" "$1/index.json" > "$1/index.tmp"
  mv "$1/index.tmp" "$1/index.json"
}
fresh() { rm -rf "$1" && cp -r "$rel" "$1" && find "$1" -name '*.minisig' -delete; }
fresh u0
run_fp 0 verify u0

fresh u1
sed -i 's|"path": "app/main.js"|"path": "../main.js"|' u1/profiles/modern.json
fix_index u1 modern
run_fp 0 verify u0
run_fp 1 verify u1
assert_contains "$ERR" "u1/profiles/modern.json: error: file path '../main.js' escapes the bundle"

fresh u2
sed -i 's|"path": "app/main.js"|"path": "/etc/main.js"|' u2/profiles/stick-2022.json
fix_index u2 stick-2022
run_fp 1 verify u2
assert_contains "$ERR" "u2/profiles/stick-2022.json: error: file path '/etc/main.js' escapes the bundle"

fresh u3
ln -s /etc/passwd u3/files/passwd
mkdir u3/extra && echo hi > u3/extra/notes.txt
sha=$(jq -r '.files[0].sha256' u3/profiles/modern.json)
rm "u3/files/$sha"
run_fp 1 verify u3
assert_contains "$ERR" "u3/files/passwd: error: is a symbolic link"
assert_contains "$ERR" "u3/extra/notes.txt: error: is not listed by the index or any manifest"
assert_contains "$ERR" "u3/files/$sha: error: is missing (listed by profiles/"
[[ $(grep -c ': error: ' "$ERR") -ge 3 ]] || fail "every problem is reported"

fresh u4
head -c 100 u4/profiles/modern.json > u4/cut && mv u4/cut u4/profiles/modern.json
run_fp 1 verify u4
assert_matches "$ERR" "^u4/profiles/modern\.json: error: "
assert_contains "$ERR" "invalid JSON"

fresh u5
printf '{"schema": "fleetpack.index/1"}\n' > u5/index.json
run_fp 1 verify u5
assert_contains "$ERR" "u5/index.json: error: /: missing required key 'profiles'"
