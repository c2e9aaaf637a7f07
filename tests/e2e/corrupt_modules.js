'use strict';
/*
 * Writes COUNT deterministic corruptions of a Wasm module (for corrupt_modules.sh):
 *   - LEB edits of length fields: every section size, every section's first field (the vector count, or a
 *     custom section's name length) and the first function bodies' sizes, each replaced by value+1,
 *     value-1, the one-byte 0x7f and the five-byte encoding of 0xffffffff;
 *   - truncations at the interesting lengths (0..9, each section boundary and its neighbours) and random ones;
 *   - single-byte changes (XOR with a random non-zero byte) at random offsets, to fill up to COUNT.
 * The random choices come from a fixed seed, so every run writes the same files.
 *
 *   node corrupt_modules.js INPUT.wasm OUTDIR [COUNT=300] [SEED=20261127]
 *
 * Files are named NNN-<kind>-<detail>.wasm; prints one line per kind with its count.
 */
const fs = require('fs');
const path = require('path');

const [input, outdir, countArg, seedArg] = process.argv.slice(2);
if (!input || !outdir) {
  console.error('usage: node corrupt_modules.js INPUT.wasm OUTDIR [COUNT] [SEED]');
  process.exit(2);
}
const COUNT = Number(countArg || 300);
let seed = Number(seedArg || 20261127) >>> 0;

// mulberry32: a small, well-known seeded PRNG.
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const randint = (n) => Math.floor(random() * n);

const orig = fs.readFileSync(input);

function readLeb(buf, pos) {
  let value = 0, shift = 0, len = 0;
  for (;;) {
    if (pos + len >= buf.length) throw new Error('LEB past end at ' + pos);
    const b = buf[pos + len++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) return { value, len };
  }
}

function encodeLeb(value) {
  const out = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value) b |= 0x80;
    out.push(b);
  } while (value);
  return out;
}

// Length fields of the module: { what, pos, len, value }.
const fields = [];
const boundaries = [];
const sectionNames = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'elem',
                      'code', 'data', 'datacount', 'tag'];
let pos = 8;
while (pos < orig.length) {
  const id = orig[pos];
  const name = sectionNames[id] || 'id' + id;
  boundaries.push(pos);
  const size = readLeb(orig, pos + 1);
  fields.push({ what: `${name}-size`, pos: pos + 1, len: size.len, value: size.value });
  const payload = pos + 1 + size.len;
  if (id !== 8 && size.value > 0) {  // every section but start begins with a count (custom: name length)
    const first = readLeb(orig, payload);
    fields.push({ what: id === 0 ? 'custom-namelen' : `${name}-count`, pos: payload, len: first.len, value: first.value });
    if (id === 10) {  // the first function bodies' sizes
      let p = payload + first.len;
      for (let i = 0; i < Math.min(3, first.value); i++) {
        const body = readLeb(orig, p);
        fields.push({ what: `body${i}-size`, pos: p, len: body.len, value: body.value });
        p += body.len + body.value;
      }
    }
  }
  pos = payload + size.value;
}
boundaries.push(orig.length);

const cases = [];  // { kind, detail, bytes }
for (const f of fields) {
  const edits = [
    ['plus1', encodeLeb(f.value + 1)],
    ['minus1', encodeLeb(f.value > 0 ? f.value - 1 : 2)],
    ['7f', [0x7f]],
    ['ffffffff', [0xff, 0xff, 0xff, 0xff, 0x0f]],
  ];
  for (const [name, enc] of edits) {
    const bytes = Buffer.concat([orig.subarray(0, f.pos), Buffer.from(enc), orig.subarray(f.pos + f.len)]);
    cases.push({ kind: 'leb', detail: `${f.what}-${name}`, bytes });
  }
}

const lengths = new Set();
for (let n = 0; n <= 9; n++) lengths.add(n);
for (const b of boundaries) for (const d of [-1, 0, 1, 2]) if (b + d >= 0 && b + d < orig.length) lengths.add(b + d);
while (lengths.size < 60) lengths.add(randint(orig.length));
for (const n of [...lengths].sort((a, b) => a - b)) cases.push({ kind: 'trunc', detail: String(n), bytes: orig.subarray(0, n) });

while (cases.length < COUNT) {
  const off = randint(orig.length);
  const x = 1 + randint(255);
  const bytes = Buffer.from(orig);
  bytes[off] ^= x;
  cases.push({ kind: 'flip', detail: `${off.toString(16)}-x${x.toString(16)}`, bytes });
}
cases.length = Math.min(cases.length, COUNT);

fs.mkdirSync(outdir, { recursive: true });
const perKind = {};
cases.forEach((c, i) => {
  fs.writeFileSync(path.join(outdir, `${String(i).padStart(3, '0')}-${c.kind}-${c.detail}.wasm`), c.bytes);
  perKind[c.kind] = (perKind[c.kind] || 0) + 1;
});
for (const [k, n] of Object.entries(perKind)) console.log(`${k} ${n}`);
