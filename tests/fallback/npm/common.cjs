'use strict';
// Shared by the package drivers here: argument handling and the shim set-up.
//   node DRIVER PKG_DIR                      the real WebAssembly (plain node)
//   node --jitless DRIVER PKG_DIR WASM JS    WebAssembly from webassembly_shim.js on the bundle's engine.js
// PKG_DIR: tests/third_party/fetch.sh's <name>.pkg (the package's files at their tarball paths).
// Drivers print one line per result; the test compares both runs' output byte for byte.
const path = require('node:path');

function setUp() {
  const [pkg, wasm, script] = process.argv.slice(2);
  if (!pkg) throw new Error('usage: DRIVER PKG_DIR [ORIGINAL.wasm ENGINE.js]');
  if (wasm) {
    if (typeof WebAssembly !== 'undefined') throw new Error('shim mode needs a host without WebAssembly (node --jitless)');
    require(path.join(__dirname, '..', 'webassembly_shim.js')).install([{ wasm, script }]);
    console.error('WebAssembly: fleetpack fallback ' + script);
  } else {
    if (typeof WebAssembly === 'undefined') throw new Error('wasm mode needs a host with WebAssembly');
    console.error('WebAssembly: node ' + process.version);
  }
  return path.resolve(pkg);
}

// One result line: label, then the value as JSON (errors as their class, name and message).
function show(label, fn) {
  try {
    const v = fn();
    if (v && typeof v.then === 'function')
      return v.then((r) => console.log(label + ' ' + JSON.stringify(r)), (e) => console.log(label + ' ' + describe(e)));
    console.log(label + ' ' + JSON.stringify(v));
  } catch (e) {
    console.log(label + ' ' + describe(e));
  }
}
function describe(e) {
  if (!(e instanceof Error)) return 'THROWS ' + typeof e + ' ' + JSON.stringify(e);
  return 'THROWS ' + JSON.stringify({ class: e.constructor && e.constructor.name, name: e.name, message: e.message });
}

module.exports = { setUp, show, describe };
