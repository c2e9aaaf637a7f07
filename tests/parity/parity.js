#!/usr/bin/env node
/*
 * Differential harness: does a lowered module behave exactly like the original?
 *
 *   node parity.js --original A.wasm --lowered B.wasm [--count N] [--seed S]
 *                  [--wabt-disable FLAG...] [--imports SPEC...] [--no-wabt] [--keep DIR] [--examples K]
 *
 * Node 18+, no npm packages. Two engines check the lowered module:
 *
 * 1. Node (V8, every feature on) runs both modules side by side. Every exported function whose params and
 *    results are all i32/i64/f32/f64 gets N inputs (default 2000), generated from --seed (deterministic): a
 *    mix of edge values (NaNs with several payloads, +-0, +-infinity, +-2^31/2^32/2^63/2^64 and their
 *    neighbouring floats, +-0.5/0.9/1/1.1, integer limits, denormals, ...) and random ones. Calls go
 *    round-robin over the exports (round r calls every export with its r-th input), in the same order on
 *    both instances, so stateful modules stay in lockstep. Each call compares: the results bit for bit
 *    (any NaN equals any NaN), trap versus no trap (the messages may differ), and, after the call, every
 *    memory and every numeric global both modules export under the same name.
 *    Floats cross the JS boundary as bits: each export is called through a small wrapper module that takes
 *    f32/f64 params as i32/i64 bits and returns float results as bits, so NaN payloads reach the module and
 *    come back unchanged (plain JS numbers would canonicalize them).
 *
 * 2. wabt's interpreter (spectest-interp) runs the LOWERED module with post-MVP features disabled: the
 *    same call sequence is written as a .wast script, `(module binary ...)` plus one assert_return or
 *    assert_trap per call, whose expected values are what node got from the ORIGINAL module; wast2json
 *    converts it and spectest-interp must pass every assertion. (Memory is compared in node only; modules
 *    under test can export peek functions.) A NaN expected value is written as nan:arithmetic when node's
 *    NaN was quiet, else as its exact bits (a signalling NaN can only come from bit-preserving operations).
 *    --wabt-disable: the flags for wast2json and spectest-interp, repeatable, each either a whole flag
 *    ("--disable-sign-extension") or a wabt feature name ("sign-extension"), or comma-separated. Default:
 *    every post-MVP feature wabt enables by default (an MVP VM). "none": no flag. --no-wabt skips this
 *    engine. The tools are found on PATH or through $WAST2JSON / $SPECTEST_INTERP.
 *
 * Imports are stubs: every imported function returns 0 (of each result type), memories/tables are fresh
 * with the import's limits, globals are 0. --imports SPEC (repeatable or comma-separated) changes a
 * function stub: "module.field=VALUE" returns VALUE (a number; i64 accepts an integer literal), and
 * "module.field=trap" makes the call trap. The same stubs are given to both engines (in wabt as registered
 * modules), so a spec is engine-independent.
 *
 * Prints a summary (exports, calls, mismatches with the first few examples); exits 0 when both engines
 * agree everywhere, 1 on any mismatch, 2 on usage or setup errors.
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const childProcess = require('child_process');

const MVP_DISABLE_FLAGS = [
  '--disable-saturating-float-to-int', '--disable-sign-extension', '--disable-bulk-memory',
  '--disable-reference-types', '--disable-multi-value', '--disable-mutable-globals', '--disable-simd',
];

// ---- command line ---------------------------------------------------------------------------------------

function usage(message) {
  if (message) process.stderr.write('parity.js: ' + message + '\n');
  process.stderr.write(
    'usage: node parity.js --original A.wasm --lowered B.wasm [--count N] [--seed S]\n' +
    '                      [--wabt-disable FLAG...] [--imports module.field=VALUE|trap ...] [--no-wabt]\n' +
    '                      [--keep DIR] [--examples K]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { count: 2000, seed: '1', wabtDisable: null, imports: [], wabt: true, keep: null, examples: 5 };
  const value = (i) => {
    if (i + 1 >= argv.length) usage(argv[i] + ' needs a value');
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let inline = null;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      inline = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const take = () => (inline !== null ? inline : value(i++));
    switch (a) {
      case '--original': o.original = take(); break;
      case '--lowered': o.lowered = take(); break;
      case '--count':
        o.count = Number(take());
        if (!Number.isInteger(o.count) || o.count < 1) usage('--count must be a positive integer');
        break;
      case '--seed': o.seed = take(); break;
      case '--examples': o.examples = Number(take()); break;
      case '--keep': o.keep = take(); break;
      case '--no-wabt': o.wabt = false; break;
      case '--imports': o.imports.push(...take().split(',').filter(Boolean)); break;
      case '--wabt-disable': {
        o.wabtDisable = o.wabtDisable || [];
        o.wabtDisable.push(...take().split(',').filter(Boolean));
        // Several flags may follow one --wabt-disable: take every following --disable-*/--enable-*.
        while (inline === null && i + 1 < argv.length && /^--(disable|enable)-/.test(argv[i + 1]))
          o.wabtDisable.push(argv[++i]);
        break;
      }
      case '-h': case '--help': usage();
      default: usage('unknown argument ' + argv[i]);
    }
  }
  if (!o.original || !o.lowered) usage('--original and --lowered are required');
  if (o.wabtDisable === null) o.wabtDisable = MVP_DISABLE_FLAGS.slice();
  o.wabtDisable = o.wabtDisable.filter((f) => f !== 'none')
    .map((f) => (f.startsWith('--') ? f : '--disable-' + f));
  return o;
}

// ---- reading the module's interface from its binary -----------------------------------------------------

const VALTYPES = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref',
  0x6f: 'externref' };
const NUMERIC = new Set(['i32', 'i64', 'f32', 'f64']);

class Reader {
  constructor(bytes, pos = 0, end = bytes.length) { this.b = bytes; this.pos = pos; this.end = end; }
  byte() {
    if (this.pos >= this.end) throw new Error('unexpected end of section at 0x' + this.pos.toString(16));
    return this.b[this.pos++];
  }
  u32() {
    let result = 0, shift = 0, byte;
    do {
      byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  }
  name() {
    const n = this.u32();
    const s = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return Buffer.from(s).toString('utf8');
  }
  valtype() {
    const t = this.byte();
    if (!(t in VALTYPES)) throw new Error('unsupported value type 0x' + t.toString(16));
    return VALTYPES[t];
  }
  limits() {
    const flags = this.byte();
    const l = { initial: this.u32(), shared: !!(flags & 2) };
    if (flags & 1) l.maximum = this.u32();
    return l;
  }
}

/** Types, imports and function exports (with their signatures) of a module. */
function readInterface(bytes) {
  const r = new Reader(bytes, 8);
  const types = [], imports = [], funcTypes = [], exports = [];
  while (r.pos < r.end) {
    const id = r.byte();
    const size = r.u32();
    const s = new Reader(bytes, r.pos, r.pos + size);
    r.pos += size;
    if (id === 1) {
      for (let n = s.u32(); n > 0; n--) {
        const form = s.byte();
        if (form !== 0x60) { types.push(null); break; }  // not a plain function type (gc): stop here
        const params = [], results = [];
        for (let k = s.u32(); k > 0; k--) params.push(s.valtype());
        for (let k = s.u32(); k > 0; k--) results.push(s.valtype());
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = s.u32(); n > 0; n--) {
        const imp = { module: s.name(), field: s.name() };
        const kind = s.byte();
        if (kind === 0) {
          imp.kind = 'func';
          imp.type = types[s.u32()];
          funcTypes.push(imp.type);
        } else if (kind === 1) {
          imp.kind = 'table';
          imp.elem = s.valtype();
          imp.limits = s.limits();
        } else if (kind === 2) {
          imp.kind = 'memory';
          imp.limits = s.limits();
        } else if (kind === 3) {
          imp.kind = 'global';
          imp.valtype = s.valtype();
          imp.mutable = s.byte() === 1;
        } else {
          throw new Error('unsupported import kind ' + kind);
        }
        imports.push(imp);
      }
    } else if (id === 3) {
      for (let n = s.u32(); n > 0; n--) funcTypes.push(types[s.u32()]);
    } else if (id === 7) {
      for (let n = s.u32(); n > 0; n--) {
        const name = s.name();
        const kind = s.byte();
        const index = s.u32();
        exports.push({ name, kind: ['func', 'table', 'memory', 'global', 'tag'][kind], index });
      }
    }
  }
  for (const e of exports) if (e.kind === 'func') e.type = funcTypes[e.index];
  return { types, imports, exports };
}

// ---- bit-exact float transport: a wrapper module per export ---------------------------------------------

const TYPE_CODE = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };
const BITS_TYPE = { i32: 'i32', i64: 'i64', f32: 'i32', f64: 'i64' };

function uleb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
const section = (id, body) => [id, ...uleb(body.length), ...body];
const vec = (items) => [...uleb(items.length), ...items.flat()];
const funcType = (params, results) =>
  [0x60, ...vec(params.map((t) => [TYPE_CODE[t]])), ...vec(results.map((t) => [TYPE_CODE[t]]))];
const str = (s) => vec([...Buffer.from(s, 'utf8')].map((b) => [b]));

/** Bytes of a module importing m.f (type `type`) and exporting "w": the same function with float params
 *  and results as integer bits. */
function wrapperBytes(type) {
  const { params, results } = type;
  const wparams = params.map((t) => BITS_TYPE[t]);
  const wresults = results.map((t) => BITS_TYPE[t]);
  const code = [];
  params.forEach((t, i) => {
    code.push(0x20, ...uleb(i));                   // local.get i
    if (t === 'f32') code.push(0xbe);              // f32.reinterpret_i32
    if (t === 'f64') code.push(0xbf);              // f64.reinterpret_i64
  });
  code.push(0x10, 0);                              // call $m.f
  // Results: keep them in locals (last on top of the stack first), then push them back as bits.
  const locals = [];
  results.forEach((t, k) => locals.push(t));
  for (let k = results.length - 1; k >= 0; k--) code.push(0x21, ...uleb(params.length + k));  // local.set
  results.forEach((t, k) => {
    code.push(0x20, ...uleb(params.length + k));
    if (t === 'f32') code.push(0xbc);              // i32.reinterpret_f32
    if (t === 'f64') code.push(0xbd);              // i64.reinterpret_f64
  });
  code.push(0x0b);
  const localDecls = vec(locals.map((t) => [1, TYPE_CODE[t]]));
  const body = [...localDecls, ...code];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([funcType(params, results), funcType(wparams, wresults)])),
    ...section(2, vec([[...str('m'), ...str('f'), 0x00, 0x00]])),
    ...section(3, vec([[1]])),
    ...section(7, vec([[...str('w'), 0x00, 1]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
}

// ---- values ---------------------------------------------------------------------------------------------
// A value is held as its bits: i32 and f32 as uint32 Numbers, i64 and f64 as uint64 BigInts.

const f32buf = new Float32Array(1), u32buf = new Uint32Array(f32buf.buffer);
const f64buf = new Float64Array(1), u64buf = new BigUint64Array(f64buf.buffer);
const f32bits = (x) => { f32buf[0] = x; return u32buf[0]; };
const f64bits = (x) => { f64buf[0] = x; return u64buf[0]; };
const f32val = (b) => { u32buf[0] = b; return f32buf[0]; };
const f64val = (b) => { u64buf[0] = b; return f64buf[0]; };
const M64 = (1n << 64n) - 1n;

const isNaNBits = (t, b) => (t === 'f32' ? (b & 0x7fffffff) > 0x7f800000
  : t === 'f64' ? (b & 0x7fffffffffffffffn) > 0x7ff0000000000000n : false);
const sameValue = (t, a, b) => a === b || (isNaNBits(t, a) && isNaNBits(t, b));

/** To the wrapper's JS argument (Number int32 or BigInt int64). */
function toArg(t, bits) {
  if (t === 'i32' || t === 'f32') return bits | 0;
  return BigInt.asIntN(64, bits);
}
/** From the wrapper's JS result. */
function fromResult(t, v) {
  if (t === 'i32' || t === 'f32') return Number(v) >>> 0;
  return BigInt.asUintN(64, BigInt(v));
}

function hex(bits, digits) { return '0x' + bits.toString(16).padStart(digits, '0'); }

/** Human-readable value. */
function show(t, bits) {
  switch (t) {
    case 'i32': return String(bits | 0);
    case 'i64': return String(BigInt.asIntN(64, bits)) + 'n';
    case 'f32': {
      const v = f32val(bits);
      return (Number.isNaN(v) ? 'nan' : Object.is(v, -0) ? '-0' : String(v)) + '(' + hex(bits, 8) + ')';
    }
    default: {
      const v = f64val(bits);
      return (Number.isNaN(v) ? 'nan' : Object.is(v, -0) ? '-0' : String(v)) + '(' + hex(bits, 16) + ')';
    }
  }
}

/** A WAT/WAST constant with exactly these bits. */
function watConst(t, bits, forExpected) {
  if (t === 'i32') return '(i32.const ' + (bits | 0) + ')';
  if (t === 'i64') return '(i64.const ' + BigInt.asIntN(64, bits) + ')';
  const is32 = t === 'f32';
  const b = BigInt(bits);
  const mbits = is32 ? 23n : 52n;
  const ebits = is32 ? 8n : 11n;
  const bias = is32 ? 127n : 1023n;
  const neg = (b >> (mbits + ebits)) & 1n;
  const exp = (b >> mbits) & ((1n << ebits) - 1n);
  const man = b & ((1n << mbits) - 1n);
  const sign = neg ? '-' : '';
  let lit;
  if (exp === (1n << ebits) - 1n) {
    if (man === 0n) lit = sign + 'inf';
    else if (forExpected && (man >> (mbits - 1n)) & 1n) lit = 'nan:arithmetic';  // any quiet NaN
    else lit = sign + 'nan:0x' + man.toString(16);
  } else {
    // Hex float: the mantissa padded to whole hex digits (f32: 23 bits -> 24, shifted left once).
    const digits = is32 ? 6 : 13;
    const m = is32 ? man << 1n : man;
    const frac = m.toString(16).padStart(digits, '0');
    lit = exp === 0n ? sign + '0x0.' + frac + 'p' + (1n - bias) : sign + '0x1.' + frac + 'p' + (exp - bias);
  }
  return '(' + t + '.const ' + lit + ')';
}

// ---- inputs ---------------------------------------------------------------------------------------------

/** sfc32, seeded from a string: deterministic across node versions. */
function makeRng(seedText) {
  let h = 1779033703 ^ seedText.length;
  for (let i = 0; i < seedText.length; i++) {
    h = Math.imul(h ^ seedText.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  const next = () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    return (h ^= h >>> 16) >>> 0;
  };
  let a = next(), b = next(), c = next(), d = next();
  const u32 = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) u32();
  return {
    u32,
    u64: () => (BigInt(u32()) << 32n) | BigInt(u32()),
    below: (n) => u32() % n,
    chance: (p) => u32() / 4294967296 < p,
  };
}

/** Real numbers whose float neighbourhoods matter for conversions (each also negated). */
const INTERESTING_REALS = [
  0, 0.5, 0.9, 1, 1.1, 1.5, 2.5, 0.49999999999999994, 100.5, 65535.5, 65536,
  2 ** 31 - 1, 2 ** 31 - 0.5, 2 ** 31, 2 ** 31 + 0.5, 2 ** 31 + 1, 2147483647.9, 2147483648.9, 2147483649.5,
  2 ** 32 - 1, 2 ** 32 - 0.5, 2 ** 32, 2 ** 32 + 1, 4294967295.9,
  2 ** 53, 2 ** 53 + 2, 2 ** 63, 2 ** 64, 2 ** 65, 1e30, 3.4028234663852886e38, 1.7976931348623157e308,
];

function floatEdges(t) {
  const out = new Set();
  const is32 = t === 'f32';
  const bitsOf = is32 ? f32bits : f64bits;
  const add = (b) => out.add(is32 ? Number(b) >>> 0 : BigInt.asUintN(64, BigInt(b)));
  for (const r of INTERESTING_REALS) {
    for (const x of [r, -r]) {
      const b = bitsOf(x);
      for (const d of [-2, -1, 0, 1, 2]) add(is32 ? (b + d) >>> 0 : b + BigInt(d));  // float neighbours
    }
  }
  if (is32) {
    [0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fa00000, 0x7fffffff, 0xffffffff, 0x7fc00001,
      0x7f800000, 0xff800000, 0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x00800000, 0x80800000,
      0x7f7fffff, 0xff7fffff, 0x4effffff, 0xcf000000, 0xcf000001, 0x4f7fffff, 0x5effffff, 0xdf000001,
      0x5f7fffff].forEach(add);
  } else {
    [0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff0000000000001n, 0xfff0000000000001n,
      0x7ff4000000000000n, 0x7fffffffffffffffn, 0xffffffffffffffffn, 0x7ff8000000000001n,
      0x7ff0000000000000n, 0xfff0000000000000n, 0x1n, 0x8000000000000001n, 0x000fffffffffffffn,
      0x800fffffffffffffn, 0x0010000000000000n, 0x8010000000000000n, 0x7fefffffffffffffn,
      0xffefffffffffffffn, 0xc1e0000000200000n, 0xc1e00000001fffffn].forEach(add);
  }
  return [...out];
}

function intEdges(t) {
  const w = t === 'i32' ? 32n : 64n;
  const mask = (1n << w) - 1n;
  const out = new Set();
  const add = (v) => out.add(t === 'i32' ? Number(BigInt(v) & mask) : BigInt(v) & mask);
  for (let v = -4; v <= 16; v++) add(v);
  for (const v of [0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 1000, 4096, 65536 * 2])
    for (const d of [-1, 0, 1]) { add(v + d); add(-(v + d)); }
  for (const k of [31n, 32n, 53n, 63n])
    for (const d of [-1n, 0n, 1n]) { add((1n << k) + d); add(-(1n << k) + d); }
  add(mask);
  add(0x4f000000);
  add(0x7fc00000);
  return [...out];
}

const EDGES = { f32: floatEdges('f32'), f64: floatEdges('f64'), i32: intEdges('i32'), i64: intEdges('i64') };

/** The k-th input for a param of type t (k < edges: the k-th edge value, so every edge is used). */
function genValue(t, k, rng) {
  const edges = EDGES[t];
  if (k < edges.length) return edges[k];
  const p = rng.u32() % 100;
  if (p < 30) return edges[rng.below(edges.length)];
  const is32 = t === 'i32' || t === 'f32';
  if (p < 45) return is32 ? rng.u32() : rng.u64();                    // any bits
  if (t === 'i32') return p < 75 ? (rng.below(200) - 50) >>> 0 : rng.u32() >>> rng.below(32);
  if (t === 'i64') {
    return p < 75 ? BigInt.asUintN(64, BigInt(rng.below(200) - 50)) : rng.u64() >> BigInt(rng.below(64));
  }
  // Floats: a random magnitude around the integer ranges (2^-3 .. 2^66) or a small value with a fraction.
  if (p < 85) {
    const neg = rng.chance(0.5);
    const e = rng.below(70) - 3;
    if (t === 'f32') return ((neg ? 0x80000000 : 0) | ((127 + e) << 23) | (rng.u32() & 0x7fffff)) >>> 0;
    return (neg ? 1n << 63n : 0n) | (BigInt(1023 + e) << 52n) | (rng.u64() & ((1n << 52n) - 1n));
  }
  const x = (rng.below(1201) - 600) / 8 + (rng.below(1000) - 500) / 1e4;
  return t === 'f32' ? f32bits(x) : f64bits(x);
}

// ---- imports --------------------------------------------------------------------------------------------

function parseImportSpecs(specs) {
  const map = new Map();
  for (const s of specs) {
    const eq = s.lastIndexOf('=');
    const dot = s.indexOf('.');
    if (eq < 0 || dot < 0 || dot > eq) usage('bad --imports entry "' + s + '" (want module.field=VALUE|trap)');
    const key = s.slice(0, eq);
    const v = s.slice(eq + 1).trim();
    if (v !== 'trap' && (v === '' || Number.isNaN(Number(v)))) usage('bad value in --imports "' + s + '"');
    map.set(key, v);
  }
  return map;
}

/** The bits a stub returns for a result of type t, from a spec value. */
function specBits(t, v) {
  if (v === undefined) return t === 'i64' || t === 'f64' ? 0n : 0;
  switch (t) {
    case 'i32': return Number(BigInt.asUintN(32, BigInt(Math.trunc(Number(v)))));
    case 'i64': return BigInt.asUintN(64, BigInt(/^[-+]?\d+$/.test(v) ? v : Math.trunc(Number(v))));
    case 'f32': return f32bits(Number(v));
    default: return f64bits(Number(v));
  }
}

function jsValue(t, bits) {
  switch (t) {
    case 'i32': return bits | 0;
    case 'i64': return BigInt.asIntN(64, bits);
    case 'f32': return f32val(bits);
    default: return f64val(bits);
  }
}

class StubTrap extends Error {}

/** A fresh import object (one per instance: memories and tables are not shared). obj.memories: the
 *  memories created for imports, by "module.field", to compare like exported ones. */
function makeImports(iface, specs) {
  const obj = {};
  Object.defineProperty(obj, 'memories', { value: new Map(), enumerable: false });
  for (const imp of iface.imports) {
    const ns = (obj[imp.module] = obj[imp.module] || {});
    const key = imp.module + '.' + imp.field;
    if (imp.kind === 'func') {
      const spec = specs.get(key);
      const results = imp.type.results.map((t) => jsValue(t, specBits(t, spec)));
      ns[imp.field] = () => {
        if (spec === 'trap') throw new StubTrap('stub import ' + key + ' traps (--imports)');
        return results.length === 1 ? results[0] : results.length ? results.slice() : undefined;
      };
    } else if (imp.kind === 'memory') {
      ns[imp.field] = new WebAssembly.Memory(imp.limits);
      obj.memories.set(key, ns[imp.field]);
    } else if (imp.kind === 'table') {
      ns[imp.field] = new WebAssembly.Table({ element: imp.elem === 'externref' ? 'externref' : 'anyfunc',
        initial: imp.limits.initial, maximum: imp.limits.maximum });
    } else if (imp.kind === 'global') {
      const v = NUMERIC.has(imp.valtype) ? jsValue(imp.valtype, specBits(imp.valtype, specs.get(key))) : null;
      ns[imp.field] = new WebAssembly.Global({ value: imp.valtype, mutable: imp.mutable }, v);
    }
  }
  return obj;
}

// ---- node: both modules side by side --------------------------------------------------------------------

function instantiate(file, bytes, iface, specs) {
  let module;
  try {
    module = new WebAssembly.Module(bytes);
  } catch (e) {
    fail2(file + ': node cannot compile it: ' + e.message);
  }
  const imports = makeImports(iface, specs);
  try {
    const instance = new WebAssembly.Instance(module, imports);
    return { exports: instance.exports, importedMemories: imports.memories };
  } catch (e) {
    fail2(file + ': node cannot instantiate it with stub imports: ' + e.message);
  }
}

function fail2(message) {
  process.stderr.write('parity.js: ' + message + '\n');
  process.exit(2);
}

function wrap(instance, name, type) {
  const w = new WebAssembly.Instance(new WebAssembly.Module(wrapperBytes(type)),
    { m: { f: instance.exports[name] } });
  return w.exports.w;
}

/** Calls fn(args) and returns { trap: message } or { values: [bits...] }. */
function invoke(fn, type, args) {
  try {
    const r = fn(...args.map((b, i) => toArg(type.params[i], b)));
    const list = type.results.length === 0 ? [] : type.results.length === 1 ? [r] : [...r];
    return { values: list.map((v, i) => fromResult(type.results[i], v)) };
  } catch (e) {
    // Any exception out of Wasm is a trap here: RuntimeError, stack exhaustion (RangeError), a stub's trap.
    if (e instanceof WebAssembly.RuntimeError || e instanceof RangeError || e instanceof StubTrap)
      return { trap: (e && e.message) || String(e) };
    throw e;
  }
}

function showOutcome(type, o) {
  if (o.trap !== undefined) return 'trap "' + o.trap + '"';
  return o.values.length ? o.values.map((b, i) => show(type.results[i], b)).join(', ') : '(no result)';
}

function sameGlobal(a, b) {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b)) ||
    (typeof a === 'number' && Object.is(a, b));
}

// ---- wabt: the lowered module in spectest-interp --------------------------------------------------------

function watString(bytes) {
  let s = '';
  for (const b of bytes) {
    s += b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b)
      : '\\' + b.toString(16).padStart(2, '0');
  }
  return '"' + s + '"';
}

/** A text module per import module name, exporting stubs for exactly the imports the module has. */
function stubModules(iface, specs) {
  const byModule = new Map();
  for (const imp of iface.imports) {
    if (!byModule.has(imp.module)) byModule.set(imp.module, []);
    byModule.get(imp.module).push(imp);
  }
  const out = [];
  let n = 0;
  for (const [mod, imps] of byModule) {
    const id = '$stub' + n++;
    const fields = imps.map((imp) => {
      const name = watString(Buffer.from(imp.field, 'utf8'));
      const key = imp.module + '.' + imp.field;
      if (imp.kind === 'func') {
        const spec = specs.get(key);
        const body = spec === 'trap' ? 'unreachable'
          : imp.type.results.map((t) => watConst(t, specBits(t, spec), false)).join(' ');
        return '  (func (export ' + name + ')' +
          (imp.type.params.length ? ' (param ' + imp.type.params.join(' ') + ')' : '') +
          (imp.type.results.length ? ' (result ' + imp.type.results.join(' ') + ')' : '') + ' ' + body + ')';
      }
      const lim = (l) => l.initial + (l.maximum !== undefined ? ' ' + l.maximum : '') + (l.shared ? ' shared' : '');
      if (imp.kind === 'memory') return '  (memory (export ' + name + ') ' + lim(imp.limits) + ')';
      if (imp.kind === 'table') return '  (table (export ' + name + ') ' + lim(imp.limits) + ' ' + imp.elem + ')';
      const t = imp.mutable ? '(mut ' + imp.valtype + ')' : imp.valtype;
      const init = NUMERIC.has(imp.valtype) ? watConst(imp.valtype, specBits(imp.valtype, specs.get(key)), false)
        : '(ref.null ' + (imp.valtype === 'funcref' ? 'func' : 'extern') + ')';
      return '  (global (export ' + name + ') ' + t + ' ' + init + ')';
    });
    out.push('(module ' + id + '\n' + fields.join('\n') + ')\n(register ' +
      watString(Buffer.from(mod, 'utf8')) + ' ' + id + ')\n');
  }
  return out.join('');
}

function findTool(envName, name) {
  if (process.env[envName]) return process.env[envName];
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch (e) { /* next */ }
  }
  return null;
}

function runWabt(o, loweredBytes, loweredIface, specs, calls, exportsByName) {
  const wast2json = findTool('WAST2JSON', 'wast2json');
  const spectest = findTool('SPECTEST_INTERP', 'spectest-interp');
  if (!wast2json || !spectest) fail2('wast2json/spectest-interp not found (install wabt, or pass --no-wabt)');
  const dir = o.keep ? path.resolve(o.keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'parity-'));
  fs.mkdirSync(dir, { recursive: true });
  try {
    const lines = [';; generated by parity.js: ' + o.lowered + ', expected values from ' + o.original, ''];
    lines.push(stubModules(loweredIface, specs));
    lines.push('(module $lowered binary ' + watString(loweredBytes) + ')');
    let line = lines.join('\n').split('\n').length + 1;  // the wast line of the next call
    const callAtLine = new Map();
    for (const c of calls) {
      callAtLine.set(line++, c);
      const e = exportsByName.get(c.name);
      const invokeText = '(invoke $lowered ' + watString(Buffer.from(c.name, 'utf8')) + ' ' +
        c.args.map((b, i) => watConst(e.type.params[i], b, false)).join(' ') + ')';
      if (c.expected.trap !== undefined) lines.push('(assert_trap ' + invokeText + ' "trap")');
      else {
        lines.push('(assert_return ' + invokeText + ' ' +
          c.expected.values.map((b, i) => watConst(e.type.results[i], b, true)).join(' ') + ')');
      }
    }
    const wast = path.join(dir, 'parity.wast');
    fs.writeFileSync(wast, lines.join('\n') + '\n');
    const json = path.join(dir, 'parity.json');
    const conv = childProcess.spawnSync(wast2json, [...o.wabtDisable, wast, '-o', json], { encoding: 'utf8' });
    if (conv.status !== 0) {
      return { ok: false, passed: 0, total: calls.length,
        errors: ['wast2json failed (' + (conv.error || 'exit ' + conv.status) + '):', conv.stderr.trim()] };
    }
    const run = childProcess.spawnSync(spectest, [...o.wabtDisable, json],
      { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const out = (run.stdout || '') + (run.stderr || '');
    const m = /(\d+)\/(\d+) tests passed/.exec(out);
    const passed = m ? Number(m[1]) : 0;
    const total = m ? Number(m[2]) : calls.length;
    // Each failure names its wast line: add the call, as node shows it.
    const errors = out.split('\n').filter((l) => l && !/tests passed/.test(l) && !/assert_trap passed/.test(l))
      .map((l) => {
        const at = /parity\.wast:(\d+):/.exec(l);
        const c = at && callAtLine.get(Number(at[1]));
        if (!c) return l;
        const e = exportsByName.get(c.name);
        return c.name + '(' + c.args.map((b, i) => show(e.type.params[i], b)).join(', ') + '): ' +
          l.replace(/^.*parity\.wast:\d+: /, '') + ' [wast line ' + at[1] + ']';
      });
    // spectest-interp counts each module command as a test too: modules + assertions.
    const modules = 1 + new Set(loweredIface.imports.map((i) => i.module)).size;
    return { ok: run.status === 0 && !!m && passed === total && total === calls.length + modules, passed, total,
      modules, errors, dir: o.keep ? dir : null };
  } finally {
    if (!o.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- main -----------------------------------------------------------------------------------------------

function main() {
  const o = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const read = (f) => {
    try {
      return fs.readFileSync(f);
    } catch (e) {
      fail2('cannot read ' + f + ': ' + e.message);
    }
  };
  const origBytes = read(o.original), lowBytes = read(o.lowered);
  let origIface, lowIface;
  try {
    origIface = readInterface(origBytes);
    lowIface = readInterface(lowBytes);
  } catch (e) {
    fail2('cannot read the modules\' interfaces: ' + e.message);
  }
  const specs = parseImportSpecs(o.imports);
  for (const key of specs.keys()) {
    if (!origIface.imports.some((i) => i.module + '.' + i.field === key && (i.kind === 'func' || i.kind === 'global')))
      usage('--imports ' + key + ': the original module imports no function or global of that name');
  }
  const orig = instantiate(o.original, origBytes, origIface, specs);
  const low = instantiate(o.lowered, lowBytes, lowIface, specs);

  const mismatches = [];
  const note = (m) => mismatches.push(m);
  const sig = (t) => (t ? '(' + t.params.join(', ') + ') -> (' + t.results.join(', ') + ')' : '?');

  // Exports to call: functions with numeric signatures, the same in both modules.
  const lowExports = new Map(lowIface.exports.map((e) => [e.name, e]));
  const tested = [], skipped = [];
  for (const e of origIface.exports) {
    if (e.kind !== 'func') continue;
    const l = lowExports.get(e.name);
    if (!l || l.kind !== 'func') { note('export "' + e.name + '" is missing from the lowered module'); continue; }
    if (sig(e.type) !== sig(l.type)) {
      note('export "' + e.name + '": signature ' + sig(e.type) + ' became ' + sig(l.type));
      continue;
    }
    if (!e.type || ![...e.type.params, ...e.type.results].every((t) => NUMERIC.has(t))) {
      skipped.push(e.name + ' ' + sig(e.type));
      continue;
    }
    tested.push({ name: e.name, type: e.type, fo: wrap(orig, e.name, e.type), fl: wrap(low, e.name, e.type) });
  }
  for (const e of lowIface.exports) {
    if (!origIface.exports.some((x) => x.name === e.name)) note('the lowered module adds export "' + e.name + '"');
  }

  // State compared after each call: memories and numeric globals exported by both, under the same name.
  const memories = [], globals = [];
  for (const [key, a] of orig.importedMemories) {
    const b = low.importedMemories.get(key);
    if (b) memories.push(['imported memory "' + key + '"', a, b]);
  }
  for (const e of origIface.exports) {
    const a = orig.exports[e.name], b = low.exports[e.name];
    if (e.kind === 'memory' && b instanceof WebAssembly.Memory) memories.push(['memory "' + e.name + '"', a, b]);
    if (e.kind === 'global' && b instanceof WebAssembly.Global) {
      try {
        void a.value; void b.value;
        globals.push([e.name, a, b]);
      } catch (err) { /* v128 or a reference: not comparable from JS */ }
    }
  }

  // The inputs: per export, `count` argument lists from its own seeded stream.
  const inputs = tested.map((e) => {
    const rng = makeRng(o.seed + '/' + e.name);
    const list = [];
    for (let k = 0; k < o.count; k++) list.push(e.type.params.map((t) => genValue(t, k, rng)));
    return list;
  });

  const calls = [];
  let callCount = 0, traps = 0, stateDiverged = false;
  for (let r = 0; r < o.count; r++) {
    tested.forEach((e, i) => {
      const args = inputs[i][r];
      const a = invoke(e.fo, e.type, args);
      const b = invoke(e.fl, e.type, args);
      callCount++;
      if (a.trap !== undefined) traps++;
      calls.push({ name: e.name, args, expected: a });
      const where = () => e.name + '(' + args.map((v, k) => show(e.type.params[k], v)).join(', ') + ')';
      if ((a.trap !== undefined) !== (b.trap !== undefined) ||
          (a.values && !a.values.every((v, k) => sameValue(e.type.results[k], v, b.values[k])))) {
        note(where() + ': original ' + showOutcome(e.type, a) + ', lowered ' + showOutcome(e.type, b));
      }
      for (const [name, ma, mb] of memories) {
        const x = new Uint8Array(ma.buffer), y = new Uint8Array(mb.buffer);
        if (x.length !== y.length || Buffer.compare(x, y) !== 0) {
          let at = 0;
          while (at < Math.min(x.length, y.length) && x[at] === y[at]) at++;
          if (!stateDiverged) {
            note('after ' + where() + ': ' + name + ' differs (' + x.length + ' vs ' + y.length +
              ' bytes, first difference at 0x' + at.toString(16) + ')');
          }
          stateDiverged = true;
        }
      }
      for (const [name, ga, gb] of globals) {
        if (!sameGlobal(ga.value, gb.value) && !stateDiverged) {
          note('after ' + where() + ': global "' + name + '" is ' + ga.value + ' in the original, ' + gb.value +
            ' lowered');
          stateDiverged = true;
        }
      }
    });
  }
  const tNode = Date.now();

  let wabt = null;
  if (o.wabt && calls.length) wabt = runWabt(o, lowBytes, lowIface, specs, calls, new Map(tested.map((e) => [e.name, e])));
  const tEnd = Date.now();

  // Summary.
  const out = [];
  out.push('parity: ' + o.original + ' vs ' + o.lowered + ' (seed ' + o.seed + ', ' + o.count + ' inputs per export)');
  out.push('  exports tested: ' + tested.length + (skipped.length ? ', skipped (non-numeric): ' + skipped.join('; ') : ''));
  out.push('  state compared after each call: ' +
    ([...memories.map((m) => m[0]), ...globals.map((g) => 'global "' + g[0] + '"')].join(', ') || 'none'));
  out.push('  node: ' + callCount + ' calls on each module (' + traps + ' trapped in the original), ' +
    mismatches.length + ' mismatches (' + (tNode - t0) + ' ms)');
  for (const m of mismatches.slice(0, o.examples)) out.push('    ' + m);
  if (mismatches.length > o.examples) out.push('    ... ' + (mismatches.length - o.examples) + ' more');
  if (!o.wabt) out.push('  wabt: skipped (--no-wabt)');
  else if (wabt) {
    out.push('  wabt spectest-interp [' + (o.wabtDisable.join(' ') || 'no flags') + ']: ' + wabt.passed + '/' +
      wabt.total + ' commands passed (' + calls.length + ' assertions, ' + wabt.modules + ' modules; ' + (tEnd - tNode) + ' ms)');
    if (!wabt.ok) {
      for (const l of wabt.errors.slice(0, o.examples)) out.push('    ' + l);
      if (wabt.errors.length > o.examples) out.push('    ... ' + (wabt.errors.length - o.examples) + ' more lines');
    }
    if (wabt.dir) out.push('  wast kept in ' + wabt.dir);
  }
  const ok = mismatches.length === 0 && (!wabt || wabt.ok);
  out.push(ok ? 'PASS' : 'FAIL');
  process.stdout.write(out.join('\n') + '\n');
  process.exit(ok ? 0 : 1);
}

main();
