#!/usr/bin/env bash
# docs/schemas/build-report.schema.json describes `--report-json` (fleetpack.build-report/1): the demo
# build's report (passing, over budget, failed) validates against it with tests/schemas/validate_json_schema.js,
# and that validator rejects reports that break the schema.
source "$(dirname "$0")/lib.sh"
setup
require_tool "$NODE"
demo_project proj
cd proj
SCHEMA="$SOURCE_DIR/docs/schemas/build-report.schema.json"
VALIDATE=("$NODE" "$SOURCE_DIR/tests/schemas/validate_json_schema.js" "$SCHEMA")

run_fp 0 build --report-json ok.json
expect_exit 0 "${VALIDATE[@]}" ok.json
cat > profiles/tight.yaml <<'YAML'
id: tight
extends: chrome75
budgets:
  wasm_zstd_bytes: 1KiB
  linear_memory_max: 1MiB
YAML
run_fp 1 check -p tight -p modern --report-json over.json
expect_exit 0 "${VALIDATE[@]}" over.json
assert_contains over.json '"status": "exceeded"'
run_fp 1 build -p mvp --report-json failed.json
expect_exit 0 "${VALIDATE[@]}" failed.json

# Deliberately wrong reports: each must be rejected, naming the problem.
mutate() {  # mutate OUT JS-STATEMENT (on r, the parsed ok.json)
  "$NODE" -e 'const fs = require("fs"); const r = JSON.parse(fs.readFileSync("over.json", "utf8"));
    '"$2"'; fs.writeFileSync(process.argv[1], JSON.stringify(r));' "$1"
}
mutate bad_schema.json 'r.schema = "fleetpack.build-report/2"'
mutate bad_status.json 'r.profiles[0].status = "great"'
mutate bad_missing.json 'delete r.profiles[1].zstd_bytes'
mutate bad_extra.json 'r.engine.size = 1'
mutate bad_type.json 'r.profiles[0].budgets[0].limit = "1KiB"'
mutate bad_figure.json 'r.profiles[0].figures.wasm_bytes = 1.5'
expect_exit 1 "${VALIDATE[@]}" bad_schema.json && assert_contains "$ERR" '$.schema: expected "fleetpack.build-report/1"'
expect_exit 1 "${VALIDATE[@]}" bad_status.json && assert_contains "$ERR" '$.profiles[0].status: "great" is not one of'
expect_exit 1 "${VALIDATE[@]}" bad_missing.json && assert_contains "$ERR" "\$.profiles[1]: missing required property 'zstd_bytes'"
expect_exit 1 "${VALIDATE[@]}" bad_extra.json && assert_contains "$ERR" '$.engine.size: not allowed'
expect_exit 1 "${VALIDATE[@]}" bad_type.json && assert_contains "$ERR" '$.profiles[0].budgets[0].limit: expected integer, got string'
expect_exit 1 "${VALIDATE[@]}" bad_figure.json && assert_contains "$ERR" '$.profiles[0].figures.wasm_bytes: expected integer or null, got number'
