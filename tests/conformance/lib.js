'use strict';
// Helpers shared by the conformance scripts: running tools, and reading `wasm-objdump` output.
const { spawn } = require('child_process');

const WASM_VALIDATE = process.env.WASM_VALIDATE || 'wasm-validate';
const WASM_OBJDUMP = process.env.WASM_OBJDUMP || 'wasm-objdump';

/// Runs a command; resolves to { code, stdout, stderr } (code -1 when it could not start).
function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    } catch (e) {
      resolve({ code: -1, stdout: '', stderr: String(e) });
      return;
    }
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', (e) => resolve({ code: -1, stdout: '', stderr: String(e) }));
    child.on('close', (code, signal) =>
      resolve({
        code: code === null ? 255 : code,  // killed by a signal
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }));
  });
}

/// Runs async thunks with at most `limit` at once; resolves to their results in order.
async function pool(thunks, limit) {
  const results = new Array(thunks.length);
  let next = 0;
  async function worker() {
    while (next < thunks.length) {
      const i = next++;
      results[i] = await thunks[i]();
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, thunks.length)) }, worker));
  return results;
}

/// First non-empty line of a tool's error output, without the file-name prefix, for evidence.
function firstLine(text, file) {
  const line = (text.split('\n').find((l) => l.trim() !== '') || '').trim();
  return file && line.startsWith(file + ':') ? line.slice(file.length + 1) : line;
}

/// `fleetpack inspect --json FILE`: resolves to the parsed report, or throws with the tool's stderr.
async function inspectJson(fleetpack, file) {
  const r = await run(fleetpack, ['inspect', '--json', file]);
  if (r.code !== 0) throw new Error(`fleetpack inspect --json ${file} exited ${r.code}: ${firstLine(r.stderr)}`);
  try {
    return JSON.parse(r.stdout);
  } catch (e) {
    throw new Error(`fleetpack inspect --json ${file} printed invalid JSON: ${e.message}`);
  }
}

/// Parses `wasm-objdump -h` and `-x` output (run together or apart) into sections and details.
///   sections: [{ name, start, end, size, count, custom }]   (name: "Type", ..., or the custom name)
///   details:  { Import: [lines], Export: [...], ... }        (" - ..." lines of each detail block)
function parseObjdump(text) {
  const sections = [];
  const details = {};
  let block = null;
  for (const line of text.split('\n')) {
    const s = line.match(/^\s*(\w+) start=0x([0-9a-f]+) end=0x([0-9a-f]+) \(size=0x([0-9a-f]+)\)(.*)$/);
    if (s) {
      const rest = s[5];
      const custom = s[1] === 'Custom';
      const cm = custom && rest.match(/"(.*)"\s*$/);
      const count = rest.match(/count: (\d+)/);
      sections.push({
        name: custom ? (cm ? cm[1] : '') : s[1],
        start: parseInt(s[2], 16),
        end: parseInt(s[3], 16),
        size: parseInt(s[4], 16),
        count: count ? Number(count[1]) : null,
        custom,
      });
      block = null;
      continue;
    }
    const b = line.match(/^(\w+)\[(\d+)\]:$/);
    if (b) {
      block = b[1];
      details[block] = details[block] || { declared: Number(b[2]), items: [] };
      continue;
    }
    if (/^\w/.test(line)) {
      block = null;  // "Section Details:", "Code Disassembly:", "Custom:" ...
      continue;
    }
    if (block && line.startsWith(' - ')) details[block].items.push(line.slice(3));
  }
  return { sections, details };
}

/// Mutability of every global (imports first, as in the index space), mutable imports and exports of
/// mutable globals, from `wasm-objdump -x`.
function objdumpMutableGlobals(details) {
  const mutable = new Map();
  const imports = [];
  for (const it of (details.Import || { items: [] }).items) {
    const m = it.match(/^global\[(\d+)\] \S+ mutable=([01]) <- (.*)$/);
    if (!m) continue;
    mutable.set(Number(m[1]), m[2] === '1');
    if (m[2] === '1') imports.push(m[3]);
  }
  for (const it of (details.Global || { items: [] }).items) {
    const m = it.match(/^global\[(\d+)\] \S+ mutable=([01])/);
    if (m) mutable.set(Number(m[1]), m[2] === '1');
  }
  const exports = [];
  for (const it of (details.Export || { items: [] }).items) {
    const m = it.match(/^global\[(\d+)\] .*-> "(.*)"$/);
    if (m && mutable.get(Number(m[1]))) exports.push(m[2]);
  }
  return { imports, exports };
}

module.exports = { WASM_VALIDATE, WASM_OBJDUMP, run, pool, firstLine, inspectJson, parseObjdump, objdumpMutableGlobals };
