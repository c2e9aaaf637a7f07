#!/usr/bin/env bash
# Corruption sweep through the CLI: 300 deterministic corruptions of the demo engine (corrupt_modules.js:
# LEB edits of section sizes, counts and body sizes (+1, -1, 0x7f, 0xffffffff), truncations, single-byte
# changes), each given to `timeout 10 fleetpack inspect`. Every run must end with exit 0 (still a valid
# module) or 3 (invalid input): never a signal or crash (>= 128), never 4 (internal), never a timeout (124).
# On exit 3 every error line is "<file>:0x<hex>: error: ..."; on exit 0 wabt's wasm-validate agrees that
# the module is valid. All failures are listed, with the command to reproduce each, before failing.
source "$(dirname "$0")/lib.sh"
setup
require_demo_engine
require_tool "$NODE"
require_tool "$WASM_VALIDATE"

"$NODE" "$E2E_DIR/corrupt_modules.js" "$DEMO_ENGINE" cases 300 > kinds.txt
total=$(find cases -name '*.wasm' | wc -l)
[[ "$total" -eq 300 ]] || fail "expected 300 corrupted modules, got $total"

valid=0 rejected=0
declare -A rejected_by_kind=() valid_by_kind=()
failures=()
start=$SECONDS
for f in cases/*.wasm; do
  kind=$(basename "$f" | cut -d- -f2)
  rc=0
  timeout 10 "$FLEETPACK" inspect "$f" > case.out 2> case.err || rc=$?
  case "$rc" in
    0)
      valid=$((valid + 1))
      valid_by_kind[$kind]=$((${valid_by_kind[$kind]:-0} + 1))
      if ! "$WASM_VALIDATE" --enable-all --ignore-custom-section-errors "$f" > /dev/null 2> wv.err; then
        failures+=("$f: fleetpack accepts it (exit 0) but wasm-validate rejects it: $(head -1 wv.err)")
      fi
      ;;
    3)
      rejected=$((rejected + 1))
      rejected_by_kind[$kind]=$((${rejected_by_kind[$kind]:-0} + 1))
      file_re=$(re_escape "$f")
      if ! grep -qE "^$file_re:0x[0-9a-f]+: error: " case.err; then
        failures+=("$f: exit 3 without a '$f:0x<offset>: error:' line: $(head -1 case.err)")
      elif grep ': error: ' case.err | grep -qvE "^$file_re:0x[0-9a-f]+: error: "; then
        failures+=("$f: exit 3 with an error line that has no offset: $(grep ': error: ' case.err | grep -vE "^$file_re:0x" | head -1)")
      fi
      ;;
    124) failures+=("$f: timed out after 10 s") ;;
    *)
      what="exit $rc"
      ((rc >= 128)) && what="exit $rc (signal $((rc - 128)))"
      failures+=("$f: $what: $(tail -1 case.err)")
      ;;
  esac
done
elapsed=$((SECONDS - start))

summary=""
for k in leb trunc flip; do
  summary+="  $k: $(grep "^$k " kinds.txt | cut -d' ' -f2) cases, ${valid_by_kind[$k]:-0} valid, ${rejected_by_kind[$k]:-0} rejected"$'\n'
done
note "300 corrupted modules in ${elapsed}s: $valid still valid (exit 0), $rejected rejected (exit 3), ${#failures[@]} failures"
printf '%s' "$summary"
if [[ ${#failures[@]} -gt 0 ]]; then
  printf '  %s\n' "${failures[@]:0:40}" >&2
  [[ ${#failures[@]} -gt 40 ]] && echo "  ... and $((${#failures[@]} - 40)) more" >&2
  echo "reproduce: cd $SCRATCH && $FLEETPACK inspect <file>  (files are kept in $SCRATCH/cases)" >&2
  fail "${#failures[@]} of 300 corrupted modules were not handled as valid or invalid input"
fi
[[ "$rejected" -gt 0 && "$valid" -gt 0 ]] || fail "a sweep with no valid or no rejected module is suspicious"
