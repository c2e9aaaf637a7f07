#!/usr/bin/env bash
# A real browser runs a release's bundles (issue 6, "A real browser"): headless Chromium (Debian's chromium
# package, installed by scripts/dev.sh) loads the unpacked bundles of three profiles from a server on
# 127.0.0.1 and runs one workload on the demo engine through fleetpack's loader:
#   wasm.html    the `auto` profile's entry script as is: the loader must pick WebAssembly (kind 'wasm')
#                and download no engine.fallback.js
#   nowasm.html  the same bundle, but an inline script deletes window.WebAssembly first: the loader must
#                fall back to the wasm2js engine (kind 'js', reason "... no WebAssembly"), download
#                engine.fallback.js once and no engine.wasm
#   js.html      the catalog's no-wasm-es5 profile (target js, ES5): kind 'js', one download of
#                engine.fallback.js
#   esm.html     an auto profile whose entry is an ES module (engine.mjs), without WebAssembly: kind 'js',
#                the fallback loaded by the module's import()
# Each page runs support/browser_workload.js twice, through loadEngine (Promise) and through
# loadEngineSync (synchronous download of engine.wasm beside the script), and posts the results as JSON
# (also shown in the page). nowasm.html calls loadEngineSync first, so the fallback comes by a synchronous
# request evaluated in the global scope; js.html calls loadEngine first, so it comes by a script element.
# Every result must equal what node computes with the same workload file on
# the real engine.wasm (the demo engine as built, and the module the auto bundle ships), so a broken
# loader, fallback or wrapper fails here with the first difference.
# The pages load the entry script from a subfolder (auto/engine.js), so engine.wasm must be found beside
# the script (document.currentScript), not beside the page.
# Run: ctest --test-dir build -R browser (about 10 s). Chromium runs headless with the flags this
# machine's closed network needs (no background networking, no component updates, a new profile
# folder per page); CHROMIUM overrides the executable. A page that reports nothing within 20 s fails with
# the server's request log, the page's console and what the page shows; a wrong result fails with the
# first difference from node's (e.g. "result.hash1: 691986822 vs 2205121989").
source "$(dirname "$0")/lib.sh"
setup
require_demo_engine
require_tool node
require_tool zstd
CHROMIUM=${CHROMIUM:-chromium}
command -v "$CHROMIUM" > /dev/null 2>&1 ||
  fail "needs Chromium ('$CHROMIUM' not found): install Debian's chromium package (scripts/dev.sh does), or set CHROMIUM=/path/to/chromium"

server_pid="" browser_pid="" profile_dir=""
# Stops the browser we started and removes its profile folder once none of its processes (named by that
# folder, which is ours alone) is left to write into it.
browser_pids() {  # no procps needed
  local f
  for f in /proc/[0-9]*/cmdline; do
    grep -qaF -- "--user-data-dir=$profile_dir" "$f" 2> /dev/null && { f=${f#/proc/}; echo "${f%/cmdline}"; }
  done
  return 0
}
stop_browser() {
  if [[ -n $browser_pid ]]; then
    kill "$browser_pid" 2> /dev/null || true
    wait "$browser_pid" 2> /dev/null || true
    browser_pid=""
  fi
  [[ -n $profile_dir ]] || return 0
  local left
  for _ in $(seq 50); do
    left=$(browser_pids)
    [[ -n $left ]] || break
    sleep 0.1
  done
  # shellcheck disable=SC2086 # one pid a word
  [[ -z $left ]] || kill -9 $left 2> /dev/null || true
  rm -rf "$profile_dir" 2> /dev/null || { sleep 0.5; rm -rf "$profile_dir"; }
  profile_dir=""
}
cleanup() {
  stop_browser
  [[ -z $server_pid ]] || { kill "$server_pid" 2> /dev/null || true; wait "$server_pid" 2> /dev/null || true; }
}
trap cleanup EXIT

# The release: an auto profile for a Chrome 75-era TV, the same as an ES module, and the catalog's
# no-wasm-es5 (target js).
mkdir -p profiles
cat > profiles/tv-auto.yaml << 'EOF'
id: tv-auto
extends: chrome75
description: "browser test: Chrome 75-era TV, Wasm with the JS fallback"
target: auto
js: {level: es5}
EOF
cat > profiles/tv-esm.yaml << 'EOF'
id: tv-esm
extends: chrome75
description: "browser test: the same TV, its app an ES module"
target: auto
js: {level: es2017, module: esm}
EOF
app="$SOURCE_DIR/examples/demo/app"
run_fp 0 build --engine "$DEMO_ENGINE" --js "$app/ui.js" --js "$app/main.js" -p tv-auto -p tv-esm -p no-wasm-es5 \
  --profiles profiles -o out --no-cache
release=$(dirname "$(find out -name index.json | head -1)")
[[ -f $release/index.json ]] || { show_output; fail "the build wrote no release"; }

# The served folder: the unpacked bundles, the workload and the four pages.
www="$SCRATCH/www"
mkdir -p "$www"
unpack="$SOURCE_DIR/tests/fallback/unpack_bundle.sh"
bash "$unpack" "$release" tv-auto "$www/auto" 2> /dev/null || fail "cannot unpack profile tv-auto"
bash "$unpack" "$release" no-wasm-es5 "$www/js" 2> /dev/null || fail "cannot unpack profile no-wasm-es5"
bash "$unpack" "$release" tv-esm "$www/esm" 2> /dev/null || fail "cannot unpack profile tv-esm"
entry_of() {
  node -e 'const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    if (m.target !== process.argv[2]) throw new Error("target " + m.target + ", not " + process.argv[2]);
    console.log(m.entry);' "$release/profiles/$1.json" "$2" || fail "manifest of $1"
}
auto_entry=$(entry_of tv-auto auto)
js_entry=$(entry_of no-wasm-es5 js)
esm_entry=$(entry_of tv-esm auto)
assert_file "$www/auto/$auto_entry"
assert_file "$www/auto/engine.wasm"
assert_file "$www/js/$js_entry"
assert_no_path "$www/js/engine.wasm"
cp "$E2E_DIR/support/browser_workload.js" "$www/workload.js"

# write_page NAME ENTRY_SCRIPT REMOVE_WASM(0|1) ASYNC_FIRST(0|1)
# An entry ending in .mjs is imported by a module script (`fleetpack` is then the module's namespace).
write_page() {
  local remove="" load="<script src=\"$2\"></script>" main="<script>"
  if [[ $2 == *.mjs ]]; then
    load=""
    main="<script type=\"module\">
import * as fleetpack from './$2';"
  fi
  [[ $3 == 1 ]] && remove='<script>
  delete window.WebAssembly;
  if (typeof WebAssembly !== "undefined") window.WebAssembly = undefined;
</script>'
  cat > "$www/$1.html" << EOF
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>fleetpack loader: $1</title></head>
<body>
<pre id="status">running</pre>
<pre id="result"></pre>
<script>
  var FP_TEST = { page: '$1', errors: [] };
  window.addEventListener('error', function (ev) {
    FP_TEST.errors.push(String(ev.message) + ' (' + ev.filename + ':' + ev.lineno + ':' + ev.colno + ')');
  });
  function fpReport(out) {
    var json = JSON.stringify(out);
    document.getElementById('status').textContent = 'done';
    document.getElementById('result').textContent = json;
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/report/' + FP_TEST.page, true);
    xhr.setRequestHeader('Content-Type', 'application/json');
    xhr.send(json);
  }
  function fpText(e) { return String(e && e.stack || e); }
</script>
$remove
$load
<script src="workload.js"></script>
$main
(function () {
  var out = { page: FP_TEST.page, errors: FP_TEST.errors, webAssembly: typeof WebAssembly };
  try {
    if (typeof fleetpack !== 'object' || !fleetpack) throw new Error('the entry script defined no global fleetpack');
    out.profile = fleetpack.profile;
    out.target = fleetpack.target;
    var runSync = function () {
      try {
        var si = FleetpackWorkload.imports();
        var s = fleetpack.loadEngineSync({ env: si.env });
        out.sync = { kind: s.kind, reason: s.reason, result: FleetpackWorkload.run(s.exports, si.calls) };
      } catch (e) {
        out.errors.push('loadEngineSync: ' + fpText(e));
      }
    };
    var runAsync = function () {
      var ai = FleetpackWorkload.imports();
      return fleetpack.loadEngine({ env: ai.env }).then(function (a) {
        out.async = { kind: a.kind, reason: a.reason, result: FleetpackWorkload.run(a.exports, ai.calls) };
      }).then(null, function (e) {
        out.errors.push('loadEngine: ' + fpText(e));
      });
    };
    // Whichever runs first downloads engine.fallback.js (a script element, or a synchronous request);
    // the second finds it loaded.
    var done = $4 ? runAsync().then(runSync) : (runSync(), runAsync());
    done.then(function () { fpReport(out); });
  } catch (e) {
    out.errors.push(fpText(e));
    fpReport(out);
  }
})();
</script>
</body></html>
EOF
}
write_page wasm "auto/$auto_entry" 0 0
write_page nowasm "auto/$auto_entry" 1 0
write_page js "js/$js_entry" 0 1
write_page esm "esm/$esm_entry" 1 1

# What node computes with the same workload on the engine as built and on the module the bundle ships.
reference() {
  node -e 'const W = require(process.argv[1]), fs = require("fs");
    const imports = W.imports();
    const instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(process.argv[2])), { env: imports.env });
    fs.writeFileSync(process.argv[3], JSON.stringify(W.run(instance.exports, imports.calls)));' \
    "$www/workload.js" "$1" "$2" || fail "node cannot run the workload on $1"
}
reference "$DEMO_ENGINE" node-input.json
reference "$www/auto/engine.wasm" node-shipped.json

# The server (a free port of 127.0.0.1, written to server.port) and one Chromium per page.
mkdir -p reports
node "$E2E_DIR/support/browser_server.js" "$www" server.port reports > server.log 2>&1 &
server_pid=$!
for _ in $(seq 100); do [[ -s server.port ]] && break; sleep 0.05; done
[[ -s server.port ]] || { cat server.log >&2; fail "the test server did not start"; }
port=$(cat server.port)

open_page() {
  local page=$1 started=$SECONDS
  profile_dir=$(mktemp -d "${TMPDIR:-/tmp}/fleetpack-chromium.XXXXXX")
  : > "requests.$page.log"
  local before
  before=$(wc -l < server.log)
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile_dir" --enable-logging=stderr --v=0 \
    "http://127.0.0.1:$port/$page.html" > "chromium.$page.log" 2>&1 &
  browser_pid=$!
  while [[ ! -f reports/$page.json ]] && ((SECONDS - started < 20)) && kill -0 "$browser_pid" 2> /dev/null; do
    sleep 0.1
  done
  stop_browser
  tail -n +"$((before + 1))" server.log > "requests.$page.log"
  if [[ ! -f reports/$page.json ]]; then
    echo "--- requests:" >&2
    cat "requests.$page.log" >&2
    echo "--- the page's console and Chromium's errors (chromium.$page.log):" >&2
    grep -E ':CONSOLE|ERROR:' "chromium.$page.log" | grep -v 'dbus' >&2 || tail -20 "chromium.$page.log" >&2
    echo "--- what the page shows (chromium --dump-dom):" >&2
    profile_dir=$(mktemp -d "${TMPDIR:-/tmp}/fleetpack-chromium.XXXXXX")
    timeout 20 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$profile_dir" \
      --virtual-time-budget=10000 --dump-dom "http://127.0.0.1:$port/$page.html" 2> /dev/null |
      grep -E '<pre id="(status|result)"' >&2 || true
    stop_browser
    fail "$page.html reported no result within 20 s"
  fi
  note "$page.html: done in $((SECONDS - started)) s"
}
open_page wasm
open_page nowasm
open_page js
open_page esm

# The checks: kinds, reasons, downloads, and every result equal to node's.
node - "$SCRATCH" << 'EOF' || fail "the browser results do not match (see above)"
const fs = require('fs'), path = require('path');
const dir = process.argv[2];
const read = (f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
let failed = 0;
const bad = (msg) => { console.error('  ' + msg); failed++; };

// The first difference between two JSON values, as a path and both values.
function diff(a, b, where) {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null))
    return where + ': ' + JSON.stringify(a) + ' vs ' + JSON.stringify(b);
  if (a && typeof a === 'object') {
    const keys = Array.from(new Set(Object.keys(a).concat(Object.keys(b))));
    for (const k of keys) {
      if (!(k in a) || !(k in b)) return where + '.' + k + ': only in ' + (k in a ? 'the first' : 'the second');
      const d = diff(a[k], b[k], where + (Array.isArray(a) ? '[' + k + ']' : '.' + k));
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : where + ': ' + JSON.stringify(a) + ' vs ' + JSON.stringify(b);
}

const input = read('node-input.json'), shipped = read('node-shipped.json');
const d0 = diff(shipped, input, 'result');
if (d0) bad('node: the shipped engine.wasm and the engine as built differ: ' + d0);

const expect = {
  wasm: { profile: 'tv-auto', target: 'auto', webAssembly: 'object', kind: 'wasm', reason: /^WebAssembly runs the engine/,
    wasmDownloads: 2, fallbackDownloads: [] },
  nowasm: { profile: 'tv-auto', target: 'auto', webAssembly: 'undefined', kind: 'js', reason: /no WebAssembly/,
    wasmDownloads: 0, fallbackDownloads: ['/auto/engine.fallback.js'] },
  js: { profile: 'no-wasm-es5', target: 'js', webAssembly: 'object', kind: 'js', reason: /JS fallback only/,
    wasmDownloads: 0, fallbackDownloads: ['/js/engine.fallback.js'] },
  esm: { profile: 'tv-esm', target: 'auto', webAssembly: 'undefined', kind: 'js', reason: /no WebAssembly/,
    wasmDownloads: 0, fallbackDownloads: ['/esm/engine.fallback.js'] }
};
const results = {};
for (const page of Object.keys(expect)) {
  const e = expect[page], r = read('reports/' + page + '.json');
  const requests = fs.readFileSync(path.join(dir, 'requests.' + page + '.log'), 'utf8');
  console.log(page + '.html: profile ' + r.profile + ', target ' + r.target + ', WebAssembly ' + r.webAssembly);
  if (r.errors.length) bad(page + '.html: errors in the page:\n    ' + r.errors.join('\n    '));
  for (const k of ['profile', 'target', 'webAssembly'])
    if (r[k] !== e[k]) bad(page + '.html: ' + k + ' is ' + JSON.stringify(r[k]) + ', expected ' + JSON.stringify(e[k]));
  for (const how of ['async', 'sync']) {
    const run = r[how];
    const api = how === 'async' ? 'loadEngine' : 'loadEngineSync';
    if (!run) { bad(page + '.html: ' + api + ' gave no result'); continue; }
    console.log('  ' + api + ': kind ' + run.kind + ', reason "' + run.reason + '"');
    if (run.kind !== e.kind) bad(page + '.html: ' + api + ' picked ' + run.kind + ', expected ' + e.kind);
    if (!e.reason.test(run.reason)) bad(page + '.html: ' + api + "'s reason does not match " + e.reason);
    const d = diff(run.result, input, 'result');
    if (d) bad(page + '.html: ' + api + ' (' + run.kind + ') differs from node on the real engine.wasm: ' + d);
    results[page + '.' + how] = run.result;
  }
  const downloads = requests.split('\n').filter((l) => /\.wasm /.test(l));
  const good = downloads.filter((l) => l.startsWith('GET /auto/engine.wasm 200')).length;
  if (downloads.length !== e.wasmDownloads || good !== e.wasmDownloads)
    bad(page + '.html: expected ' + e.wasmDownloads + ' download(s) of /auto/engine.wasm, the server saw:\n    ' +
      (downloads.join('\n    ') || '(none)'));
  // The fallback: downloaded once where the engine runs as JS (by the first call, found loaded by the
  // second), never where it runs as Wasm.
  const fallbacks = requests.split('\n').filter((l) => /engine\.fallback\.js /.test(l));
  const wanted = e.fallbackDownloads.map((u) => 'GET ' + u + ' 200');
  if (fallbacks.length !== wanted.length || fallbacks.some((l, i) => !l.startsWith(wanted[i])))
    bad(page + '.html: expected ' + (wanted.join(', ') || 'no download of engine.fallback.js') +
      ', the server saw:\n    ' + (fallbacks.join('\n    ') || '(none)'));
}
const kinds = Object.keys(results);
for (const k of kinds.slice(1)) {
  const d = diff(results[k], results[kinds[0]], 'result');
  if (d) bad(k + ' and ' + kinds[0] + ' differ: ' + d);
}
if (!failed) console.log('all ' + kinds.length + ' browser runs equal node on engine.wasm (' +
  JSON.stringify(input).length + ' bytes of results, ' + input.calls.length + ' import calls)');
process.exit(failed ? 1 : 0);
EOF
note "ok: Chromium $("$CHROMIUM" --version 2> /dev/null | grep -o '[0-9][0-9.]*' | head -1)"
