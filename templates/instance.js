  // The fallback as a WebAssembly.Instance's exports: imports looked up by module and name (wasm2js only
  // knows fields of one `env`, see passes/wasm2js.cpp), i64 values converted at the boundary, traps thrown
  // as errors named RuntimeError, missing imports as errors named LinkError.
  var FP_TWO32 = 4294967296;
  // i64 values cross as BigInt when the profile's JS level has it (as WebAssembly's JS API does), else as
  // Numbers, exact within +-2^53 (docs/fallback.md).
  function fpI64Split(v) {
    if (FP_META.i64 === 'bigint') {
      var b = BigInt.asIntN(64, BigInt(v));
      return [Number(BigInt.asIntN(32, b)), Number(BigInt.asIntN(32, b >> BigInt(32)))];
    }
    v = +v;
    var hi = Math.floor(v / FP_TWO32);
    return [(v - hi * FP_TWO32) | 0, hi | 0];
  }
  function fpI64Join(lo, hi) {
    if (FP_META.i64 === 'bigint') return (BigInt(hi | 0) << BigInt(32)) | BigInt(lo >>> 0);
    return (hi | 0) * FP_TWO32 + (lo >>> 0);
  }
  function fpHasType(types, type) {
    for (var i = 0; i < types.length; i++) if (types[i] === type) return true;
    return false;
  }
  function fpHasI64(types) { return fpHasType(types, 'i64'); }
  function fpHasF32(types) { return fpHasType(types, 'f32'); }
  // asmFunc: the factory's result (engine.fallback.js).
  function fpInstantiateFallback(imports, asmFunc) {
    var tempRet0 = 0;
    var env = {
      abort: function () { throw fpError('RuntimeError', 'unreachable executed'); },
      setTempRet0: function (v) { tempRet0 = v | 0; },
      getTempRet0: function () { return tempRet0; }
    };
    // Values cross the boundary as Wasm's JS API converts them: f32 is rounded (wasm2js's functions trust
    // their callers to have done it), i64 as described above.
    function fpNeedsWrap(sig) {
      return fpHasI64(sig.params) || fpHasI64(sig.results) || fpHasF32(sig.params) || fpHasF32(sig.results);
    }
    function wrapImport(fn, sig, label) {
      if (typeof fn !== 'function') throw fpError('LinkError', 'import ' + label + ' must be a function');
      if (!fpNeedsWrap(sig)) return fn;
      return function () {
        var args = [], k = 0;
        for (var p = 0; p < sig.params.length; p++) {
          if (sig.params[p] === 'i64') { args.push(fpI64Join(arguments[k], arguments[k + 1])); k += 2; }
          else args.push(arguments[k++]);
        }
        var r = fn.apply(null, args);
        if (sig.results[0] === 'f32') return Math.fround(r);
        if (sig.results[0] !== 'i64') return r;
        var halves = fpI64Split(r);
        tempRet0 = halves[1];
        return halves[0];
      };
    }
    function wrapExport(fn, sig) {
      if (!fpNeedsWrap(sig)) return fn;
      return function () {
        var args = [];
        for (var p = 0; p < sig.params.length; p++) {
          if (sig.params[p] === 'i64') { var h = fpI64Split(arguments[p]); args.push(h[0], h[1]); }
          else if (sig.params[p] === 'f32') args.push(Math.fround(arguments[p]));
          else args.push(arguments[p]);
        }
        var r = fn.apply(null, args);
        return sig.results[0] === 'i64' ? fpI64Join(r, tempRet0) : r;
      };
    }
    for (var i = 0; i < FP_META.imports.length; i++) {
      var imp = FP_META.imports[i], label = imp.module + '.' + imp.name;
      var mod = imports ? imports[imp.module] : undefined;
      if (mod === undefined || mod === null || !(imp.name in Object(mod)))
        throw fpError('LinkError', 'import ' + label + ' (' + imp.kind + ') is missing');
      var value = mod[imp.name];
      if (imp.kind === 'function') env[imp.field] = wrapImport(value, imp.signature, label);
      else if (imp.kind === 'global') env[imp.field] = (value !== null && typeof value === 'object') ? value.value : value;
      else env[imp.field] = value;
    }
    var raw = asmFunc(env);
    var exports = {};
    for (var x = 0; x < FP_META.exports.length; x++) {
      var ex = FP_META.exports[x];
      exports[ex.name] = ex.kind === 'function' ? wrapExport(raw[ex.name], ex.signature) : raw[ex.name];
    }
    return exports;
  }
