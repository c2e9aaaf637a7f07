#!/usr/bin/env bash
# Benchmark: the content store on a real module over 1 MB (resvg-wasm 2.0.0, 1.26 MB, from npm via
# tests/third_party/fetch.sh). A cold build (empty store) of a few profiles (two optimize levels, zstd 19,
# one of them target auto with its wasm2js fallback), then a rebuild with nothing changed, then rebuilds
# after a change to the app JS only, each against the cold build; every release checked identical to a
# build without the store. Best of three for the rebuilds (the machine may be busy).
# Goal (issue 8): a no-change rebuild under 2% of the cold build.
#   bash bench/rebuild.sh [BUILD_DIR]        MODULE=name (tests/third_party/modules.tsv), AUTO=0: no auto
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=$(cd "${1:-build}" && pwd)
cache=$(bash tests/third_party/fetch.sh | tail -n 1)
module=$cache/${MODULE:-resvg-2.0.0}.wasm
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir -p profiles app
cp "$root"/examples/demo/app/*.js app/
printf 'id: tv-oz\nextends: chrome74\noptimize:\n  level: Oz\n' > profiles/tv-oz.yaml
printf 'id: phone-os\nextends: modern\noptimize:\n  level: Os\n' > profiles/phone-os.yaml
printf 'id: stb-os\nextends: chrome85\noptimize:\n  level: Os\ncompression:\n  zstd_level: 9\n' > profiles/stb-os.yaml
selected=(-p tv-oz -p phone-os -p stb-os)
if [[ "${AUTO:-1}" == 1 ]]; then
  printf 'id: tv-auto\nextends: chrome74\ntarget: auto\noptimize:\n  level: Oz\n' > profiles/tv-auto.yaml
  selected+=(-p tv-auto)
fi
js=(); for f in app/*.js; do js+=(--js "$f"); done
fp=("$build/fleetpack" build --engine "$module" "${js[@]}" --profiles profiles "${selected[@]}" --app bench
    --version 1.0.0 -q)
timed() { "$build/bench/fleetpack_measure" "$@" 2>&1 >"$work/last.out" | tail -n 1; }
best() { node -e "console.log(Math.min(...process.argv.slice(1).map(Number)))" "$@"; }
digest() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16); }

read -r cold _ code < <(timed "${fp[@]}" --out dist --cache store)
[[ "$code" == 0 ]] || { cat "$work/last.out"; echo "cold build failed ($code)"; exit 1; }
cold_line=$(cat "$work/last.out")
ref=$(digest dist)
times=()
for run in 1 2 3; do
  read -r t _ code < <(timed "${fp[@]}" --out dist --cache store)
  [[ "$code" == 0 && "$(digest dist)" == "$ref" ]] || { echo "no-change rebuild failed or differs"; exit 1; }
  times+=("$t")
done
nochange=$(best "${times[@]}")
nochange_line=$(cat "$work/last.out")
times=()
for run in 1 2 3; do
  echo "// change $run" >> app/main.js
  read -r t _ code < <(timed "${fp[@]}" --out dist --cache store)
  [[ "$code" == 0 ]] || { echo "app-JS-only rebuild failed ($code)"; exit 1; }
  times+=("$t")
done
appjs=$(best "${times[@]}")
appjs_line=$(cat "$work/last.out")
# The repackaged release equals one built from scratch without the store.
"${fp[@]}" --out fresh --no-cache > /dev/null
[[ "$(digest dist)" == "$(digest fresh)" ]] || { echo "the app-JS-only release differs from a build without the store"; exit 1; }

pct() { node -e "console.log((100*$1/$2).toFixed(2))"; }
echo "module: $(basename "$module") ($(stat -c %s "$module") bytes); profiles: $(printf "%s " "${selected[@]}" | sed "s/-p //g"); $(nproc) cores"
printf "%-24s %10s %12s\n" build "wall s" "% of cold"
printf "%-24s %10.3f %12s\n" "cold (empty store)" "$cold" 100.00
printf "%-24s %10.3f %12s\n" "no change" "$nochange" "$(pct "$nochange" "$cold")"
printf "%-24s %10.3f %12s\n" "app JS changed" "$appjs" "$(pct "$appjs" "$cold")"
echo "cold:      $cold_line"
echo "no change: $nochange_line"
echo "app JS:    $appjs_line"
echo "no-change rebuild / cold: $(pct "$nochange" "$cold")% (goal < 2%); app-JS-only / cold: $(pct "$appjs" "$cold")%"
