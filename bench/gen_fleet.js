#!/usr/bin/env node
// Generates a synthetic device fleet for `fleetpack plan` at scale: profile YAML files in several levels
// of `extends`, a device map, and the number of variants the planner must find.
//
//   node bench/gen_fleet.js OUT_DIR [--profiles N] [--devices M] [--engine-features f1,f2,...] [--seed S]
//
// Levels: 12 "platform" profiles (extend a catalog profile, set every output-affecting key), then
// "vendor" profiles (extend a platform; a third override compression.zstd_level), then "model-year"
// and "region" profiles (extend the level above; set only budgets, tags, descriptions, native
// versions: keys that must not split variants). Prints a JSON summary with expected_variants: the
// number of distinct output-affecting settings among the profiles the devices use.
'use strict';
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
const out = args[0];
if (!out) {
  console.error('usage: gen_fleet.js OUT_DIR [--profiles N] [--devices M] [--engine-features a,b] [--seed S]');
  process.exit(2);
}
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const nProfiles = Number(opt('--profiles', 300));
const nDevices = Number(opt('--devices', 8000));
const engineFeatures = opt('--engine-features', 'sign-ext,nontrapping-float-to-int,bulk-memory,mutable-globals')
  .split(',').filter(Boolean);
let seed = Number(opt('--seed', 42));
const rand = () => {  // xorshift32: the same fleet for the same seed
  seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
  return seed / 4294967296;
};
const pick = (a) => a[Math.floor(rand() * a.length)];

const featureSets = [
  [], ['sign-ext', 'mutable-globals'],
  ['sign-ext', 'mutable-globals', 'nontrapping-float-to-int', 'bulk-memory'],
  ['sign-ext', 'mutable-globals', 'nontrapping-float-to-int', 'bulk-memory', 'multivalue'],
  ['sign-ext', 'mutable-globals', 'nontrapping-float-to-int', 'bulk-memory', 'multivalue', 'simd'],
];
const levels = ['Os', 'Oz', 'O2'];
const jsLevels = ['es2015', 'es2017', 'es2020'];

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(path.join(out, 'profiles'), { recursive: true });
const profiles = new Map();  // id -> { parent, output: {...} | null, zstd }
const write = (id, text) => fs.writeFileSync(path.join(out, 'profiles', id + '.yaml'), text);

const nPlatforms = 12;
for (let i = 0; i < nPlatforms; i++) {
  const id = `platform-${i}`;
  const o = { features: featureSets[i % featureSets.length], level: levels[i % levels.length],
              js: jsLevels[i % jsLevels.length], zstd: 19 };
  profiles.set(id, { parent: null, output: o });
  write(id, `# generated platform profile\nid: ${id}\nextends: ${i % 2 ? 'mvp' : 'modern'}\n` +
    `description: "platform ${i}"\nwasm:\n  supported: true\n  features: [${o.features.join(', ')}]\n` +
    `js:\n  level: ${o.js}\n  module: script\ntarget: wasm\noptimize:\n  level: ${o.level}\n` +
    `strip:\n  keep: []\ncompression:\n  zstd_level: 19\n`);
}
const remaining = Math.max(0, nProfiles - nPlatforms);
const nVendors = Math.max(1, Math.floor(remaining * 0.15));
const nYears = Math.max(1, Math.floor(remaining * 0.35));
const nRegions = Math.max(0, remaining - nVendors - nYears);
const ids = (prefix) => [...profiles.keys()].filter((k) => k.startsWith(prefix));
for (let i = 0; i < nVendors; i++) {
  const id = `vendor-${i}`, parent = pick(ids('platform-'));
  const zstd = i % 3 === 0 ? 9 : null;
  profiles.set(id, { parent, zstd });
  write(id, `# generated vendor profile\nid: ${id}\nextends: ${parent}\ndescription: "vendor ${i}"\n` +
    (zstd ? `compression:\n  zstd_level: ${zstd}\n` : '') + `tags: [vendor-${i % 7}]\n`);
}
for (let i = 0; i < nYears; i++) {
  const id = `year-${i}`, parent = pick(ids('vendor-'));
  profiles.set(id, { parent });
  write(id, `# generated model-year profile\nid: ${id}\nextends: ${parent}\ndescription: "year ${2015 + (i % 10)}"\n` +
    `budgets:\n  vm_memory: ${6 + (i % 4)}MiB\n  wasm_zstd_bytes: ${100 + (i % 5) * 10}KiB\n` +
    `native:\n  min_version: "${1 + (i % 5)}.${i % 10}"\n`);
}
for (let i = 0; i < nRegions; i++) {
  const id = `region-${i}`, parent = pick(ids('year-'));
  profiles.set(id, { parent });
  write(id, `# generated region profile\nid: ${id}\nextends: ${parent}\ndescription: "region ${i}"\n` +
    `tags: [region-${i % 11}, fleet]\nbudgets:\n  bundle_zstd_bytes: ${1 + (i % 3)}MiB\n`);
}

// Effective output settings of a generated profile (what the planner keys on).
const effective = (id) => {
  let zstd = null, p = profiles.get(id);
  for (let cur = id; cur; cur = profiles.get(cur).parent) {
    const e = profiles.get(cur);
    if (zstd === null && e.zstd) zstd = e.zstd;
    if (e.output) return { ...e.output, zstd: zstd || e.output.zstd };
  }
  throw new Error('no platform for ' + id + p);
};
const lowered = (features) => engineFeatures.filter((f) => !features.includes(f)).sort().join(',');

const leaves = [...ids('region-'), ...ids('year-')];
const used = new Set();
let csv = 'model,profile\n';
for (let i = 0; i < nDevices; i++) {
  const id = pick(leaves);
  used.add(id);
  csv += `MODEL-${String(i).padStart(5, '0')},${id}\n`;
}
fs.writeFileSync(path.join(out, 'devices.csv'), csv);
const keys = new Set([...used].map((id) => {
  const e = effective(id);
  return JSON.stringify([lowered(e.features), e.level, e.js, e.zstd]);
}));
console.log(JSON.stringify({ profiles: profiles.size, devices: nDevices, profiles_used: used.size,
                             expected_variants: keys.size, out }));
