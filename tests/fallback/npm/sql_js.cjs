'use strict';
// sql.js's own API (dist/sql-wasm.js: Emscripten glue, WebAssembly.instantiate on the bytes it reads)
// running SQLite: tables, inserts through prepared statements, joins, aggregates, floats, text, blobs,
// NULLs, a syntax error and a constraint error (reported as sql.js reports them), export/import of the
// database file. See common.cjs for the arguments.
const path = require('node:path');
const crypto = require('node:crypto');
const { setUp, show } = require('./common.cjs');

const pkg = setUp();
const initSqlJs = require(path.join(pkg, 'package', 'dist', 'sql-wasm.js'));

(async () => {
  const SQL = await initSqlJs({ locateFile: (file) => path.join(pkg, 'package', 'dist', file) });
  const db = new SQL.Database();
  show('schema', () => db.exec(`
    CREATE TABLE dept (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, budget REAL);
    CREATE TABLE emp (id INTEGER PRIMARY KEY, name TEXT, dept INTEGER REFERENCES dept(id), salary REAL,
                      hired TEXT, photo BLOB);
    CREATE INDEX emp_dept ON emp(dept);`));
  const depts = [[1, 'engine', 1.5e6], [2, 'ui', 250000.25], [3, 'ops', null], [4, 'empty', 0.1]];
  const ins = db.prepare('INSERT INTO dept VALUES (?, ?, ?)');
  for (const d of depts) ins.run(d);
  ins.free();
  const emp = db.prepare('INSERT INTO emp (name, dept, salary, hired, photo) VALUES ($n, $d, $s, $h, $p)');
  let seed = 12345;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  for (let i = 0; i < 300; i++) {
    emp.run({ $n: `emp ${i} ${'é漢'.repeat(i % 3)}`, $d: 1 + (i % 3), $s: Math.round(rnd() * 1e7) / 100 + i / 7,
              $h: `20${10 + (i % 14)}-0${1 + (i % 9)}-1${i % 10}`, $p: i % 5 === 0 ? new Uint8Array([i & 255, 0, 255, i >> 8]) : null });
  }
  emp.free();
  show('count', () => db.exec('SELECT count(*), count(photo), total(salary) FROM emp'));
  show('join+group', () => db.exec(`
    SELECT d.name, count(e.id) AS n, round(avg(e.salary), 6), min(e.salary), max(e.salary), sum(e.salary) / 3.0,
           group_concat(substr(e.hired, 1, 4), ',')
    FROM dept d LEFT JOIN emp e ON e.dept = d.id GROUP BY d.id ORDER BY n DESC, d.name`));
  show('having+order', () => db.exec(`
    SELECT substr(hired, 1, 4) AS y, count(*), printf('%.3f', avg(salary)), printf('%e', sum(salary) * 1e10)
    FROM emp GROUP BY y HAVING count(*) > 20 ORDER BY y`));
  show('window', () => db.exec(`
    SELECT id, dept, salary, rank() OVER (PARTITION BY dept ORDER BY salary DESC) AS r,
           sum(salary) OVER (PARTITION BY dept ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
    FROM emp WHERE id % 37 = 1 ORDER BY id`));
  show('floats', () => db.exec(`SELECT 0.1 + 0.2, 1e308 * 10, -1e308 * 10, 1.0 / 3, 2.5e-300 * 1e-20, sqrt(2) * sqrt(2),
    CAST(9007199254740993 AS REAL), 9223372036854775807, -9223372036854775808, 7 / 2, 7 % -3, -7 / 2.0,
    abs(-0.0), round(2.675, 2), CAST('3.14abc' AS REAL), typeof(1e3), 1e3 = 1000`));
  show('int64', () => db.exec(`SELECT 4611686018427387904 * 2 - 1 + 4611686018427387904 * 2, 123456789012 * 1000, (1 << 62) >> 30, -1 >> 1, 0x7fffffffffffffff & 0xff00`));
  show('text', () => db.exec(`SELECT upper('straße'), lower('ÉCOLE'), length('漢字é'), hex('é'), instr('abcabc', 'ca'), replace('a.b.c', '.', '::'), trim('  x  '), quote('it''s'), unicode('€'), char(72, 105)`));
  show('blob', () => db.exec('SELECT id, photo, length(photo), hex(photo) FROM emp WHERE photo IS NOT NULL ORDER BY id LIMIT 4'));
  show('subquery', () => db.exec(`
    SELECT name FROM emp WHERE salary > (SELECT avg(salary) FROM emp) AND dept IN (SELECT id FROM dept WHERE budget > 1e5)
    ORDER BY salary DESC LIMIT 5`));
  show('cte', () => db.exec(`WITH RECURSIVE fib(n, a, b) AS (SELECT 1, 0, 1 UNION ALL SELECT n + 1, b, a + b FROM fib WHERE n < 90)
    SELECT n, a FROM fib WHERE n % 15 = 0`));
  show('syntax-error', () => db.exec('SELEC name FROM emp'));
  show('syntax-error-2', () => db.exec("SELECT * FROM emp WHERE name = 'unterminated"));
  show('no-table', () => db.exec('SELECT * FROM nope'));
  show('constraint', () => db.run("INSERT INTO dept VALUES (1, 'dup', 0)"));
  show('unique', () => db.run("INSERT INTO dept (name) VALUES ('ui')"));
  show('changes', () => { db.run('UPDATE emp SET salary = salary * 1.1 WHERE dept = 2'); return db.getRowsModified(); });
  show('stmt', () => {
    const st = db.prepare('SELECT id, name, salary FROM emp WHERE dept = :d AND salary BETWEEN :lo AND :hi ORDER BY id');
    st.bind({ ':d': 3, ':lo': 20000, ':hi': 60000 });
    const rows = [];
    while (st.step()) rows.push(st.get());
    st.free();
    return rows;
  });
  show('export', () => {
    const bytes = db.export();
    const copy = new SQL.Database(bytes);
    const r = copy.exec('SELECT count(*), sum(salary) FROM emp')[0].values;
    copy.close();
    return { pages: bytes.length / 4096, rows: r };
  });
  // Many rows through memory growth: a large table and a sort.
  show('big', () => {
    db.run('CREATE TABLE big (k INTEGER, v TEXT)');
    db.run('BEGIN');
    const st = db.prepare('INSERT INTO big VALUES (?, ?)');
    for (let i = 0; i < 20000; i++) st.run([(i * 7919) % 20000, 'v'.repeat(i % 50) + i]);
    st.free();
    db.run('COMMIT');
    const r = db.exec('SELECT k, v FROM big ORDER BY v DESC LIMIT 3 OFFSET 1000');
    const all = db.exec('SELECT group_concat(k) FROM (SELECT k FROM big ORDER BY v)')[0].values[0][0];
    return { r, sha: crypto.createHash('sha256').update(all).digest('hex') };
  });
  db.close();
})().catch((e) => { console.error(e); process.exit(1); });
