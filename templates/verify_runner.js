// fleetpack verify-fallback's runner (ES5: it runs in node and in Duktape). Loads the engine through the
// bundle's own loader, makes the calls of the list in order on one instance, and prints one JSON line per
// call: its result (or the error it threw, as a trap), the imports it called, and every so often a hash
// of each exported memory and the values of exported globals. The host compares the lines of the runs.
function fpVerifyRun(loader, input, wasmBytes, print) {
  var log = [];
  // Wasm itself takes and gives i64 as BigInt (node has it); the fallback as its profile says. Results are
  // shown the profile's way in both runs, so they compare.
  var bigint = input.mode === 'wasm' || input.i64 === 'bigint';
  function show(v, type) {
    if (type === 'i64') {
      if (typeof v === 'bigint' && input.i64 === 'number') v = Number(v);
      return String(v);
    }
    if (typeof v !== 'number') return typeof v + ':' + String(v);
    if (v !== v) return 'nan';  // NaN payloads are not observable in JS
    if (type === 'i32') return String(v);
    // Floats as their bits: engines print some doubles differently (Duktape is not always shortest).
    f64[0] = v;
    return bits[1].toString(16) + ':' + bits[0].toString(16);
  }
  var f64 = new Float64Array(1), bits = new Uint32Array(f64.buffer);
  function arg(v, type) {
    if (type === 'i64') return bigint ? BigInt(v) : Number(v);
    if (v === 'nan') return NaN;
    if (v === 'inf') return Infinity;
    if (v === '-inf') return -Infinity;
    if (v === '-0') return -0;
    return v;
  }
  var imports = {};
  function importFunction(imp) {
    return function () {
      var shown = [];
      for (var i = 0; i < arguments.length; i++) shown.push(show(arguments[i], imp.params[i]));
      log.push(imp.module + '.' + imp.name + '(' + shown.join(',') + ')');
      if (!imp.results.length) return undefined;
      return arg(imp.returns, imp.results[0]);
    };
  }
  for (var i = 0; i < input.imports.length; i++) {
    var imp = input.imports[i];
    if (!imports[imp.module]) imports[imp.module] = {};
    imports[imp.module][imp.name] = importFunction(imp);
  }
  // FNV-1a over 32-bit words: a memory's byte length is a multiple of 64 KiB, and interpreters (Duktape,
  // node --jitless) hash words four times faster than bytes.
  function fnv(h, words) {
    for (var i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 16777619);
    return h >>> 0;
  }
  function snapshot(exports) {
    var parts = [];
    for (var i = 0; i < input.memories.length; i++) {
      var mem = exports[input.memories[i]];
      var words = new Int32Array(mem.buffer);
      parts.push(input.memories[i] + ':' + mem.buffer.byteLength + ':' + fnv(-2128831035, words));
    }
    for (var g = 0; g < input.globals.length; g++)
      parts.push(input.globals[g].name + '=' + show(exports[input.globals[g].name].value, input.globals[g].type));
    return parts.join(' ');
  }
  var engine;
  try {
    engine = loader.loadEngineSync(imports, { forceKind: input.mode, wasmBytes: wasmBytes });
  } catch (e) {
    print(JSON.stringify({ load: 'error', error: String(e && e.name) + ': ' + String(e && e.message) }));
    return;
  }
  print(JSON.stringify({ load: engine.kind }));
  var exports = engine.exports;
  for (var c = 0; c < input.calls.length; c++) {
    var call = input.calls[c], out = { call: c };
    var sig = input.signatures[call.export], args = [];
    for (var a = 0; a < call.args.length; a++) args.push(arg(call.args[a], sig.params[a]));
    try {
      var r = exports[call.export].apply(null, args);
      out.result = sig.results.length ? show(r, sig.results[0]) : '';
    } catch (e) {
      out.trap = true;
    }
    if (log.length) out.imports = log.join(' ');
    log = [];
    if ((c + 1) % input.memoryEvery === 0 || c === input.calls.length - 1) out.state = snapshot(exports);
    print(JSON.stringify(out));
  }
}
