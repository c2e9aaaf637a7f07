#!/usr/bin/env bash
# Reproducible releases: the demo fleet built from two different folders, at different times (no
# SOURCE_DATE_EPOCH), with different --jobs, umask, locale, time zone and content stores, signed with one
# key, gives byte-identical release trees and archives (sha256 of every file), with fixed modes. The
# archive (build --archive) holds exactly the release, sorted, owned by 0/0, every mtime 0; with
# SOURCE_DATE_EPOCH the mtimes and built_at follow it.
source "$(dirname "$0")/lib.sh"
setup
require_tool jq
require_tool zstd
require_tool tar
for d in a b; do
  demo_project "$d"
  cp "$SOURCE_DIR/examples/demo/devices.csv" "$d/"
  sed -i -E '/^select:/d' "$d/fleetpack.yaml"
  echo "devices: devices.csv" >> "$d/fleetpack.yaml"
done
run_fp 0 keygen --out key

(cd a && umask 022 && FLEETPACK_CACHE="$SCRATCH/cache-a" LC_ALL=C TZ=UTC \
  "$FLEETPACK" build -j 1 --archive --sign ../key.key > ../a.out 2>&1) || { cat a.out; fail "build in a"; }
sleep 1.1  # a different second: any clock reading would show
(cd b && umask 077 && FLEETPACK_CACHE="$SCRATCH/cache-b" LC_ALL=C.UTF-8 TZ=Asia/Tokyo \
  "$FLEETPACK" build -j 2 --archive --sign ../key.key > ../b.out 2>&1) || { cat b.out; fail "build in b"; }
# And once more in b with a warm content store: still the same bytes.
(cd b && FLEETPACK_CACHE="$SCRATCH/cache-a" "$FLEETPACK" build -j 2 --archive --sign ../key.key > ../c.out 2>&1) ||
  { cat c.out; fail "second build in b"; }

ra=a/dist/demo/1.0.0 rb=b/dist/demo/1.0.0
da=$(tree_digest a/dist) db=$(tree_digest b/dist)
[[ "$da" == "$db" ]] || fail "the releases differ:"$'\n'"$(diff <(echo "$da") <(echo "$db"))"
[[ $(echo "$da" | wc -l) -gt 10 ]] || fail "too few files compared: $da"
echo "$da" | grep -q '1.0.0.tar.zst$' || fail "no archive compared"
# Modes of what fleetpack creates (the release and the archive; dist/ itself follows the umask).
ma=$(cd a/dist/demo && find 1.0.0 1.0.0.tar.zst -printf '%m %p\n' | sort)
mb=$(cd b/dist/demo && find 1.0.0 1.0.0.tar.zst -printf '%m %p\n' | sort)
[[ "$ma" == "$mb" ]] || fail "modes differ:"$'\n'"$(diff <(echo "$ma") <(echo "$mb"))"
[[ $(jq -r .built_at "$ra/index.json") == null ]] || fail "built_at without SOURCE_DATE_EPOCH"
run_fp 0 verify "$rb" --pubkey key.pub
note "$(echo "$da" | wc -l) files identical, e.g. $(echo "$da" | grep index.json)"

# The archive: the release under 1.0.0/, folders before their files, sorted, owner 0/0, mtime 0.
tar --zstd -tvf a/dist/demo/1.0.0.tar.zst > listing.txt
names=$(awk '{print $6}' listing.txt)
[[ "$names" == "$(echo "$names" | LC_ALL=C sort)" ]] || fail "archive entries are not sorted: $names"
[[ $(head -1 listing.txt | awk '{print $1, $6}') == "drwxr-xr-x 1.0.0/" ]] || fail "first entry: $(head -1 listing.txt)"
awk '$1 !~ /^(-rw-r--r--|drwxr-xr-x)$/ || $2 != "root/root" || $4 != "1970-01-01" {bad=1; print} END {exit bad}' \
  listing.txt || fail "archive entries with other modes, owners or times"
tar --numeric-owner --zstd -tvf a/dist/demo/1.0.0.tar.zst | awk '$2 != "0/0" {bad=1} END {exit bad}' || fail "uid/gid not 0"
mkdir x && tar --zstd -xf a/dist/demo/1.0.0.tar.zst -C x
diff -r x/1.0.0 "$ra" || fail "the archive does not hold exactly the release"

# SOURCE_DATE_EPOCH: recorded as built_at, used as the archive's mtime; still reproducible.
(cd a && SOURCE_DATE_EPOCH=1700000000 "$FLEETPACK" build --archive -o e1 > /dev/null) || fail "build with SOURCE_DATE_EPOCH"
(cd b && SOURCE_DATE_EPOCH=1700000000 "$FLEETPACK" build --archive -j 1 -o e1 > /dev/null) || fail "build with SOURCE_DATE_EPOCH"
[[ $(jq -r .built_at a/e1/demo/1.0.0/index.json) == "2023-11-14T22:13:20Z" ]] || fail "built_at: $(jq .built_at a/e1/demo/1.0.0/index.json)"
[[ $(jq -r .built_at a/e1/demo/1.0.0/profiles/modern.json) == "2023-11-14T22:13:20Z" ]] || fail "manifest built_at"
[[ "$(tree_digest a/e1)" == "$(tree_digest b/e1)" ]] || fail "SOURCE_DATE_EPOCH builds differ"
TZ=UTC tar --zstd -tvf a/e1/demo/1.0.0.tar.zst | awk '$4 != "2023-11-14" {bad=1} END {exit bad}' || fail "archive mtimes"
(cd a && SOURCE_DATE_EPOCH=yesterday "$FLEETPACK" build -o e2 > ../bad.out 2>&1) && fail "a bad SOURCE_DATE_EPOCH was accepted"
assert_contains bad.out "SOURCE_DATE_EPOCH 'yesterday' is not a number of seconds"
assert_no_path a/e2/demo/1.0.0
