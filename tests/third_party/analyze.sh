#!/usr/bin/env bash
# Re-derive the evidence recorded in README.md for the pinned modules (needs wabt 1.0.32 and,
# with --tools, Binaryen's wasm2js and wasm-opt).
#
#   tests/third_party/analyze.sh [--tools] [CACHE_DIR]
#
# Fetches (via fetch.sh) if needed, then prints, per module, as Markdown:
#   - post-MVP features used: feature F is "used" iff `wasm-validate --enable-all` passes and
#     `wasm-validate --disable-F` fails (first error line kept as evidence); off-by-default
#     features (threads, tail-call, exceptions, ...) are checked by plain `wasm-validate` passing;
#   - mutable globals crossing the module boundary (`wasm-objdump -x`: imported globals with
#     mutable=1, exported globals whose definition has mutable=1) -> feature mutable-globals;
#   - `wasm-objdump -h` sections, condensed;
#   - with --tools: whether `wasm2js --all-features` (+ `node --check` of its output) and
#     `wasm-opt -Oz --all-features` succeed (Binaryen 108 has no --enable-all).
# Exits non-zero if a module's detected features differ from column 8 of modules.tsv.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tools=0
if [ "${1:-}" = "--tools" ]; then tools=1; shift; fi
cache=$("$here/fetch.sh" "$@" | tail -n 1)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

features="mutable-globals saturating-float-to-int sign-extension simd multi-value bulk-memory reference-types"
status=0

# Prints "imported <field> (<type>)" / "exported <name> (<type>)" for each mutable global crossing
# the module boundary.
mutable_boundary_globals() {
  wasm-objdump -x "$1" | awk '
    /^[A-Za-z]+\[[0-9]+\]:$/ { sec = $0; sub(/\[.*/, "", sec); next }
    sec == "Global" && /^ - global\[/ {
      idx = $2; sub(/^global\[/, "", idx); sub(/\]$/, "", idx)
      mut[idx] = ($4 == "mutable=1"); typ[idx] = $3
    }
    sec == "Import" && /^ - global\[/ && / mutable=1 / {
      print "imported " $NF " (" $3 ")"
    }
    sec == "Export" && /^ - global\[/ {
      idx = $2; sub(/^global\[/, "", idx); sub(/\]$/, "", idx)
      exp_idx[++n] = idx; exp_name[n] = $NF
    }
    END {
      for (i = 1; i <= n; i++) if (mut[exp_idx[i]]) print "exported " exp_name[i] " (" typ[exp_idx[i]] ")"
    }'
}

while IFS=$'\t' read -r name pkg _tsha _path _msha toolchain size want; do
  case "$name" in ''|'#'*) continue ;; esac
  f="$cache/$name.wasm"
  echo "### $name ($pkg, $toolchain, $size bytes)"
  echo
  used=()
  if ! wasm-validate --enable-all "$f" >"$tmp/out" 2>&1; then
    echo "- **wasm-validate --enable-all FAILS**: \`$(head -n 1 "$tmp/out")\`"
    status=1
  fi
  if wasm-validate "$f" >"$tmp/out" 2>&1; then
    echo "- plain \`wasm-validate\` (no threads/tail-call/exceptions/memory64/gc/...) passes"
  else
    echo "- plain \`wasm-validate\` FAILS (needs an off-by-default feature): \`$(head -n 1 "$tmp/out")\`"
  fi
  for ft in $features; do
    if ! wasm-validate --disable-"$ft" "$f" >"$tmp/out" 2>&1; then
      used+=("$ft")
      echo "- uses **$ft**: \`--disable-$ft\` fails: \`$(head -n 1 "$tmp/out" | sed "s#^$f:##")\`"
    fi
  done
  mutable_boundary_globals "$f" >"$tmp/mg"
  if [ -s "$tmp/mg" ]; then
    case " ${used[*]-} " in *" mutable-globals "*) ;; *) used+=(mutable-globals) ;; esac
    echo "- mutable globals at the boundary (\`wasm-objdump -x\`, wabt does not check this): $(sed 's/^/`/; s/$/`/' "$tmp/mg" | paste -sd, - | sed 's/,/, /g')"
  else
    echo "- no mutable global is imported or exported"
  fi
  got=$(IFS=,; echo "${used[*]-}"); [ -n "$got" ] || got=none
  sorted() { tr , '\n' <<<"$1" | sort | paste -sd, -; }
  if [ "$(sorted "$got")" != "$(sorted "$want")" ]; then
    echo "- **MISMATCH** with modules.tsv: detected \`$got\`, recorded \`$want\`"
    status=1
  fi
  echo "- op counts (\`wasm-objdump -d\`): $(wasm-objdump -d "$f" | awk -F'[|] *' 'NF > 1 {
      split($2, a, " "); op = a[1]
      if (op ~ /^i(32|64)[.]extend(8|16|32)_s$/) se++
      else if (op ~ /trunc_sat/) sat++
      else if (op ~ /^(memory[.](copy|fill|init)|data[.]drop)$/) { bm++; bulk[op]++ }
      else if (op ~ /^(v128|i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)[.]/) simd++
    } END {
      b = ""; for (k in bulk) b = b (b ? ", " : "") k " " bulk[k]
      printf "sign-ext %d, trunc_sat %d, bulk-memory %d%s, simd %d\n", se, sat, bm, (b ? " (" b ")" : ""), simd
    }')"
  echo "- sections (\`wasm-objdump -h\`, name(count)=bytes): $(wasm-objdump -h "$f" | awk '
      function hex(h,   i, v) { v = 0; h = tolower(substr(h, 3))
        for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
        return v }
      / start=0x/ {
        s = $1; sz = $4; sub(/^\(size=/, "", sz); sub(/\)$/, "", sz)
        if (s == "Custom") { c = $NF; gsub(/"/, "", c); s = "custom:" c }
        else if ($5 == "count:") s = s "(" $6 ")"
        out = out (out ? " " : "") s "=" hex(sz)
      } END { print out }')"
  if [ "$tools" = 1 ]; then
    # Binaryen 108 spells "all features" --all-features (it has no --enable-all).
    for t in wasm2js wasm-opt; do
      if [ "$t" = wasm2js ]; then out=out.mjs; cmd=(wasm2js --all-features "$f" -o "$tmp/$out")
      else out=out.wasm; cmd=(wasm-opt -Oz --all-features "$f" -o "$tmp/$out"); fi
      shown="${cmd[*]}"; shown=${shown//$f/$name.wasm}; shown=${shown//$tmp\//}
      start=$(date +%s)
      set +e
      timeout 1800 "${cmd[@]}" >"$tmp/log" 2>&1; rc=$?
      set -e
      secs=$(( $(date +%s) - start ))
      if [ $rc = 0 ] && [ -s "$tmp/$out" ]; then
        extra=
        if [ "$t" = wasm2js ] && command -v node >/dev/null 2>&1; then
          if node --check "$tmp/$out" >"$tmp/log2" 2>&1; then extra=", \`node --check\` ok"
          else extra=", \`node --check\` fails: \`$(grep -m1 -E 'Error' "$tmp/log2" | cut -c1-120)\`"; fi
        fi
        echo "- \`$shown\`: ok in ${secs}s, output $(stat -c %s "$tmp/$out") bytes$extra"
      else
        msg=$(awk 'NF { print; exit }' "$tmp/log" | cut -c1-200)
        [ $rc = 124 ] && msg="timed out after 1800s"
        echo "- \`$shown\`: **fails** (exit $rc, ${secs}s): \`${msg:-no message}\`"
      fi
      rm -f "$tmp/$out"
    done
  fi
  echo
done < "$here/modules.tsv"
exit $status
