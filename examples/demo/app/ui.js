/*
 * The demo app's home screen, described with the engine's scene API.
 *
 * ES5 only (var, function; no arrow functions, let/const, classes or template strings): some
 * target TVs run ES5 engines. Works as a classic script (defines the global DemoUI) and as a
 * CommonJS module (node).
 */
(function (root, factory) {
  var ui = factory();
  if (typeof module === 'object' && module.exports) {
    module.exports = ui;
  } else {
    root.DemoUI = ui;
  }
})(this, function () {
  'use strict';

  // The engine's style enums (engine/engine.h).
  var ROW = 0, COLUMN = 1;
  var JUSTIFY_START = 0, JUSTIFY_SPACE_BETWEEN = 3;
  var ALIGN_CENTER = 1, ALIGN_STRETCH = 3;

  var SCREEN_W = 1920, SCREEN_H = 1080;

  // What the home screen shows: two shelves of tiles, as a streaming app's catalogue would.
  var SHELVES = [
    { title: 'Continue watching', tiles: 4, tileW: 400, tileH: 225 },
    { title: 'Popular', tiles: 6, tileW: 240, tileH: 360 }
  ];

  function add(engine, parent, name, names) {
    var id = engine.node_add(parent);
    if (id < 0) {
      throw new Error('engine arena full while adding ' + name);
    }
    names[id] = name;
    return id;
  }

  // Builds the scene and returns { root, names }: names maps node id -> readable path.
  function buildHome(engine) {
    var names = {};
    var rootId = engine.scene_create(SCREEN_W, SCREEN_H);
    if (rootId < 0) {
      throw new Error('scene_create failed: was engine_init called?');
    }
    names[rootId] = 'screen';
    engine.node_set_direction(rootId, COLUMN);
    engine.node_set_padding(rootId, 48, 80, 48, 80);
    engine.node_set_gap(rootId, 40);

    // Header: logo on the left, clock on the right, vertically centered.
    var header = add(engine, rootId, 'header', names);
    engine.node_set_size(header, -1, 72);
    engine.node_set_justify(header, JUSTIFY_SPACE_BETWEEN);
    engine.node_set_align(header, ALIGN_CENTER);
    engine.node_set_size(add(engine, header, 'header/logo', names), 180, 56);
    engine.node_set_size(add(engine, header, 'header/clock', names), 140, 40);

    // The shelves: each a title above a row of tiles.
    var shelves = add(engine, rootId, 'shelves', names);
    engine.node_set_direction(shelves, COLUMN);
    engine.node_set_gap(shelves, 32);
    engine.node_set_grow(shelves, 1);
    for (var s = 0; s < SHELVES.length; s++) {
      var spec = SHELVES[s];
      var shelfName = 'shelf' + s;
      var shelf = add(engine, shelves, shelfName, names);
      engine.node_set_direction(shelf, COLUMN);
      engine.node_set_gap(shelf, 12);
      engine.node_set_size(add(engine, shelf, shelfName + '/title', names), -1, 36);
      var row = add(engine, shelf, shelfName + '/row', names);
      engine.node_set_gap(row, 24);
      engine.node_set_justify(row, JUSTIFY_START);
      engine.node_set_align(row, ALIGN_STRETCH);
      for (var t = 0; t < spec.tiles; t++) {
        engine.node_set_size(add(engine, row, shelfName + '/tile' + t, names), spec.tileW, spec.tileH);
      }
    }

    // A footer hint bar that takes no more than its content.
    var footer = add(engine, rootId, 'footer', names);
    engine.node_set_size(footer, -1, 32);
    return { root: rootId, names: names };
  }

  function pad(text, width) {
    text = String(text);
    while (text.length < width) {
      text = ' ' + text;
    }
    return text;
  }

  // One line per node, in id order: "id name x y w h".
  function describe(engine, names) {
    var lines = [];
    var count = engine.node_count();
    for (var id = 0; id < count; id++) {
      lines.push(pad(id, 3) + '  ' + (names[id] + '                    ').slice(0, 20) +
        pad(engine.node_get_x(id), 6) + pad(engine.node_get_y(id), 6) +
        pad(engine.node_get_w(id), 6) + pad(engine.node_get_h(id), 6));
    }
    return lines;
  }

  function hex(color) {
    return '0x' + ('00000000' + (color >>> 0).toString(16).toUpperCase()).slice(-8);
  }

  return {
    ROW: ROW,
    COLUMN: COLUMN,
    buildHome: buildHome,
    describe: describe,
    hex: hex
  };
});
