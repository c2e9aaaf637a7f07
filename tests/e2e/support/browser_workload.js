/*
 * One workload on the demo engine (examples/demo/engine), run unchanged in node on the real engine.wasm
 * and in headless Chromium on whatever fleetpack's loader picked (Wasm or the wasm2js fallback), by
 * tests/e2e/browser_loader_chromium.sh. Its result is plain JSON, so the test compares the runs byte for
 * byte: the home-screen layout of examples/demo/test_engine.js, tree links, hit tests, snapshots and
 * scene hashes, the pure helpers over fixed and generated inputs, the imports' call log, memory growth
 * and a digest of linear memory.
 *
 *   var imports = FleetpackWorkload.imports();   // env.log_i32 / env.now_ms, recording their calls
 *   var result = FleetpackWorkload.run(exports, imports.calls);
 *
 * ES5 and no host APIs: the same file is a classic script in a page (global FleetpackWorkload) and a
 * CommonJS module in node.
 */
(function (global) {
  'use strict';

  var ROW = 0, COLUMN = 1;

  // JSON loses NaN, the infinities and the sign of zero: spell those out.
  function num(v) {
    if (v !== v) return 'NaN';
    if (v === Infinity) return 'Infinity';
    if (v === -Infinity) return '-Infinity';
    if (v === 0 && 1 / v < 0) return '-0';
    return v;
  }

  function u32(v) { return v >>> 0; }

  // The engine's host functions. A deterministic clock (0.25 ms per call), so that layout_last_ms is
  // the same in every run; every call of either import is recorded in order.
  function imports() {
    var calls = [];
    var clock = 0;
    return {
      calls: calls,
      env: {
        log_i32: function (event, value) { calls.push(['log_i32', event, value]); },
        now_ms: function () { clock += 0.25; calls.push(['now_ms', clock]); return clock; }
      }
    };
  }

  function box(e, id) {
    return [num(e.node_get_x(id)), num(e.node_get_y(id)), num(e.node_get_w(id)), num(e.node_get_h(id))];
  }

  function boxes(e) {
    var out = [];
    for (var id = 0; id < e.node_count(); id++) out.push(box(e, id));
    return out;
  }

  function xy(x, y) { return (x & 0xFFFF) | (y << 16); }

  // 32-bit FNV-1a over all of linear memory (the engine's own data, stack and arena).
  function memoryDigest(memory) {
    var bytes = new Uint8Array(memory.buffer), h = 0x811C9DC5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193);
    }
    return u32(h);
  }

  // The TV home screen of examples/demo/README.md and test_engine.js.
  function buildHome(e, capacity) {
    var r = { init: e.engine_init(capacity), create: e.scene_create(1920, 1080) };
    e.node_set_direction(0, COLUMN);
    e.node_set_padding(0, 60, 60, 60, 60);
    e.node_set_gap(0, 40);
    r.header = e.node_add(0);
    e.node_set_size(r.header, -1, 100);
    r.row = e.node_add(0);
    e.node_set_gap(r.row, 24);
    r.tiles = [];
    for (var i = 0; i < 4; i++) {
      r.tiles.push(e.node_add(r.row));
      e.node_set_size(r.tiles[i], 300, 450);
    }
    r.footer = e.node_add(0);
    e.node_set_grow(r.footer, 1);
    return r;
  }

  // A small linear congruential generator (Numerical Recipes constants): the same inputs everywhere.
  function lcg(seed) {
    var s = seed >>> 0;
    return function () {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s;
    };
  }

  function run(e, calls) {
    var r = {};
    r.version = e.engine_version();
    r.memoryBefore = e.memory.buffer.byteLength;
    r.sceneBeforeInit = e.scene_create(100, 100); // -1, logged as "not initialized"

    // Home screen: layout without and with snapping, the tree, hit tests.
    var home = buildHome(e, 64);
    r.memoryAfterInit = e.memory.buffer.byteLength;
    r.home = home;
    r.layout = e.layout_run(0);
    r.layoutMs = num(e.layout_last_ms());
    r.boxes = boxes(e);
    r.links = [];
    for (var id = 0; id < e.node_count(); id++)
      r.links.push([e.node_parent(id), e.node_first_child(id), e.node_next_sibling(id)]);
    r.hits = [[100, 100], [70, 210], [400, 300], [1900, 1070], [-5, 5], [1500, 700], [30000, 30000]].map(
      function (p) { return e.hit_test(xy(p[0], p[1])); });

    // Snapshot, a change, node_moved and scene hashes.
    r.layoutSnapped = e.layout_run(1);
    r.hash1 = u32(e.scene_hash());
    r.snapshot = e.scene_snapshot();
    e.node_set_size(home.tiles[1], 350, 450);
    e.node_set_margin(home.header, 3.5, 0, 1.25, 7.75);
    e.node_set_justify(home.row, 3);
    e.node_set_align(0, 1);
    e.layout_run(1);
    r.moved = [];
    for (var m = 0; m < e.node_count(); m++) r.moved.push(e.node_moved(m));
    r.hash2 = u32(e.scene_hash());
    r.boxesChanged = boxes(e);

    // Grow shares free space (fractions in float32), then an overflowing row.
    e.engine_init(16);
    e.scene_create(1000, 100);
    e.node_set_direction(0, ROW);
    var g = [e.node_add(0), e.node_add(0), e.node_add(0)];
    e.node_set_grow(g[0], 1);
    e.node_set_grow(g[1], 2);
    e.node_set_grow(g[2], 4);
    e.layout_run(0);
    r.grow = boxes(e);
    e.layout_run(1);
    r.growSnapped = boxes(e);

    // Bad ids and a full arena, reported through env.log_i32.
    r.arena = [e.engine_init(4), e.scene_create(10, 10), e.node_add(0), e.node_add(0), e.node_add(1),
      e.node_add(0), e.node_add(99), num(e.node_get_x(99)), e.node_set_gap(-1, 1), e.node_moved(42)];
    // engine_init keeps the larger arena (64 nodes): fill it until node_add fails (logged as "arena full").
    var added = 0;
    while (e.node_add(0) >= 0 && added < 1000) added++;
    r.arenaFilled = [added, e.node_count()];

    // Pure helpers: fixed inputs, then generated ones.
    r.theme = [];
    for (var t = -1; t <= 7; t++) r.theme.push(u32(e.theme_color(t)));
    var floats = [0, -0, 0.5, 1.5, -1.5, 1.49, -1.51, 1919.6, 2147483520, 3e9, -3e9, 1e20, -1e20,
      Infinity, -Infinity, NaN, 0.25, 0.75, 1, 2, -1, 1e-40];
    r.snap = floats.map(function (v) { return e.snap_px(v); });
    r.ease = floats.map(function (v) { return num(e.ease_in_out(v)); });
    var next = lcg(20240601), blends = [], shifts = [], snaps = [], eases = [];
    for (var k = 0; k < 400; k++) {
      var a = next(), b = next(), c = next();
      blends.push(u32(e.color_blend(a, b, (c & 511) - 128)));
      shifts.push(u32(e.color_shift(a, b | 0)));
      var f = ((c | 0) / 65536) * ((a & 7) + 1);
      snaps.push(e.snap_px(f));
      eases.push(num(e.ease_in_out((a & 0xFFFF) / 40000 - 0.3)));
    }
    r.blends = blends;
    r.shifts = shifts;
    r.snaps = snaps;
    r.eases = eases;

    // hash_bytes over text written into the engine's scratch buffer.
    r.scratchSize = e.scratch_size();
    r.hashes = ['', 'a', 'foobar', 'fleetpack', 'The quick brown fox jumps over the lazy dog'].map(function (text) {
      var bytes = new Uint8Array(e.memory.buffer, e.scratch_ptr(), e.scratch_size());
      for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
      return u32(e.hash_bytes(e.scratch_ptr(), text.length));
    });

    // A bigger scene (grows memory again), laid out and hashed.
    r.bigInit = e.engine_init(512);
    e.scene_create(1280, 720);
    e.node_set_direction(0, COLUMN);
    e.node_set_gap(0, 8);
    var rows = [];
    for (var ri = 0; ri < 6; ri++) {
      rows.push(e.node_add(0));
      e.node_set_gap(rows[ri], 12);
      e.node_set_padding(rows[ri], 4, 4, 4, 4);
      for (var ci = 0; ci < 12; ci++) {
        var tile = e.node_add(rows[ri]);
        e.node_set_size(tile, 90 + ((ri * 7 + ci * 13) % 40), 60 + ri * 3);
        if (ci % 5 === 0) e.node_set_grow(tile, 0.5 + ci / 10);
      }
    }
    e.layout_run(1);
    r.bigHash = u32(e.scene_hash());
    r.bigCount = e.node_count();
    r.memoryEnd = e.memory.buffer.byteLength;
    r.memoryDigest = memoryDigest(e.memory);
    r.calls = calls.slice();
    return r;
  }

  var api = { imports: imports, run: run };
  if (typeof module === 'object' && module && module.exports) module.exports = api;
  else global.FleetpackWorkload = api;
})(typeof window !== 'undefined' ? window : this);
