'use strict';
/*
 * Checks `fleetpack inspect --json MODULE` against wabt's own reading of the module (wasm-objdump -h and -x):
 *   - sections: the same list in the same order, each with the same name (id name, or the custom section's
 *     name), payload offset (objdump's "start=") and payload size;
 *   - imports and exports: the same count, and per entry the same kind, module.field / name (and index);
 *   - memories and tables (imported ones first, then defined): initial, max, shared, 64-bit, imported;
 *   - globals (count, imported, mutable), functions (imported, defined), data and element segment counts,
 *     the file size.
 *
 *   node compare_objdump.js FLEETPACK MODULE      (wasm-objdump from $WASM_OBJDUMP, else PATH)
 *
 * Prints one summary line and exits 0 when everything agrees; otherwise lists every mismatch and exits 1.
 */
const { execFileSync } = require('child_process');
const fs = require('fs');

const [fleetpack, file] = process.argv.slice(2);
if (!fleetpack || !file) {
  console.error('usage: node compare_objdump.js FLEETPACK MODULE');
  process.exit(2);
}
const objdump = process.env.WASM_OBJDUMP || 'wasm-objdump';

function run(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  } catch (e) {
    console.error(`${file}: \`${cmd} ${args.join(' ')}\` failed (exit ${e.status}):\n${e.stderr || e.message}`);
    process.exit(1);
  }
}

const report = JSON.parse(run(fleetpack, ['inspect', '--json', file]));
const headers = run(objdump, ['-h', file]);
const details = run(objdump, ['-x', file]);

const problems = [];
function same(what, ours, theirs) {
  const a = JSON.stringify(ours), b = JSON.stringify(theirs);
  if (a !== b) problems.push(`${what}: fleetpack says ${a}, wasm-objdump says ${b}`);
}

// ---- wasm-objdump -h: "     Type start=0x0000000a end=0x00000055 (size=0x0000004b) count: 13"
//                       "   Custom start=0x000016f2 end=0x00001910 (size=0x0000021e) \"name\""
const sections = [];
for (const line of headers.split('\n')) {
  const m = /^\s*(\w+) start=0x([0-9a-f]+) end=0x([0-9a-f]+) \(size=0x([0-9a-f]+)\)(.*)$/.exec(line);
  if (!m) continue;
  const [, kind, start, end, size, rest] = m;
  const custom = kind === 'Custom';
  let name = kind.toLowerCase();
  if (custom) {
    const n = /"(.*)"\s*$/.exec(rest);
    name = n ? n[1] : '?';
  }
  if (parseInt(end, 16) - parseInt(start, 16) !== parseInt(size, 16)) problems.push(`objdump -h inconsistent: ${line}`);
  sections.push({ name, custom, offset: parseInt(start, 16), size: parseInt(size, 16) });
}

// ---- wasm-objdump -x: "Import[2]:" headers, then " - ..." items ("  - ..." lines are sub-details).
const counts = {};  // section -> declared count
const items = {};   // section -> [item text]
let current = null;
for (const line of details.split('\n')) {
  let m;
  if ((m = /^(\w+)\[(\d+)\]:$/.exec(line))) {
    current = m[1];
    counts[current] = parseInt(m[2], 10);
    items[current] = [];
  } else if (/^\w+:$/.test(line)) {
    current = line.slice(0, -1);  // "Custom:" and the like
    items[current] = items[current] || [];
  } else if ((m = /^ - (.*)$/.exec(line)) && current) {
    items[current].push(m[1]);
  }
}
const list = (s) => items[s] || [];

function limits(text) {
  const initial = /initial=(\d+)/.exec(text);
  const max = /max=(\d+)/.exec(text);
  return {
    initial: initial ? Number(initial[1]) : null,
    max: max ? Number(max[1]) : null,
    shared: /\bshared\b/.test(text),
    is64: /\bi64\b/.test(text),
  };
}

const imports = list('Import').map((t) => {
  const m = /^(func|table|memory|global|tag)\[(\d+)\] (.*?) ?<- (.+)$/.exec(t);
  if (!m) { problems.push(`cannot parse objdump import: ${t}`); return {}; }
  return { kind: m[1], name: m[4], detail: m[3] };
});
const exportsList = list('Export').map((t) => {
  const m = /^(func|table|memory|global|tag)\[(\d+)\] .*?-> "(.*)"$/.exec(t);
  if (!m) { problems.push(`cannot parse objdump export: ${t}`); return {}; }
  return { kind: m[1], index: Number(m[2]), name: m[3] };
});

const memories = [
  ...imports.filter((i) => i.kind === 'memory').map((i) => ({ ...limits(i.detail), imported: true })),
  ...list('Memory').map((t) => ({ ...limits(t), imported: false })),
];
const tables = [
  ...imports.filter((i) => i.kind === 'table').map((i) => ({ ...limits(i.detail), type: (/type=(\w+)/.exec(i.detail) || [])[1], imported: true })),
  ...list('Table').map((t) => ({ ...limits(t), type: (/type=(\w+)/.exec(t) || [])[1], imported: false })),
];
const globals = [
  ...imports.filter((i) => i.kind === 'global').map((i) => ({ mutable: /mutable=1/.test(i.detail), imported: true })),
  ...list('Global').map((t) => ({ mutable: /mutable=1/.test(t), imported: false })),
];

// ---- compare
same('schema', report.schema, 'fleetpack.inspect/1');
same('size', report.size, fs.statSync(file).size);

same('number of sections', report.sections.length, sections.length);
report.sections.forEach((s, i) => {
  const o = sections[i];
  if (!o) return;
  const where = `section ${i}`;
  same(`${where} name`, s.name, o.name);
  same(`${where} (${s.name}) is custom`, Boolean(s.custom), o.custom);
  same(`${where} (${s.name}) payload offset`, s.offset, o.offset);
  same(`${where} (${s.name}) size`, s.size, o.size);
  if (!(s.header_offset < s.offset)) problems.push(`${where} (${s.name}): header_offset ${s.header_offset} is not before offset ${s.offset}`);
});

same('import count', report.imports.count, counts.Import || 0);
same('import items', report.imports.items.length, imports.length);
report.imports.items.forEach((imp, i) => {
  if (!imports[i]) return;
  same(`import ${i} kind`, imp.kind, imports[i].kind);
  same(`import ${i} name`, `${imp.module}.${imp.field}`, imports[i].name);
});

same('export count', report.exports.count, counts.Export || 0);
same('export items', report.exports.items.length, exportsList.length);
report.exports.items.forEach((e, i) => {
  if (!exportsList[i]) return;
  same(`export ${i} name`, e.name, exportsList[i].name);
  same(`export ${i} (${e.name}) kind`, e.kind, exportsList[i].kind);
  same(`export ${i} (${e.name}) index`, e.index, exportsList[i].index);
});

same('number of memories', report.memories.length, memories.length);
report.memories.forEach((m, i) => {
  const o = memories[i];
  if (!o) return;
  same(`memory ${i} initial pages`, m.initial_pages, o.initial);
  same(`memory ${i} max pages`, m.max_pages, o.max);
  same(`memory ${i} shared`, m.shared, o.shared);
  same(`memory ${i} memory64`, m.memory64, o.is64);
  same(`memory ${i} imported`, m.imported, o.imported);
});

same('number of tables', report.tables.length, tables.length);
report.tables.forEach((t, i) => {
  const o = tables[i];
  if (!o) return;
  same(`table ${i} elem_type`, t.elem_type, o.type);
  same(`table ${i} initial`, t.initial, o.initial);
  same(`table ${i} max`, t.max, o.max);
  same(`table ${i} imported`, t.imported, o.imported);
});

same('globals count', report.globals.count, globals.length);
same('globals imported', report.globals.imported, globals.filter((g) => g.imported).length);
same('globals mutable', report.globals.mutable, globals.filter((g) => g.mutable).length);

same('functions imported', report.functions.imported, imports.filter((i) => i.kind === 'func').length);
same('functions defined', report.functions.defined, counts.Function || 0);
same('data segments', report.data_segments.count, counts.Data || 0);
same('element segments', report.elem_segments, counts.Elem || 0);

if (problems.length) {
  console.error(`${file}: fleetpack inspect --json and wasm-objdump disagree:\n  ` + problems.join('\n  '));
  process.exit(1);
}
console.log(`${file}: agrees with wasm-objdump: ${sections.length} sections, ${imports.length} imports, ` +
            `${exportsList.length} exports, ${memories.length} memories, ${tables.length} tables, ` +
            `${globals.length} globals, ${report.functions.defined} functions`);
