// @wasm-fmt/sql_fmt's own API (sql_fmt_node.js: wasm-bindgen glue, new WebAssembly.Module + Instance at
// import time) formatting SQL texts with several configs. See common.cjs for the arguments.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
const { setUp, show } = createRequire(import.meta.url)('./common.cjs');

const pkg = setUp();
const { format } = await import(pathToFileURL(path.join(pkg, 'package', 'sql_fmt_node.js')).href);

const texts = [
  'select a, b, count(*) as n from t1 join t2 on t1.id = t2.t1_id where x > 3.5 and y in (1,2,3) group by a, b having count(*) > 1 order by n desc limit 10',
  "insert into users (id, name, score) values (1, 'ann', 1.5e3), (2, 'bob''s', -0.25);",
  'WITH RECURSIVE cnt(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM cnt WHERE x<100) SELECT sum(x), avg(x) FROM cnt;',
  'create table if not exists t (id integer primary key autoincrement, name text not null default \'\', created timestamp default current_timestamp); create index idx_t_name on t(name);',
  'update t set a = case when b is null then 0 else b * 2 end, c = coalesce(d, e, \'none\') where id between 10 and 20; delete from t where not exists (select 1 from u where u.id = t.id)',
  'SELECT /* comment */ "quoted col", `tick`, [bracket] FROM s.tbl -- trailing\n WHERE a LIKE \'%é漢字%\' ESCAPE \'\\\' ORDER BY 1',
  'select ((((1+2)*3)-4)/5) % 6, -x, ~y, a || b, json_extract(doc, \'$.a[0]\') from t window w as (partition by g order by ts rows between 1 preceding and current row)',
  'SELECT 1; SELECT 2;; select',
  '',
];
const configs = [undefined, { uppercase: true }, { indent_style: 'tab', lines_between_queries: 2 }, { inline: true, uppercase: false }];
texts.forEach((t, i) => configs.forEach((c, k) => show(`format[${i}][${k}]`, () => format(t, c))));
// Many calls on one instance: the allocator must keep working.
let big = '';
for (let i = 0; i < 200; i++) big += `select c${i}, sum(v${i}) from t${i % 7} where k = ${i * 1.25} group by c${i};\n`;
const out = format(big, { uppercase: true });
show('format[big].length', () => out.length);
show('format[big].sha', () => createRequire(import.meta.url)('node:crypto').createHash('sha256').update(out).digest('hex'));
show('format[bad-config]', () => format('select 1', { indent_width: 'wide' }));
