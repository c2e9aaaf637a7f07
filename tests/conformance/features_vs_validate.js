#!/usr/bin/env node
'use strict';
// Conformance of `fleetpack inspect --json` feature detection against wabt's own validator.
//
//   node features_vs_validate.js [--structure] [--verbose] [--jobs N] FLEETPACK MODULE.wasm...
//
// "all but X+Y" in the evidence column is wasm-validate with every wabt feature but X and Y enabled,
// spelled flag by flag (--verbose prints each command and its exit status on stderr).
//
// Ground truth (README.md here): wabt 1.0.32's `wasm-validate`. The universe is every wabt feature but
// function-references and gc (broken in 1.0.32, never enabled by fleetpack; `--enable-all` is run too
// and a failure there only noted). Every module must validate in the universe. Feature F is "used" when
// the module fails validation with every feature of the universe but F, "unused" when it passes:
// fleetpack must report exactly the used ones. mutable-globals is compared with `wasm-objdump -x`
// instead (mutable=1 globals imported or exported), since wabt checks only the import half of it.
//
// wabt ties features together (Features::UpdateDependencies, 1.0.32): exceptions and
// function-references force reference-types on, and no bulk-memory forces reference-types off. So
// `--enable-all --disable-reference-types` still validates with reference types, and
// `--enable-all --disable-bulk-memory` validates without reference types as well. The flag sets below
// are spelled out feature by feature (default-off features have no --disable-X flag at all), and
// reference-types and bulk-memory are decided from several sets; where wabt cannot separate a feature
// from one it is tied to, the answer is "undetermined" ("?" in the table): printed, never a mismatch.
// wabt 1.0.32 also accepts some reference-types constructs with reference-types off (typed select,
// ref.func, table.fill, declarative element segments): fleetpack reporting reference-types where wabt
// does not is accepted ("ok (wabt gap)") only when `wasm-objdump` shows one of them.
//
// --structure also compares sections, imports, exports, memories and more with `wasm-objdump -h -x`
// (inspect_vs_objdump.js). Exit status: 0 all agree, 1 a mismatch (or an invalid module, or fleetpack
// failing), 2 usage or setup error.
const fs = require('fs');
const os = require('os');
const path = require('path');
const lib = require('./lib');
const { compareStructure } = require('./inspect_vs_objdump');

// wabt 1.0.32's feature.def: [flag, enabled by default].
const WABT_FEATURES = [
  ['exceptions', false], ['mutable-globals', true], ['saturating-float-to-int', true],
  ['sign-extension', true], ['simd', true], ['threads', false], ['function-references', false],
  ['multi-value', true], ['tail-call', false], ['bulk-memory', true], ['reference-types', true],
  ['annotations', false], ['code-metadata', false], ['gc', false], ['memory64', false],
  ['multi-memory', false], ['extended-const', false], ['relaxed-simd', false],
];
const ALL = WABT_FEATURES.map(([f]) => f);
// wabt 1.0.32's function-references and gc are incomplete: with function-references on, `ref.func` has
// type (ref $t), which e.g. table.fill then rejects, so valid modules fail `--enable-all`. fleetpack
// never enables these two either (base/wabt_glue.cpp). The universe here is every other feature.
const NEVER = ['function-references', 'gc'];
const UNIVERSE = ALL.filter((f) => !NEVER.includes(f));

// The features checked against wasm-validate, wabt flag -> fleetpack's name: the 11 of the brief, then
// multi-memory and relaxed-simd. fleetpack reporting anything else (typed-function-references, gc) is a
// mismatch: it never enables them, so a module needing them is invalid input to it.
const CHECKED = [
  ['sign-extension', 'sign-ext'], ['saturating-float-to-int', 'nontrapping-float-to-int'],
  ['bulk-memory', 'bulk-memory'], ['multi-value', 'multivalue'], ['reference-types', 'reference-types'],
  ['simd', 'simd'], ['threads', 'threads'], ['tail-call', 'tail-call'], ['exceptions', 'exception-handling'],
  ['memory64', 'memory64'], ['extended-const', 'extended-const'],
  ['multi-memory', 'multi-memory'], ['relaxed-simd', 'relaxed-simd'],
];
const MUTABLE_GLOBALS = 'mutable-globals';

/// What wabt 1.0.32 ends up with after these flags: each flag sets one feature, then
/// Features::UpdateDependencies runs (exceptions or function-references -> reference-types on;
/// no bulk-memory -> reference-types off).
function wabtEffective(flags) {
  const on = new Set(WABT_FEATURES.filter(([, d]) => d).map(([f]) => f));
  const update = () => {
    if (on.has('exceptions') || on.has('function-references')) on.add('reference-types');
    if (!on.has('bulk-memory')) on.delete('reference-types');
  };
  for (const fl of flags) {
    if (fl === '--enable-all') ALL.forEach((f) => on.add(f));
    else if (fl.startsWith('--enable-')) on.add(fl.slice(9));
    else if (fl.startsWith('--disable-')) on.delete(fl.slice(10));
    update();
  }
  return on;
}

/// wasm-validate flags for exactly the features of UNIVERSE minus `without`. Throws when wabt cannot
/// represent that set (a bug in this script, not in the module).
function flagsWithout(without) {
  const flags = [];
  without = [...without, ...NEVER];
  for (const [f, dflt] of WABT_FEATURES) {
    const want = !without.includes(f);
    if (dflt && !want) flags.push(`--disable-${f}`);
    if (!dflt && want) flags.push(`--enable-${f}`);
  }
  const eff = wabtEffective(flags);
  const expected = ALL.filter((f) => !without.includes(f));
  if (eff.size !== expected.length || !expected.every((f) => eff.has(f)))
    throw new Error(`wabt cannot validate with all features but ${without.join(', ')}`);
  return flags;
}

function parseArgs(argv) {
  const o = { structure: false, verbose: false, jobs: Math.max(1, os.cpus().length), fleetpack: null, modules: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--structure') o.structure = true;
    else if (a === '--verbose') o.verbose = true;
    else if (a === '--jobs') o.jobs = Number(argv[++i]);
    else if (a === '-h' || a === '--help') return null;
    else if (!o.fleetpack) o.fleetpack = a;
    else o.modules.push(a);
  }
  if (!o.fleetpack || o.modules.length === 0 || !(o.jobs >= 1)) return null;
  return o;
}

/// Decides every checked feature for one module. Returns { valid, verdicts: Map(fpName -> {truth,
/// evidence}) } with truth 'used' | 'unused' | 'undetermined'.
async function groundTruth(file, jobs, verbose) {
  const queries = new Map();  // key -> { flags, label }
  const q = (key, flags, label) => queries.set(key, { flags, label });
  const without = (key, feats) => q(key, flagsWithout(feats), `all but ${feats.join('+')}`);
  q('enable-all', ['--enable-all'], '--enable-all');
  without('all', []);
  for (const [f] of CHECKED)
    if (f !== 'bulk-memory' && f !== 'reference-types') without(`-${f}`, [f]);
  // reference-types and bulk-memory: see the header.
  without('-ref-exc', ['reference-types', 'exceptions']);
  without('-exc', ['exceptions']);
  without('-bulk-ref', ['bulk-memory', 'reference-types']);
  without('-mutable-globals', ['mutable-globals']);

  const keys = [...queries.keys()];
  const results = await lib.pool(keys.map((k) => async () => {
    const { flags, label } = queries.get(k);
    const r = await lib.run(lib.WASM_VALIDATE, [...flags, file]);
    if (r.code === -1) throw new Error(`cannot run ${lib.WASM_VALIDATE}: ${r.stderr}`);
    if (verbose) process.stderr.write(`  ${lib.WASM_VALIDATE} ${flags.join(' ')} ${file}: exit ${r.code}\n`);
    return { ok: r.code === 0, label, error: lib.firstLine(r.stderr + r.stdout, file) };
  }), jobs);
  const v = new Map(keys.map((k, i) => [k, results[i]]));
  const failEvidence = (k) => `${v.get(k).label}: fails (${v.get(k).error})`;
  const passEvidence = (k) => `${v.get(k).label}: passes`;

  const verdicts = new Map();
  for (const [f, name] of CHECKED) {
    if (f === 'bulk-memory' || f === 'reference-types') continue;
    const k = `-${f}`;
    verdicts.set(name, v.get(k).ok ? { truth: 'unused', evidence: passEvidence(k) }
                                    : { truth: 'used', evidence: failEvidence(k) });
  }
  // reference-types: unused if the module validates without it (either way wabt allows that);
  // used if it fails without {ref, exc} but passes without exc alone.
  const A = v.get('-ref-exc'), B = v.get('-exc'), C = v.get('-bulk-ref');
  let ref;
  if (A.ok) ref = { truth: 'unused', evidence: passEvidence('-ref-exc') };
  else if (C.ok) ref = { truth: 'unused', evidence: passEvidence('-bulk-ref') };
  else if (B.ok) ref = { truth: 'used', evidence: `${failEvidence('-ref-exc')}; ${passEvidence('-exc')}` };
  else ref = { truth: 'undetermined',
               evidence: 'the module needs exceptions, which force reference-types on in wabt 1.0.32' };
  verdicts.set('reference-types', ref);
  // bulk-memory: wabt turns reference-types off with it, so the module must not need reference-types.
  let bulk;
  if (C.ok) bulk = { truth: 'unused', evidence: passEvidence('-bulk-ref') };
  else if (ref.truth === 'unused') bulk = { truth: 'used', evidence: `${failEvidence('-bulk-ref')}; ${ref.evidence}` };
  else bulk = { truth: 'undetermined',
                evidence: `${failEvidence('-bulk-ref')}, but reference-types is ${ref.truth === 'used' ? 'used' : 'undetermined'} and wabt 1.0.32 cannot keep it without bulk-memory` };
  verdicts.set('bulk-memory', bulk);
  return { valid: v.get('all'), enableAll: v.get('enable-all'), mutableCheck: v.get('-mutable-globals'), verdicts };
}

/// Reference-types constructs that wabt 1.0.32 reads and validates with reference-types off (even with
/// every feature off), although they come from the reference-types proposal and MVP engines reject them:
/// the typed select (0x1c; wabt's text parser does reject it), ref.func, table.fill and declarative
/// element segments (flags 3). Found with `wasm-objdump -d -x`; returns what it found.
async function refTypesWabtGap(file) {
  const r = await lib.run(lib.WASM_OBJDUMP, ['-d', '-x', file]);
  if (r.code !== 0) return [];
  const found = [];
  if (/^ [0-9a-f]+: 1c [0-9a-f]{2} .*\| select \S/m.test(r.stdout)) found.push('typed select');
  if (/\| ref\.func \d/m.test(r.stdout)) found.push('ref.func');
  if (/\| table\.fill \d/m.test(r.stdout)) found.push('table.fill');
  if (/^ - segment\[\d+\] flags=3 /m.test(r.stdout)) found.push('declarative element segment');
  return found;
}

function pad(s, n) { s = String(s); return s.length >= n ? s + ' ' : s + ' '.repeat(n - s.length); }

async function checkModule(o, file) {
  const lines = [];
  let mismatches = 0, undetermined = 0;
  const fail = (msg) => { lines.push(`  MISMATCH ${msg}`); mismatches++; };
  const size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  lines.push(`== ${file} (${size} bytes)`);

  const [truth, report, objdumpText] = await Promise.all([
    groundTruth(file, o.jobs, o.verbose),
    lib.inspectJson(o.fleetpack, file).catch((e) => e),
    lib.run(lib.WASM_OBJDUMP, ['-h', '-x', file]),
  ]);
  if (!truth.valid.ok) {
    fail(`wasm-validate rejects the module with every feature on (${truth.valid.label}): ${truth.valid.error}`);
    return { lines, mismatches, undetermined };
  }
  if (!truth.enableAll.ok)
    lines.push(`  note: wasm-validate --enable-all rejects it (${truth.enableAll.error}), but it validates without ` +
               `${NEVER.join('+')}: wabt 1.0.32's function-references typing, which fleetpack never enables either`);
  if (report instanceof Error) {
    fail(report.message);
    return { lines, mismatches, undetermined };
  }
  if (objdumpText.code !== 0) {
    fail(`wasm-objdump -h -x failed: ${lib.firstLine(objdumpText.stderr)}`);
    return { lines, mismatches, undetermined };
  }
  const dump = lib.parseObjdump(objdumpText.stdout);

  const reported = new Map((report.features || []).map((f) => [f.name, f]));
  const rows = [];
  for (const [, name] of CHECKED) {
    const t = truth.verdicts.get(name);
    const got = reported.has(name) ? 'used' : 'unused';
    let verdict, evidence = t.evidence, gap;
    if (t.truth === 'undetermined') { verdict = '? (not compared)'; undetermined++; }
    else if (t.truth === got) verdict = 'ok';
    else if (name === 'reference-types' && t.truth === 'unused' && got === 'used' &&
             (gap = await refTypesWabtGap(file)).length) {
      verdict = 'ok (wabt gap)';
      evidence = `wabt 1.0.32 accepts without reference-types: ${gap.join(', ')}; ${t.evidence}`;
    } else { verdict = 'MISMATCH'; mismatches++; }
    rows.push([name, t.truth, got, verdict, evidence]);
  }
  // mutable-globals from wasm-objdump -x.
  const mg = lib.objdumpMutableGlobals(dump.details);
  const mgUsed = mg.imports.length + mg.exports.length > 0;
  const mgGot = reported.has(MUTABLE_GLOBALS) ? 'used' : 'unused';
  const mgEvidence = mgUsed
    ? `wasm-objdump -x: mutable imports [${mg.imports.join(', ')}], mutable exports [${mg.exports.join(', ')}]`
    : 'wasm-objdump -x: no mutable global imported or exported';
  const mgTruth = mgUsed ? 'used' : 'unused';
  rows.push([MUTABLE_GLOBALS, mgTruth, mgGot, mgTruth === mgGot ? 'ok' : 'MISMATCH', mgEvidence]);
  if (mgTruth !== mgGot) mismatches++;
  for (const name of reported.keys())
    if (name !== MUTABLE_GLOBALS && !CHECKED.some(([, n]) => n === name)) {
      rows.push([name, '(not checkable)', 'used', 'MISMATCH', 'fleetpack reports a feature this script does not know']);
      mismatches++;
    }

  lines.push(`  ${pad('feature', 27)}${pad('wasm-validate', 14)}${pad('fleetpack', 10)}${pad('verdict', 17)}evidence`);
  for (const [name, t, g, verdict, ev] of rows)
    lines.push(`  ${pad(name, 27)}${pad(t, 14)}${pad(g, 10)}${pad(verdict, 17)}${ev.length > 160 ? ev.slice(0, 157) + '...' : ev}`);

  // The lists behind mutable-globals must match too.
  const sameList = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  if (!sameList(report.globals.mutable_imports, mg.imports))
    fail(`globals.mutable_imports ${JSON.stringify(report.globals.mutable_imports)} != wasm-objdump ${JSON.stringify(mg.imports)}`);
  if (!sameList(report.globals.mutable_exports, mg.exports))
    fail(`globals.mutable_exports ${JSON.stringify(report.globals.mutable_exports)} != wasm-objdump ${JSON.stringify(mg.exports)}`);
  // Our model of wabt: --disable-mutable-globals rejects exactly mutable imports (not exports).
  if (truth.mutableCheck.ok !== (mg.imports.length === 0))
    fail(`oracle assumption broken: wasm-validate with ${truth.mutableCheck.label} ${truth.mutableCheck.ok ? 'passes' : 'fails'} ` +
         `with ${mg.imports.length} mutable global import(s) (expected it to fail exactly when there is one)`);

  if (o.structure) {
    const bytes = fs.readFileSync(file);
    const problems = compareStructure(report, dump, bytes, path.basename(file));
    lines.push(`  structure vs wasm-objdump -h -x: ${problems.length === 0 ? 'ok' : problems.length + ' difference(s)'}` +
               ` (${dump.sections.length} sections, ${report.imports.count} imports, ${report.exports.count} exports, ` +
               `${report.memories.length} memories)`);
    for (const p of problems) fail(`structure: ${p}`);
  }
  return { lines, mismatches, undetermined };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!o) {
    process.stderr.write('usage: node features_vs_validate.js [--structure] [--verbose] [--jobs N] FLEETPACK MODULE.wasm...\n');
    return 2;
  }
  const version = await lib.run(lib.WASM_VALIDATE, ['--version']);
  if (version.code !== 0 || version.stdout.trim() !== '1.0.32') {
    process.stderr.write(`features_vs_validate: need wabt 1.0.32's wasm-validate (its feature ties are modelled here); ` +
                         `${lib.WASM_VALIDATE} --version says ${JSON.stringify((version.stdout + version.stderr).trim())}\n`);
    return 2;
  }
  if (!fs.existsSync(o.fleetpack)) {
    process.stderr.write(`features_vs_validate: no fleetpack binary at ${o.fleetpack}\n`);
    return 2;
  }
  let mismatches = 0, undetermined = 0, bad = 0;
  for (const file of o.modules) {
    if (!fs.existsSync(file)) {
      process.stderr.write(`features_vs_validate: no such module: ${file}\n`);
      return 2;
    }
    const r = await checkModule(o, file);
    process.stdout.write(r.lines.join('\n') + '\n\n');
    mismatches += r.mismatches;
    undetermined += r.undetermined;
    if (r.mismatches) bad++;
  }
  process.stdout.write(`features_vs_validate: ${o.modules.length} module(s), ${bad} with mismatches ` +
                       `(${mismatches} in all), ${undetermined} feature verdict(s) undetermined by wasm-validate\n`);
  return mismatches ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  process.stderr.write(`features_vs_validate: ${e.stack || e}\n`);
  process.exit(2);
});
