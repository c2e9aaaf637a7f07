#!/usr/bin/env node
// A small JSON Schema validator for the keywords fleetpack's schemas use: type (a name or a list), const,
// enum, required, properties, additionalProperties (false or a schema), items (a schema). Annotation
// keywords ($schema, $id, title, description) are ignored; any other keyword is refused, so a schema cannot
// silently use more than this checks.
//   node validate_json_schema.js SCHEMA.json DOCUMENT.json   -> exit 0 valid, 1 invalid (errors on stderr), 2 usage
'use strict';
const fs = require('fs');

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description']);
const KEYWORDS = new Set(['type', 'const', 'enum', 'required', 'properties', 'additionalProperties', 'items']);

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;  // string, boolean, object
}

function matchesType(v, t) {
  const actual = typeOf(v);
  return actual === t || (t === 'number' && actual === 'integer');
}

function equal(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function validate(schema, value, path, errors) {
  if (schema === true) return;
  if (schema === false) { errors.push(`${path}: not allowed`); return; }
  for (const key of Object.keys(schema))
    if (!ANNOTATIONS.has(key) && !KEYWORDS.has(key)) throw new Error(`unsupported schema keyword '${key}' at ${path}`);
  if ('type' in schema) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => matchesType(value, t))) {
      errors.push(`${path}: expected ${types.join(' or ')}, got ${typeOf(value)}`);
      return;
    }
  }
  if ('const' in schema && !equal(schema.const, value))
    errors.push(`${path}: expected ${JSON.stringify(schema.const)}, got ${JSON.stringify(value)}`);
  if ('enum' in schema && !schema.enum.some((e) => equal(e, value)))
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeOf(value) === 'object') {
    for (const name of schema.required || [])
      if (!(name in value)) errors.push(`${path}: missing required property '${name}'`);
    const props = schema.properties || {};
    for (const [name, v] of Object.entries(value)) {
      if (name in props) validate(props[name], v, `${path}.${name}`, errors);
      else if ('additionalProperties' in schema) validate(schema.additionalProperties, v, `${path}.${name}`, errors);
    }
  }
  if (typeOf(value) === 'array' && 'items' in schema)
    value.forEach((v, i) => validate(schema.items, v, `${path}[${i}]`, errors));
}

function main(argv) {
  if (argv.length !== 2) {
    console.error('usage: validate_json_schema.js SCHEMA.json DOCUMENT.json');
    return 2;
  }
  let schema, doc;
  try {
    schema = JSON.parse(fs.readFileSync(argv[0], 'utf8'));
    doc = JSON.parse(fs.readFileSync(argv[1], 'utf8'));
  } catch (e) {
    console.error(`validate_json_schema: ${e.message}`);
    return 2;
  }
  const errors = [];
  try {
    validate(schema, doc, '$', errors);
  } catch (e) {
    console.error(`validate_json_schema: ${argv[0]}: ${e.message}`);
    return 2;
  }
  for (const e of errors) console.error(`${argv[1]}: ${e}`);
  return errors.length ? 1 : 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
module.exports = { validate };
