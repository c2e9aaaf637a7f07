/*
 * The demo app's entry point: loads the engine, builds the home screen, lays it out and prints the
 * computed boxes, then plays the first frames of a focus animation.
 *
 *   node [--jitless] examples/demo/app/main.js BUNDLE/engine.js     (a bundle's loader: Wasm or fallback)
 *   node examples/demo/app/main.js [path/to/engine.wasm]            (the engine as built, no fleetpack)
 *
 * On a device, the bundle's entry script (fleetpack's loader, engine.js) runs first and defines the
 * global `fleetpack`; this file asks it for the engine and never knows whether it got Wasm or the JS
 * fallback.
 *
 * ES5 only (see ui.js). Runs under node and as a classic script after ui.js in a web engine.
 */
(function (global) {
  'use strict';

  var isNode = typeof process === 'object' && typeof require === 'function';
  var ui = isNode ? require('./ui.js') : global.DemoUI;

  var NODE_CAPACITY = 256;
  var LOG_EVENTS = { 1: 'not initialized', 2: 'arena full', 3: 'bad node id', 4: 'out of memory' };

  function print(line) {
    if (typeof console !== 'undefined') {
      console.log(line);
    }
  }

  // What the engine imports from the host (engine/host.h).
  function makeImports() {
    var start = Date.now();
    return {
      env: {
        log_i32: function (event, value) {
          print('engine: ' + (LOG_EVENTS[event] || 'event ' + event) + ' (' + value + ')');
        },
        now_ms: function () {
          return Date.now() - start;
        }
      }
    };
  }

  // The one place that knows how the engine is loaded: through fleetpack's loader when there is one,
  // plain WebAssembly otherwise. Calls `done(exports)`, or `fail(error)`.
  function loadEngine(loader, bytes, imports, done) {
    function chosen(result) {
      print('engine: ' + result.kind + ' (' + result.reason + ')');
      return result.exports;
    }
    var options = bytes ? { wasmBytes: bytes } : {};
    if (loader && typeof Promise !== 'function') {  // an ES5 host without Promise: the synchronous API
      try {
        done(chosen(loader.loadEngineSync(imports, options)));
      } catch (e) {
        fail(e);
      }
      return;
    }
    var loading = loader ? loader.loadEngine(imports, options).then(chosen) :
      WebAssembly.instantiate(bytes, imports).then(function (result) { return result.instance.exports; });
    loading.then(done).then(null, fail);
  }

  function run(engine) {
    var memory = engine.memory;
    var initialBytes = memory.buffer.byteLength;
    if (engine.engine_init(NODE_CAPACITY) < 0) {
      throw new Error('engine_init failed');
    }
    print('engine ' + (engine.engine_version() >> 16) + '.' + ((engine.engine_version() >> 8) & 255) +
      '.' + (engine.engine_version() & 255) + ': linear memory ' + initialBytes / 1024 + ' KiB initial, ' +
      memory.buffer.byteLength / 1024 + ' KiB after engine_init(' + NODE_CAPACITY + ')');

    var scene = ui.buildHome(engine);
    var laidOut = engine.layout_run(1);
    print('layout: ' + laidOut + ' nodes, scene hash ' + ui.hex(engine.scene_hash()));
    print(' id  node                     x     y     w     h');
    var lines = ui.describe(engine, scene.names);
    for (var i = 0; i < lines.length; i++) {
      print(lines[i]);
    }

    // A pointer remote reports (x, y) as two int16 lanes; find the tile under it.
    var x = 700, y = 300;
    var hit = engine.hit_test((x & 0xFFFF) | (y << 16));
    print('pointer at ' + x + ',' + y + ' -> ' + (hit >= 0 ? scene.names[hit] : 'nothing'));

    // Focus animation on that tile: eased blend from the tile color to the focused color.
    var from = engine.theme_color(2), to = engine.theme_color(3);
    var frames = [];
    for (var f = 0; f <= 4; f++) {
      var eased = engine.ease_in_out(f / 4);
      frames.push(ui.hex(engine.color_blend(from, to, engine.snap_px(eased * 255))));
    }
    print('focus frames: ' + frames.join(' '));
    return scene;
  }

  function fail(error) {
    print('demo failed: ' + (error && error.stack ? error.stack : error));
    if (isNode) {
      process.exitCode = 1;
    }
  }

  // The global the bundle's engine.js defines (fleetpack.yaml's js_global; the demo keeps the default).
  function loaderGlobal() {
    return typeof fleetpack === 'object' ? fleetpack : null;
  }

  function start(loader, bytes) {
    loadEngine(loader, bytes, makeImports(), run);
  }

  if (isNode) {
    if (require.main === module) {
      var path = require('path'), fs = require('fs');
      var file = process.argv[2] || path.join(__dirname, '..', 'build', 'engine.wasm');
      if (/\.js$/.test(file)) {
        require('vm').runInThisContext(fs.readFileSync(file, 'utf8'), { filename: file });
        var wasm = path.join(path.dirname(file), 'engine.wasm');
        start(loaderGlobal(), fs.existsSync(wasm) ? fs.readFileSync(wasm) : null);
      } else {
        start(null, fs.readFileSync(file));
      }
    }
    module.exports = { start: start, run: run, makeImports: makeImports };
  } else {
    // In a web engine: the bundle's engine.js ran before this file.
    start(loaderGlobal(), null);
  }
})(this);
