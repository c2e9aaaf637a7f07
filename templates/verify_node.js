// fleetpack verify-fallback's node driver: node [--jitless] verify_node.js INPUT.json ENGINE_SCRIPT RUNNER [WASM]
// Evaluates the bundle's engine script (classic script or ES module, with engine.fallback.js beside it) and the
// runner, then runs the calls.
'use strict';
var fs = require('fs'), vm = require('vm'), path = require('path'), url = require('url');
var input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
var script = process.argv[3];
vm.runInThisContext(fs.readFileSync(process.argv[4], 'utf8'), { filename: 'verify_runner.js' });
var wasm = process.argv[5] ? fs.readFileSync(process.argv[5]) : null;
// The fallback first, as a page's second script tag would load it: the runner uses loadEngineSync, and
// node gives the loader no way to download synchronously (tests/e2e/browser_loader_chromium.sh covers
// the loader's own downloads).
var fallback = path.join(path.dirname(script), 'engine.fallback.js');
vm.runInThisContext(fs.readFileSync(fallback, 'utf8'), { filename: 'engine.fallback.js' });
var lines = [];
function print(line) { lines.push(line); }
function finish() { process.stdout.write(lines.join('\n') + '\n'); }
if (/\.mjs$/.test(script)) {
  import(url.pathToFileURL(path.resolve(script)).href).then(function (loader) {
    fpVerifyRun(loader, input, wasm, print);
    finish();
  });
} else {
  vm.runInThisContext(fs.readFileSync(script, 'utf8'), { filename: path.basename(script) });
  fpVerifyRun(globalThis[input.global], input, wasm, print);
  finish();
}
