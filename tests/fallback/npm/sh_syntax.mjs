// sh-syntax's own API (lib/index.js: TinyGo's wasm_exec.js glue, a new WebAssembly.instantiate per call)
// parsing and printing shell scripts with several options, and reporting parse errors. See common.cjs.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
const require = createRequire(import.meta.url);
const { setUp, show } = require('./common.cjs');

const pkg = setUp();
const sh = await import(pathToFileURL(path.join(pkg, 'package', 'lib', 'index.js')).href);

const scripts = [
  'echo  hello   world',
  '#!/bin/bash\nset -euo pipefail\nfor f in "$@"; do if [ -f "$f" ];then echo "file: $f"; elif [[ -d $f && $f != . ]]; then ls -la -- "$f"|wc -l; fi; done\n',
  'f() { local x=${1:-default} y=$((2 ** 10 + x * 3)); case "$x" in a|b) echo "ab";; *) printf "%s\\n" "${x//o/0}" >&2;; esac; }\nf "$(date +%s)" 2>/dev/null || true',
  'while read -r line; do arr+=("${line%%#*}"); done < <(grep -v "^$" input.txt)\ncat <<EOF\n${arr[@]}\nEOF\n{ a && b; } | tee log &\nwait $!',
  'x=1;y=2;if((x<y));then echo less;else echo more;fi;until false;do break;done;select o in a b;do echo $o;done',
  'echo "unterminated',
  'if then fi',
  'for ((i=0; i<10; i++)); do echo $i; done; coproc cat; declare -A m=([k]=v); echo ${!m[@]} ${#m[@]}; echo $\'\\t\' $"x" `uname`',
];
const printOpts = [{}, { indent: 4 }, { useTabs: true, binaryNextLine: false, switchCaseIndent: false }, { minify: true }, { singleLine: true }, { keepComments: false, simplify: true }];
for (let i = 0; i < scripts.length; i++) {
  for (let k = 0; k < printOpts.length; k++) await show(`print[${i}][${k}]`, () => sh.print(scripts[i], { filepath: `s${i}.sh`, ...printOpts[k] }));
  await show(`parse[${i}]`, async () => {
    const ast = await sh.parse(scripts[i], { filepath: `s${i}.sh` });
    return { stmts: ast.Stmts.length, json: require('node:crypto').createHash('sha256').update(JSON.stringify(ast)).digest('hex'), first: JSON.stringify(ast.Stmts[0]).slice(0, 400) };
  });
}
await show('parse[posix-only]', () => sh.parse('a=(1 2)', { variant: sh.LangVariant.LangPOSIX }));
await show('print[mksh]', () => sh.print('print -r -- "$x"; typeset -i n=1', { variant: sh.LangVariant.LangMirBSDKorn }));
let big = '';
for (let i = 0; i < 400; i++) big += `function fn${i} { if [ "$${i % 9}" = "v${i}" ]; then echo ${i} | sed 's/a/b/g' >> out${i % 5}.log; fi; }\n`;
await show('print[big]', async () => {
  const out = await sh.print(big, { filepath: 'big.sh', indent: 2 });
  return { length: out.length, sha: require('node:crypto').createHash('sha256').update(out).digest('hex'), head: out.slice(0, 200) };
});
