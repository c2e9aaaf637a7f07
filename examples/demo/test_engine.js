/*
 * Checks the demo engine against layouts and values worked out by hand.
 *
 *   node examples/demo/test_engine.js [path/to/engine.wasm]     (default: build/engine.wasm)
 *   node [--jitless] examples/demo/test_engine.js path/to/engine.js
 *
 * Given a bundle's engine script (fleetpack's loader; for targets js and auto with engine.fallback.js
 * beside it), the same checks run on whatever the loader picks: the fallback under `node --jitless` (no
 * WebAssembly).
 *
 * Prints one line per check; exits 1 if any failed, 2 if the module could not be loaded.
 */
'use strict';

var assert = require('assert');
var fs = require('fs');
var path = require('path');

var ROW = 0, COLUMN = 1;
var JUSTIFY_START = 0, JUSTIFY_CENTER = 1, JUSTIFY_END = 2, JUSTIFY_SPACE_BETWEEN = 3;
var ALIGN_START = 0, ALIGN_CENTER = 1, ALIGN_END = 2, ALIGN_STRETCH = 3;
var LOG_NOT_INITIALIZED = 1, LOG_ARENA_FULL = 2, LOG_BAD_NODE = 3;

var EXPECTED_EXPORTS = [
  '__stack_pointer', 'color_blend', 'color_shift', 'ease_in_out', 'engine_init', 'engine_version',
  'hash_bytes', 'hit_test', 'layout_last_ms', 'layout_run', 'memory', 'node_add', 'node_count',
  'node_first_child', 'node_get_h', 'node_get_w', 'node_get_x', 'node_get_y', 'node_moved',
  'node_next_sibling', 'node_parent', 'node_set_align', 'node_set_direction', 'node_set_gap',
  'node_set_grow', 'node_set_justify', 'node_set_margin', 'node_set_padding', 'node_set_size',
  'scene_create', 'scene_hash', 'scene_snapshot', 'scratch_ptr', 'scratch_size', 'snap_px',
  'theme_color'
];

var file = process.argv[2] || path.join(__dirname, 'build', 'engine.wasm');
var module, loader;
try {
  if (/\.js$/.test(file)) {
    // node cannot download: evaluate the bundle's fallback first, as a page with a second script tag
    // would (it only registers the engine's factory; the loader takes it if it runs the engine as JS).
    var fallback = path.join(path.dirname(file), 'engine.fallback.js');
    if (fs.existsSync(fallback)) require('vm').runInThisContext(fs.readFileSync(fallback, 'utf8'), { filename: fallback });
    require('vm').runInThisContext(fs.readFileSync(file, 'utf8'), { filename: file });
    loader = global.fleetpack;
    var probe = loader.loadEngineSync(imports([], { t: 0 }), {
      wasmBytes: fs.existsSync(path.join(path.dirname(file), 'engine.wasm')) ?
        fs.readFileSync(path.join(path.dirname(file), 'engine.wasm')) : undefined
    });
    console.log('loader chose ' + probe.kind + ': ' + probe.reason);
  } else {
    module = new WebAssembly.Module(fs.readFileSync(file));
  }
} catch (e) {
  console.error(file + ': cannot load the engine: ' + e.message);
  process.exit(2);
}

function imports(log, clock) {
  return {
    env: {
      log_i32: function (event, value) { log.push([event, value]); },
      now_ms: function () { clock.t += 0.25; return clock.t; }
    }
  };
}

// A fresh instance whose env.log_i32 calls are recorded in `log`.
function instantiate() {
  var log = [];
  var clock = { t: 0 };
  if (loader) {
    var wasm = path.join(path.dirname(file), 'engine.wasm');
    var options = fs.existsSync(wasm) ? { wasmBytes: fs.readFileSync(wasm) } : {};
    return { engine: loader.loadEngineSync(imports(log, clock), options).exports, log: log };
  }
  var instance = new WebAssembly.Instance(module, imports(log, clock));
  return { engine: instance.exports, log: log };
}

function box(engine, id) {
  return [engine.node_get_x(id), engine.node_get_y(id), engine.node_get_w(id), engine.node_get_h(id)];
}

function xy(x, y) {
  return (x & 0xFFFF) | (y << 16);
}

var failures = 0;
function check(name, body) {
  try {
    body(instantiate());
    console.log('ok   ' + name);
  } catch (e) {
    failures++;
    console.log('FAIL ' + name + '\n     ' + String(e.message).split('\n').join('\n     '));
  }
}

// The TV home screen of the README: 1920x1080 column, padding 60, gap 40; a 100-high header, a
// row of four 300x450 tiles with gap 24, and a footer that grows into what is left.
function buildHome(engine) {
  assert.strictEqual(engine.engine_init(64), 64);
  assert.strictEqual(engine.scene_create(1920, 1080), 0);
  engine.node_set_direction(0, COLUMN);
  engine.node_set_padding(0, 60, 60, 60, 60);
  engine.node_set_gap(0, 40);
  var header = engine.node_add(0);
  engine.node_set_size(header, -1, 100);
  var row = engine.node_add(0);
  engine.node_set_gap(row, 24);
  var tiles = [];
  for (var i = 0; i < 4; i++) {
    tiles.push(engine.node_add(row));
    engine.node_set_size(tiles[i], 300, 450);
  }
  var footer = engine.node_add(0);
  engine.node_set_grow(footer, 1);
  return { header: header, row: row, tiles: tiles, footer: footer };
}

// A root of the given size and direction holding children of the given sizes.
function simpleScene(engine, w, h, direction, sizes) {
  engine.engine_init(16);
  engine.scene_create(w, h);
  engine.node_set_direction(0, direction);
  var ids = [];
  for (var i = 0; i < sizes.length; i++) {
    ids.push(engine.node_add(0));
    engine.node_set_size(ids[i], sizes[i][0], sizes[i][1]);
  }
  return ids;
}

check('module exports and imports', function (t) {
  if (loader) {  // through the loader, the instance's exports are all there is to see
    assert.deepStrictEqual(Object.keys(t.engine).sort(), EXPECTED_EXPORTS);
    return;
  }
  var names = WebAssembly.Module.exports(module).map(function (e) { return e.name; }).sort();
  assert.deepStrictEqual(names, EXPECTED_EXPORTS);
  var imports = WebAssembly.Module.imports(module).map(function (i) { return i.module + '.' + i.name + ':' + i.kind; });
  assert.deepStrictEqual(imports.sort(), ['env.log_i32:function', 'env.now_ms:function']);
});

check('engine_init grows linear memory, once', function (t) {
  var before = t.engine.memory.buffer.byteLength;
  assert.strictEqual(before, 65536, 'one initial page');
  assert.strictEqual(t.engine.scene_create(100, 100), -1, 'scene_create before engine_init');
  assert.deepStrictEqual(t.log, [[LOG_NOT_INITIALIZED, -1]]);
  assert.strictEqual(t.engine.engine_init(256), 256);
  var after = t.engine.memory.buffer.byteLength;
  assert.ok(after > before, 'memory grew: ' + before + ' -> ' + after);
  assert.strictEqual(t.engine.engine_init(100), 256, 'a smaller capacity keeps the arena');
  assert.strictEqual(t.engine.memory.buffer.byteLength, after);
});

check('home screen layout', function (t) {
  var e = t.engine, s = buildHome(e);
  assert.strictEqual(e.layout_run(0), 8);
  assert.deepStrictEqual(box(e, 0), [0, 0, 1920, 1080]);
  assert.deepStrictEqual(box(e, s.header), [60, 60, 1800, 100]);
  assert.deepStrictEqual(box(e, s.row), [60, 200, 1800, 450]);
  assert.deepStrictEqual(box(e, s.tiles[0]), [60, 200, 300, 450]);
  assert.deepStrictEqual(box(e, s.tiles[1]), [384, 200, 300, 450]);
  assert.deepStrictEqual(box(e, s.tiles[2]), [708, 200, 300, 450]);
  assert.deepStrictEqual(box(e, s.tiles[3]), [1032, 200, 300, 450]);
  assert.deepStrictEqual(box(e, s.footer), [60, 690, 1800, 330]);
  assert.strictEqual(e.layout_last_ms(), 0.25, 'timed with env.now_ms');
  assert.deepStrictEqual(t.log, []);
});

check('tree links', function (t) {
  var e = t.engine, s = buildHome(e);
  assert.strictEqual(e.node_count(), 8);
  assert.strictEqual(e.node_parent(0), -1);
  assert.strictEqual(e.node_first_child(0), s.header);
  assert.strictEqual(e.node_next_sibling(s.header), s.row);
  assert.strictEqual(e.node_next_sibling(s.row), s.footer);
  assert.strictEqual(e.node_next_sibling(s.footer), -1);
  assert.strictEqual(e.node_parent(s.tiles[2]), s.row);
  assert.strictEqual(e.node_first_child(s.tiles[0]), -1);
});

check('grow shares free space; snapping keeps edges touching', function (t) {
  var e = t.engine;
  var ids = simpleScene(e, 1000, 100, ROW, [[-1, -1], [-1, -1], [-1, -1]]);
  ids.forEach(function (id) { e.node_set_grow(id, 1); });
  e.layout_run(0);
  assert.ok(Math.abs(e.node_get_w(ids[0]) - 1000 / 3) < 1e-4);
  assert.ok(Math.abs(e.node_get_x(ids[2]) - 2000 / 3) < 1e-3);
  e.layout_run(1);
  assert.deepStrictEqual(box(e, ids[0]), [0, 0, 333, 100]);
  assert.deepStrictEqual(box(e, ids[1]), [333, 0, 334, 100]);
  assert.deepStrictEqual(box(e, ids[2]), [667, 0, 333, 100]);
});

check('grow factors are proportional, fixed sizes stay', function (t) {
  var e = t.engine;
  var ids = simpleScene(e, 900, 100, ROW, [[-1, -1], [300, -1], [-1, -1]]);
  e.node_set_grow(ids[0], 1);
  e.node_set_grow(ids[2], 2);
  e.layout_run(0);
  assert.deepStrictEqual(box(e, ids[0]), [0, 0, 200, 100]);
  assert.deepStrictEqual(box(e, ids[1]), [200, 0, 300, 100]);
  assert.deepStrictEqual(box(e, ids[2]), [500, 0, 400, 100]);
});

check('justify and align', function (t) {
  var e = t.engine;
  var ids = simpleScene(e, 1000, 500, ROW, [[100, 50], [100, 50]]);
  var cases = [
    [JUSTIFY_START, ALIGN_START, [0, 0], [100, 0]],
    [JUSTIFY_CENTER, ALIGN_CENTER, [400, 225], [500, 225]],
    [JUSTIFY_END, ALIGN_END, [800, 450], [900, 450]],
    [JUSTIFY_SPACE_BETWEEN, ALIGN_STRETCH, [0, 0], [900, 0]]
  ];
  cases.forEach(function (c) {
    e.node_set_justify(0, c[0]);
    e.node_set_align(0, c[1]);
    e.layout_run(0);
    var where = 'justify ' + c[0] + ', align ' + c[1];
    assert.deepStrictEqual(box(e, ids[0]), [c[2][0], c[2][1], 100, 50], where);
    assert.deepStrictEqual(box(e, ids[1]), [c[3][0], c[3][1], 100, 50], where);
  });
  e.node_set_size(ids[1], 100, -1);
  e.layout_run(0);
  assert.deepStrictEqual(box(e, ids[1]), [900, 0, 100, 500], 'stretch fills an auto cross size');
  assert.strictEqual(e.node_set_justify(0, 7), -1);
  assert.strictEqual(e.node_set_align(0, -1), -1);
});

check('padding and margins', function (t) {
  var e = t.engine;
  var ids = simpleScene(e, 400, 400, COLUMN, [[-1, 50], [-1, 20]]);
  e.node_set_padding(0, 10, 10, 10, 10);
  e.node_set_margin(ids[0], 5, 5, 5, 5);
  e.layout_run(0);
  assert.deepStrictEqual(box(e, ids[0]), [15, 15, 370, 50]);
  assert.deepStrictEqual(box(e, ids[1]), [10, 70, 380, 20]);
});

check('auto size measures content', function (t) {
  var e = t.engine;
  e.engine_init(16);
  e.scene_create(800, 600);
  e.node_set_direction(0, COLUMN);
  e.node_set_align(0, ALIGN_START);
  var row = e.node_add(0);
  e.node_set_padding(row, 8, 8, 8, 8);
  e.node_set_gap(row, 10);
  var a = e.node_add(row), b = e.node_add(row);
  e.node_set_size(a, 100, 40);
  e.node_set_size(b, 100, 40);
  e.layout_run(0);
  assert.deepStrictEqual(box(e, row), [0, 0, 226, 56]);
  assert.deepStrictEqual(box(e, a), [8, 8, 100, 40]);
  assert.deepStrictEqual(box(e, b), [118, 8, 100, 40]);
});

check('overflow is not shrunk', function (t) {
  var e = t.engine;
  var ids = simpleScene(e, 500, 100, ROW, [[200, 100], [200, 100], [200, 100]]);
  e.layout_run(0);
  assert.deepStrictEqual([e.node_get_x(ids[0]), e.node_get_x(ids[1]), e.node_get_x(ids[2])], [0, 200, 400]);
  e.node_set_justify(0, JUSTIFY_CENTER);
  e.layout_run(0);
  assert.deepStrictEqual([e.node_get_x(ids[0]), e.node_get_x(ids[1]), e.node_get_x(ids[2])], [-50, 150, 350]);
});

check('hit_test with int16 coordinates, negative ones included', function (t) {
  var e = t.engine;
  var ids = simpleScene(e, 1000, 500, ROW, [[200, 100], [200, 100]]);
  e.node_set_margin(0, -20, 0, 0, -100); // root box: -100,-20 1000x500
  e.node_set_margin(ids[1], 0, 0, 0, -50); // second tile overlaps the first by 50
  e.layout_run(0);
  assert.deepStrictEqual(box(e, 0), [-100, -20, 1000, 500]);
  assert.deepStrictEqual(box(e, ids[0]), [-100, -20, 200, 100]);
  assert.deepStrictEqual(box(e, ids[1]), [50, -20, 200, 100]);
  assert.strictEqual(e.hit_test(xy(-50, -10)), ids[0]);
  assert.strictEqual(e.hit_test(xy(75, 0)), ids[1], 'later sibling on top');
  assert.strictEqual(e.hit_test(xy(500, 300)), 0);
  assert.strictEqual(e.hit_test(xy(-150, 0)), -1);
  assert.strictEqual(e.hit_test(xy(950, 0)), -1);
  assert.strictEqual(e.hit_test(xy(0, -30)), -1);
});

check('snapshot, node_moved and scene_hash', function (t) {
  var e = t.engine, s = buildHome(e);
  e.layout_run(1);
  var hash = e.scene_hash() >>> 0;
  assert.strictEqual(e.scene_snapshot(), 8);
  e.node_set_size(s.tiles[1], 350, 450);
  e.layout_run(1);
  var moved = [0, s.header, s.row, s.tiles[0], s.tiles[1], s.tiles[2], s.tiles[3], s.footer].map(e.node_moved);
  assert.deepStrictEqual(moved, [0, 0, 0, 0, 1, 1, 1, 0]);
  assert.notStrictEqual(e.scene_hash() >>> 0, hash);
  e.node_set_size(s.tiles[1], 300, 450);
  e.layout_run(1);
  assert.strictEqual(e.scene_hash() >>> 0, hash, 'same scene, same hash');
  buildHome(e);
  e.layout_run(1);
  assert.strictEqual(e.scene_hash() >>> 0, hash, 'a rebuilt scene hashes the same');
});

check('arena limits and bad ids are reported through env.log_i32', function (t) {
  var e = t.engine;
  assert.strictEqual(e.engine_init(4), 4);
  e.scene_create(10, 10);
  assert.deepStrictEqual([e.node_add(0), e.node_add(0), e.node_add(1)], [1, 2, 3]);
  assert.strictEqual(e.node_add(0), -1);
  assert.strictEqual(e.node_add(99), -1);
  assert.strictEqual(e.node_get_x(99), 0);
  assert.strictEqual(e.node_set_gap(-1, 1), -1);
  assert.deepStrictEqual(t.log, [[LOG_ARENA_FULL, 4], [LOG_BAD_NODE, 99], [LOG_BAD_NODE, 99], [LOG_BAD_NODE, -1]]);
});

check('color_blend', function (t) {
  var e = t.engine;
  function blend(a, b, k) { return e.color_blend(a, b, k) >>> 0; }
  assert.strictEqual(blend(0xFF000000, 0xFFFFFFFF, 128), 0xFF808080);
  assert.strictEqual(blend(0xFFFFFFFF, 0xFF000000, 128), 0xFF7F7F7F);
  assert.strictEqual(blend(0x11223344, 0x55667788, 0), 0x11223344);
  assert.strictEqual(blend(0x11223344, 0x55667788, 255), 0x55667788);
  assert.strictEqual(blend(0x11223344, 0x55667788, 1000), 0x55667788);
  assert.strictEqual(blend(0x00000000, 0xFF10FF00, 51), 0x33033300);
});

check('color_shift adds signed int8 lanes', function (t) {
  var e = t.engine;
  function shift(c, d) { return e.color_shift(c, d) >>> 0; }
  assert.strictEqual(shift(0x80808080, 0x0010F080), 0x80907000); // +0, +16, -16, -128
  assert.strictEqual(shift(0x00FF00FF, 0xFF01FF01 | 0), 0x00FF00FF); // clamped both ways
  assert.strictEqual(shift(0x10101010, 0x7F7F7F7F), 0x8F8F8F8F);
  assert.strictEqual(shift(0xFFFFFFFF, 0x81818181 | 0), 0x80808080); // -127 each
});

check('snap_px rounds half up and saturates', function (t) {
  var e = t.engine;
  var cases = [[1.5, 2], [1.49, 1], [0, 0], [-1.5, -1], [-1.51, -2], [1919.6, 1920],
    [NaN, 0], [1e20, 2147483647], [-1e20, -2147483648], [Infinity, 2147483647], [-Infinity, -2147483648]];
  cases.forEach(function (c) {
    assert.strictEqual(e.snap_px(c[0]), c[1], 'snap_px(' + c[0] + ')');
  });
});

check('ease_in_out', function (t) {
  var e = t.engine;
  var cases = [[0, 0], [0.25, 0.0625], [0.5, 0.5], [0.75, 0.9375], [1, 1], [-1, 0], [2, 1], [NaN, 0]];
  cases.forEach(function (c) {
    assert.strictEqual(e.ease_in_out(c[0]), c[1], 'ease_in_out(' + c[0] + ')');
  });
});

check('hash_bytes is FNV-1a', function (t) {
  var e = t.engine;
  function hash(text) {
    var bytes = new Uint8Array(e.memory.buffer, e.scratch_ptr(), e.scratch_size());
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return e.hash_bytes(e.scratch_ptr(), text.length) >>> 0;
  }
  assert.strictEqual(e.scratch_size(), 1024);
  assert.strictEqual(hash(''), 0x811C9DC5);
  assert.strictEqual(hash('a'), 0xE40C292C);
  assert.strictEqual(hash('foobar'), 0xBF9CF968);
});

check('theme_color', function (t) {
  var e = t.engine;
  assert.strictEqual(e.theme_color(0) >>> 0, 0xFF0B0F14);
  assert.strictEqual(e.theme_color(5) >>> 0, 0xFFF5A623);
  assert.strictEqual(e.theme_color(6), 0);
  assert.strictEqual(e.theme_color(-1), 0);
  assert.strictEqual(e.engine_version(), 0x010000);
});

console.log(failures ? failures + ' check(s) failed' : 'all checks passed');
process.exit(failures ? 1 : 0);
