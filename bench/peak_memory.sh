#!/usr/bin/env bash
# Benchmark: peak memory of `fleetpack build` on one large real module (one profile) against `wasm-opt`
# on the same module at the same level, both measured on the whole process tree (fleetpack's Binaryen
# work runs in forked workers) by bench/tree_memory.py: peak of the summed PSS (shared pages counted once)
# and of the summed RSS, sampled every 10 ms, and the largest single process's RSS (getrusage).
# Goal (issue 8): fleetpack's peak within 1.2x of wasm-opt's.
#   bash bench/peak_memory.sh [BUILD_DIR]     MODULE=name (tests/third_party/modules.tsv; default
#                                             resvg-2.0.0, the largest module of bench/fleet_vs_tools.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=$(cd "${1:-build}" && pwd)
cache=$(bash tests/third_party/fetch.sh | tail -n 1)
module=$cache/${MODULE:-resvg-2.0.0}.wasm
level=${LEVEL:-Oz}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/profiles"
printf 'id: bench\nextends: modern\noptimize:\n  level: %s\n' "$level" > "$work/profiles/bench.yaml"
features=$("$build/fleetpack" inspect --json "$module" | node -e \
  'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).features.map(f=>"--enable-"+f.name).join(" ")))')
tm() { python3 "$root/bench/tree_memory.py" "$@" 2>&1 >/dev/null | tail -n 1; }
echo "module: $(basename "$module") ($(stat -c %s "$module") bytes), level $level, one profile, no cache; $(nproc) cores"
# shellcheck disable=SC2086
read -r t_opt pss_opt rss_opt single_opt code_opt < <(tm wasm-opt "$module" "-$level" -g $features -o "$work/opt.wasm")
[[ "$code_opt" == 0 ]] || { echo "wasm-opt failed ($code_opt)"; exit 1; }
read -r t_fp pss_fp rss_fp single_fp code_fp < <(cd "$work" && tm "$build/fleetpack" build --engine "$module" \
  --profiles profiles -p bench --out dist --no-cache -q)
[[ "$code_fp" == 0 ]] || { echo "fleetpack failed ($code_fp)"; exit 1; }
mib() { node -e "console.log(($1/1024).toFixed(1))"; }
ratio() { node -e "console.log(($1/$2).toFixed(2))"; }
printf "%-10s %8s %16s %16s %20s\n" tool "wall s" "tree PSS MiB" "tree RSS MiB" "largest process MiB"
printf "%-10s %8.2f %16s %16s %20s\n" wasm-opt "$t_opt" "$(mib "$pss_opt")" "$(mib "$rss_opt")" "$(mib "$single_opt")"
printf "%-10s %8.2f %16s %16s %20s\n" fleetpack "$t_fp" "$(mib "$pss_fp")" "$(mib "$rss_fp")" "$(mib "$single_fp")"
echo "fleetpack / wasm-opt peak memory: $(ratio "$pss_fp" "$pss_opt")x (tree PSS), $(ratio "$rss_fp" "$rss_opt")x (tree RSS), $(ratio "$single_fp" "$single_opt")x (largest process); goal <= 1.2x"
