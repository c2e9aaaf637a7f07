  // Polyfills for what ES5 engines lack and the fallback needs (installed only where missing, before the
  // fallback runs: wasm2js's code reads Math.imul and friends when it starts).
  (function () {
    if (!Math.imul) {
      Math.imul = function (a, b) {
        var ah = (a >>> 16) & 0xffff, al = a & 0xffff, bh = (b >>> 16) & 0xffff, bl = b & 0xffff;
        return ((al * bl) + (((ah * bl + al * bh) << 16) >>> 0)) | 0;
      };
    }
    if (!Math.fround && typeof Float32Array !== 'undefined') {
      var f32 = new Float32Array(1);
      Math.fround = function (x) {
        f32[0] = x;
        return f32[0];
      };
    }
    if (!Math.clz32) {
      Math.clz32 = function (x) {
        x = x >>> 0;
        if (x === 0) return 32;
        var n = 0;
        if ((x & 0xffff0000) === 0) { n += 16; x = x << 16; }
        if ((x & 0xff000000) === 0) { n += 8; x = x << 8; }
        if ((x & 0xf0000000) === 0) { n += 4; x = x << 4; }
        if ((x & 0xc0000000) === 0) { n += 2; x = x << 2; }
        if ((x & 0x80000000) === 0) { n += 1; }
        return n;
      };
    }
    if (!Math.trunc) {
      Math.trunc = function (x) {
        return x < 0 ? Math.ceil(x) : Math.floor(x);
      };
    }
    // Relative indexes as the spec's TypedArray.prototype.fill/copyWithin read them.
    function index(i, len, dflt) {
      if (i === undefined) return dflt;
      i = Math.trunc(+i) || 0;
      return i < 0 ? Math.max(len + i, 0) : Math.min(i, len);
    }
    function fill(value, start, end) {
      var len = this.length, k = index(start, len, 0), stop = index(end, len, len);
      for (; k < stop; k++) this[k] = value;
      return this;
    }
    function copyWithin(target, start, end) {
      var len = this.length, to = index(target, len, 0), from = index(start, len, 0);
      var count = Math.min(index(end, len, len) - from, len - to);
      if (from < to && to < from + count) {
        for (var i = count - 1; i >= 0; i--) this[to + i] = this[from + i];
      } else {
        for (var j = 0; j < count; j++) this[to + j] = this[from + j];
      }
      return this;
    }
    var names = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
      'Uint32Array', 'Float32Array', 'Float64Array'];
    for (var n = 0; n < names.length; n++) {
      var ctor = typeof FP_GLOBAL[names[n]] === 'function' ? FP_GLOBAL[names[n]] : null;
      if (!ctor) continue;
      if (!ctor.prototype.fill) ctor.prototype.fill = fill;
      if (!ctor.prototype.copyWithin) ctor.prototype.copyWithin = copyWithin;
    }
  })();
