'use strict';
// A `WebAssembly` global for hosts that have none (node --jitless), built on fleetpack's JS fallback:
// each known module's bytes are mapped to the engine.js of a bundle built from them, and instantiating
// the module runs that bundle's fallback through its own loader (fleetpack.loadEngineSync). Packages'
// unmodified JS glue (Emscripten, wasm-bindgen, TinyGo's wasm_exec.js) then runs on the fallback.
//
//   const shim = require('./webassembly_shim.js');
//   shim.install([{ wasm: 'original.wasm', script: 'bundle/engine.js' }]);   // before loading the glue
//
// What it implements: Module (from bytes: sha256 of the bytes must be one of the installed modules, else
// CompileError; the shipped engine was built from them), Instance, instantiate (bytes -> {module,
// instance}; Module -> Instance), instantiateStreaming/compileStreaming (a Response or a Promise of one),
// compile, validate (true only for an installed module), Module.imports/exports/customSections (read from
// the original bytes), and the error classes CompileError, LinkError, RuntimeError. The fallback throws
// plain Errors whose name says the kind, so `instanceof WebAssembly.RuntimeError` (and LinkError) also
// holds for those. Memory, Table and Global constructors are not provided: none of the glues tested
// creates them from JS (they use the module's exported memory and table).
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

function errorClass(name) {
  const C = class extends Error {
    constructor(message) {
      super(message);
      this.name = name;
    }
    static [Symbol.hasInstance](v) {
      return v instanceof Error && v.name === name;
    }
  };
  Object.defineProperty(C, 'name', { value: name });
  return C;
}
const CompileError = errorClass('CompileError');
const LinkError = errorClass('LinkError');
const RuntimeError = errorClass('RuntimeError');

function toBytes(source) {
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  throw new TypeError('WebAssembly: argument must be a buffer source');
}
const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

// The sections of a module the static Module methods need (imports, exports, custom sections).
function readSections(bytes) {
  let p = 8;
  const u32 = () => {
    let r = 0, shift = 0, b;
    do { b = bytes[p++]; r |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
    return r >>> 0;
  };
  const name = () => { const n = u32(); const s = Buffer.from(bytes.subarray(p, p + n)).toString('utf8'); p += n; return s; };
  const kinds = ['function', 'table', 'memory', 'global', 'tag'];
  const out = { imports: [], exports: [], custom: [] };
  while (p < bytes.length) {
    const id = bytes[p++], size = u32(), end = p + size;
    if (id === 0) {
      const n = name();
      out.custom.push({ name: n, data: bytes.slice(p, end) });
    } else if (id === 2) {
      for (let i = u32(); i > 0; i--) {
        const module = name(), field = name(), kind = bytes[p++];
        if (kind === 0) u32();
        else if (kind === 1) { p++; const f = u32(); u32(); if (f & 1) u32(); }
        else if (kind === 2) { const f = u32(); u32(); if (f & 1) u32(); }
        else if (kind === 3) p += 2;
        else u32(), u32();
        out.imports.push({ module, name: field, kind: kinds[kind] });
      }
    } else if (id === 7) {
      for (let i = u32(); i > 0; i--) {
        const field = name(), kind = bytes[p++];
        u32();
        out.exports.push({ name: field, kind: kinds[kind] });
      }
    }
    p = end;
  }
  return out;
}

const engines = new Map(); // sha256 of the original module -> { loader, script }

function loadScript(script) {
  const code = fs.readFileSync(script, 'utf8');
  const saved = globalThis.fleetpack;
  // node has no way for the loader to download engine.fallback.js: evaluate it first, as a page with a
  // second script tag would (it only registers its factory).
  const fallback = path.join(path.dirname(script), 'engine.fallback.js');
  if (fs.existsSync(fallback)) vm.runInThisContext(fs.readFileSync(fallback, 'utf8'), { filename: fallback });
  try {
    vm.runInThisContext(code, { filename: script });
    const loader = globalThis.fleetpack;
    if (!loader || typeof loader.loadEngineSync !== 'function')
      throw new Error(script + ' defines no fleetpack.loadEngineSync');
    return loader;
  } finally {
    if (saved === undefined) delete globalThis.fleetpack; else globalThis.fleetpack = saved;
  }
}

const moduleState = new WeakMap();

class Module {
  constructor(source) {
    const bytes = toBytes(source);
    const hash = sha256(bytes);
    const engine = engines.get(hash);
    if (!engine) throw new CompileError(`no fleetpack fallback is installed for this module (sha256 ${hash})`);
    moduleState.set(this, { engine, sections: readSections(bytes) });
  }
  static imports(m) { return state(m).sections.imports.map((x) => ({ ...x })); }
  static exports(m) { return state(m).sections.exports.map((x) => ({ ...x })); }
  static customSections(m, name) {
    return state(m).sections.custom.filter((c) => c.name === String(name)).map((c) => c.data.buffer.slice(c.data.byteOffset, c.data.byteOffset + c.data.byteLength));
  }
}
function state(m) {
  const s = moduleState.get(m);
  if (!s) throw new TypeError('WebAssembly: argument is not a WebAssembly.Module');
  return s;
}

class Instance {
  constructor(module, imports) {
    const s = state(module);
    if (imports !== undefined && (imports === null || typeof imports !== 'object'))
      throw new TypeError('WebAssembly.Instance: imports must be an object');
    const r = s.engine.loader.loadEngineSync(imports || {}, { forceKind: 'js' });
    if (r.kind !== 'js') throw new Error('fleetpack loader did not run the JS fallback: ' + r.reason);
    Object.defineProperty(this, 'exports', { value: Object.freeze(r.exports), enumerable: true });
  }
}

function compile(source) {
  return new Promise((resolve) => resolve(new Module(source)));
}
function instantiate(source, imports) {
  return new Promise((resolve) => {
    if (source instanceof Module) resolve(new Instance(source, imports));
    else {
      const module = new Module(source);
      resolve({ module, instance: new Instance(module, imports) });
    }
  });
}
async function responseBytes(source) {
  const response = await source;
  if (!response || typeof response.arrayBuffer !== 'function')
    throw new TypeError('WebAssembly: argument must be a Response or a Promise of one');
  return response.arrayBuffer();
}
const WebAssemblyShim = {
  Module, Instance, CompileError, LinkError, RuntimeError, compile, instantiate,
  validate(source) { return engines.has(sha256(toBytes(source))); },
  compileStreaming: async (source) => compile(await responseBytes(source)),
  instantiateStreaming: async (source, imports) => instantiate(await responseBytes(source), imports),
};
Object.defineProperty(WebAssemblyShim, Symbol.toStringTag, { value: 'WebAssembly' });

// Installs the global. `list`: [{ wasm: path of the original module, script: its bundle's engine.js }].
function install(list) {
  for (const { wasm, script } of list) engines.set(sha256(fs.readFileSync(wasm)), { loader: loadScript(script), script });
  if (typeof globalThis.WebAssembly === 'object' && globalThis.WebAssembly !== WebAssemblyShim)
    throw new Error('this host has WebAssembly already: run the shim under node --jitless');
  globalThis.WebAssembly = WebAssemblyShim;
  return WebAssemblyShim;
}

module.exports = { install, WebAssembly: WebAssemblyShim };
