#!/usr/bin/env node
'use strict';
// Structure of `fleetpack inspect --json` against `wasm-objdump -h -x` (wabt 1.0.32) and the raw bytes:
// sections (name, payload offset, size; header offset checked on the bytes), import and export counts
// (also by kind), memories (initial/max pages, shared, 64-bit, imported), tables, function, global,
// data and elem segment counts, code bytes, the DataCount flag and the sizes of the largest functions.
//
//   node inspect_vs_objdump.js FLEETPACK MODULE.wasm...     (exit 0 all agree, 1 a difference, 2 usage)
//
// features_vs_validate.js --structure runs the same comparison with the report it already has.
const fs = require('fs');
const path = require('path');
const lib = require('./lib');

/// Unsigned LEB128 at `pos`: { value, end } or null.
function readLeb(bytes, pos) {
  let value = 0, shift = 0;
  for (let i = pos; i < bytes.length && i < pos + 10; i++) {
    value += (bytes[i] & 0x7f) * 2 ** shift;
    shift += 7;
    if ((bytes[i] & 0x80) === 0) return { value, end: i + 1 };
  }
  return null;
}

const KIND_RE = /^(func|table|memory|global|tag)\[/;

function countByKind(items) {
  const c = {};
  for (const it of items) {
    const m = it.match(KIND_RE);
    if (m) c[m[1]] = (c[m[1]] || 0) + 1;
  }
  return c;
}

function limitsFrom(line, kind) {
  const initial = line.match(/initial=(\d+)/);
  const max = line.match(/max=(\d+)/);
  const r = { initial: initial ? Number(initial[1]) : null, max: max ? Number(max[1]) : null };
  if (kind === 'memory') { r.shared = / shared\b/.test(line); r.memory64 = / i64\b/.test(line); }
  if (kind === 'table') { const t = line.match(/type=(\S+)/); r.elem_type = t ? t[1] : null; }
  r.imported = line.includes(' <- ');
  return r;
}

/// Returns a list of differences (strings); empty when everything agrees.
function compareStructure(report, dump, bytes, label) {
  const problems = [];
  // Objects compare with sorted keys (by_kind's key order is not part of the contract).
  const canon = (v) => JSON.stringify(v, (k, x) => (x && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.keys(x).sort().map((key) => [key, x[key]])) : x));
  const eq = (what, got, want) => {
    if (canon(got) !== canon(want))
      problems.push(`${what}: fleetpack ${JSON.stringify(got)}, wasm-objdump ${JSON.stringify(want)}`);
  };
  const d = (name) => dump.details[name] || { declared: 0, items: [] };

  eq('size', report.size, bytes.length);

  // Sections, in file order.
  const secs = report.sections || [];
  eq('section count', secs.length, dump.sections.length);
  for (let i = 0; i < Math.min(secs.length, dump.sections.length); i++) {
    const s = secs[i], o = dump.sections[i];
    const oname = o.custom ? o.name : o.name.toLowerCase();
    eq(`section ${i} (custom, name)`, [s.custom, s.name], [o.custom, oname]);
    eq(`section ${i} (${oname}) payload offset`, s.offset, o.start);
    eq(`section ${i} (${oname}) size`, s.size, o.size);
    // The header on the bytes: id byte, then the size as LEB128 ending where the payload starts.
    const leb = readLeb(bytes, s.header_offset + 1);
    if (bytes[s.header_offset] !== s.id || !leb || leb.value !== s.size || leb.end !== s.offset)
      problems.push(`section ${i} (${oname}): header_offset ${s.header_offset} does not hold id ${s.id} and size ${s.size} ` +
                    `ending at payload offset ${s.offset}`);
  }

  // Imports and exports.
  eq('imports.count', report.imports.count, d('Import').declared);
  eq('imports.count (listed items)', report.imports.items.length, d('Import').items.length);
  eq('imports.by_kind', report.imports.by_kind, countByKind(d('Import').items));
  eq('exports.count', report.exports.count, d('Export').declared);
  eq('exports.count (listed items)', report.exports.items.length, d('Export').items.length);
  eq('exports.by_kind', report.exports.by_kind, countByKind(d('Export').items));

  // Memories and tables, imports first (the index space order).
  const mems = [...d('Import').items.filter((l) => l.startsWith('memory[')), ...d('Memory').items]
    .map((l) => limitsFrom(l, 'memory'));
  eq('memories', report.memories.map((m) => ({ initial: m.initial_pages, max: m.max_pages, shared: m.shared,
                                               memory64: m.memory64, imported: m.imported })), mems);
  const tables = [...d('Import').items.filter((l) => l.startsWith('table[')), ...d('Table').items]
    .map((l) => limitsFrom(l, 'table'));
  eq('tables', report.tables.map((t) => ({ initial: t.initial, max: t.max, elem_type: t.elem_type, imported: t.imported })),
     tables.map((t) => ({ initial: t.initial, max: t.max, elem_type: t.elem_type, imported: t.imported })));

  // Counts.
  const importedFuncs = d('Import').items.filter((l) => l.startsWith('func[')).length;
  eq('functions.imported', report.functions.imported, importedFuncs);
  eq('functions.defined', report.functions.defined, d('Function').declared);
  const code = dump.sections.find((s) => !s.custom && s.name === 'Code');
  eq('functions.code_bytes', report.functions.code_bytes, code ? code.size : 0);
  eq('functions.has_names', report.functions.has_names, dump.sections.some((s) => s.custom && s.name === 'name'));
  const importedGlobals = d('Import').items.filter((l) => l.startsWith('global[')).length;
  eq('globals.count', report.globals.count, importedGlobals + d('Global').declared);
  eq('globals.imported', report.globals.imported, importedGlobals);
  eq('data_segments.count', report.data_segments.count, d('Data').declared);
  eq('elem_segments', report.elem_segments, d('Elem').declared);
  eq('data_count_section', report.data_count_section, dump.sections.some((s) => !s.custom && s.name === 'DataCount'));

  // Largest functions: body sizes from the Code listing, largest first, ties by index.
  const bodies = d('Code').items.map((l) => l.match(/^func\[(\d+)\] size=(\d+)/)).filter(Boolean)
    .map((m) => ({ index: Number(m[1]), size: Number(m[2]) }))
    .sort((a, b) => b.size - a.size || a.index - b.index);
  eq('top_functions (index, size)', report.top_functions.map((t) => [t.index, t.size]),
     bodies.slice(0, report.top_functions.length).map((b) => [b.index, b.size]));
  if (report.top_functions.length !== Math.min(bodies.length, report.top_functions.length)) {
    problems.push(`top_functions lists ${report.top_functions.length} functions, the module has ${bodies.length}`);
  }
  return problems.map((p) => (label ? `${label}: ${p}` : p));
}

async function main() {
  const args = process.argv.slice(2);
  if (args.length < 2) {
    process.stderr.write('usage: node inspect_vs_objdump.js FLEETPACK MODULE.wasm...\n');
    return 2;
  }
  const [fleetpack, ...modules] = args;
  let bad = 0;
  for (const file of modules) {
    let problems;
    try {
      const [report, od] = await Promise.all([
        lib.inspectJson(fleetpack, file),
        lib.run(lib.WASM_OBJDUMP, ['-h', '-x', file]),
      ]);
      if (od.code !== 0) throw new Error(`wasm-objdump -h -x ${file} failed: ${lib.firstLine(od.stderr)}`);
      problems = compareStructure(report, lib.parseObjdump(od.stdout), fs.readFileSync(file));
    } catch (e) {
      problems = [e.message];
    }
    process.stdout.write(`${problems.length ? 'DIFF' : 'ok  '} ${path.basename(file)}\n`);
    for (const p of problems) process.stdout.write(`     ${p}\n`);
    if (problems.length) bad++;
  }
  process.stdout.write(`inspect_vs_objdump: ${modules.length - bad} passed, ${bad} failed\n`);
  return bad ? 1 : 0;
}

module.exports = { compareStructure };

if (require.main === module) {
  main().then((code) => process.exit(code), (e) => {
    process.stderr.write(`inspect_vs_objdump: ${e.stack || e}\n`);
    process.exit(2);
  });
}
