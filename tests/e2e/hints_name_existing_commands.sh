#!/usr/bin/env bash
# Hints that tell the user to run a fleetpack command name one that exists: for each configuration
# error below, every `fleetpack ...` command quoted in its hint runs and exits 0.
source "$(dirname "$0")/lib.sh"
setup
demo_project proj
cd proj
cp fleetpack.yaml fleetpack.yaml.orig

declare -A seen=()
bad=()  # every broken hint, reported together at the end
check_hints() {  # after a failed run: run every backquoted fleetpack command of stderr's hints
  local cmd
  while IFS= read -r cmd; do
    [[ -n "$cmd" && -z "${seen[$cmd]:-}" ]] || continue
    seen[$cmd]=1
    [[ "$cmd" == *COMMAND* ]] && cmd="${cmd//COMMAND/build}"  # a placeholder, as in `fleetpack COMMAND --help`
    # shellcheck disable=SC2086  # the command's words
    if "$FLEETPACK" ${cmd#fleetpack } > hint.out 2>&1; then
      note "hint \`$cmd\` runs"
    else
      bad+=("\`$cmd\` (hint for: $1) fails: $(head -1 hint.out)")
    fi
  done < <(grep '^  hint: ' "$ERR" | grep -oE '`fleetpack [^`]*`' | tr -d '`')
}

# An unknown key in fleetpack.yaml.
sed -i 's/^select:/slect:/' fleetpack.yaml
run_fp 2 build
assert_contains "$ERR" "hint: "
check_hints "unknown key in fleetpack.yaml"
cp fleetpack.yaml.orig fleetpack.yaml

# An unknown key in a profile.
printf 'id: k\nextends: modern\noptimize:\n  levle: Os\n' > profiles/k.yaml
run_fp 2 build
check_hints "unknown key in a profile"
rm profiles/k.yaml

# A profile section that is not a map.
printf 'id: m\nextends: modern\noptimize: Os\n' > profiles/m.yaml
run_fp 2 build
check_hints "a section that is not a map"
rm profiles/m.yaml

# A profile extending an unknown id.
printf 'id: orphan\nextends: nobody\n' > profiles/orphan.yaml
run_fp 2 build
check_hints "extends an unknown profile"
rm profiles/orphan.yaml

# A bad flag.
run_fp 2 build --no-such-flag
check_hints "an unknown flag"

if [[ ${#bad[@]} -gt 0 ]]; then
  printf '  %s\n' "${bad[@]}" >&2
  fail "${#bad[@]} hint(s) name commands that do not exist"
fi
[[ ${#seen[@]} -ge 3 ]] || fail "expected at least 3 distinct hinted commands, saw: ${!seen[*]}"
