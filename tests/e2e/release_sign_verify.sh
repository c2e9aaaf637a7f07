#!/usr/bin/env bash
# Signatures: `fleetpack keygen` writes a minisign key pair (secret mode 0600, never replaced); `build --sign`
# writes <file>.minisig beside index.json and every manifest, which the real `minisign -V` accepts (and
# rejects once the file changes); `fleetpack verify --pubkey` checks them, names another key's signatures,
# and accepts keys minisign made (-G -W) and signatures minisign made with fleetpack's key. The secret key
# appears nowhere in the release or the output. Bad keys are clear errors with exit codes.
source "$(dirname "$0")/lib.sh"
setup
require_tool minisign
demo_project proj
cd proj

run_fp 0 keygen --out ../key
assert_matches "$OUT" '^key [0-9A-F]{16}: secret key \.\./key\.key'
[[ $(stat -c %a ../key.key) == 600 ]] || fail "secret key mode $(stat -c %a ../key.key)"
[[ $(head -c 19 ../key.key) == "untrusted comment: " ]] || fail "not a minisign key file"
before=$(sha256sum ../key.key ../key.pub)
run_fp 2 keygen --out ../key
assert_contains "$ERR" "key.key: error: already exists; fleetpack never replaces a key"
[[ "$(sha256sum ../key.key ../key.pub)" == "$before" ]] || fail "keygen replaced a key"

run_fp 0 build --sign ../key.key
rel=dist/demo/1.0.0
secret_line=$(tail -1 ../key.key)
! grep -rqF "${secret_line:0:40}" dist "$OUT" "$ERR" || fail "the secret key leaked into the release or the output"
signed=(index.json profiles/modern.json profiles/stick-2022.json)
for f in "${signed[@]}"; do
  assert_file "$rel/$f.minisig"
  expect_exit 0 minisign -V -p ../key.pub -m "$rel/$f"
  assert_contains "$OUT" "Trusted comment: fleetpack release demo 1.0.0 file:$f"
done
[[ $(find "$rel" -name '*.minisig' | wc -l) == 3 ]] || fail "signatures of other files: $(find "$rel" -name '*.minisig')"
run_fp 0 verify "$rel" --pubkey ../key.pub
assert_contains "$OUT" "3 signatures valid: ok"
run_fp 0 verify "$rel"
assert_contains "$OUT" "signed (not checked: pass --pubkey KEY): ok"

# minisign rejects a changed manifest; so does verify, naming it.
cp -r "$rel" tampered
sed -i 's/"rollout_percent": null/"rollout_percent": 100/' tampered/profiles/modern.json
expect_exit 1 minisign -V -p ../key.pub -m tampered/profiles/modern.json
run_fp 1 verify tampered --pubkey ../key.pub
assert_contains "$ERR" "tampered/profiles/modern.json.minisig: error: signature of profiles/modern.json is not valid"
assert_matches "$ERR" "^tampered/profiles/modern\.json: error: (is [0-9]+ bytes, index\.json says [0-9]+|sha256 does not match index\.json)"

# Another key: every signature is named, with both key ids; exit 1.
run_fp 0 keygen --out ../other
run_fp 1 verify "$rel" --pubkey ../other.pub
[[ $(grep -c 'error: signature of .* is not valid: signed with key [0-9A-F]*, not with the given key' "$ERR") == 3 ]] ||
  { show_output; fail "each signature should be named"; }
# An unsigned release checked with a key: every missing signature is named.
run_fp 0 build -o unsigned
run_fp 1 verify unsigned/demo/1.0.0 --pubkey ../key.pub
assert_contains "$ERR" "unsigned/demo/1.0.0/index.json.minisig: error: is missing"

# minisign's own keys (unencrypted, -G -W) sign releases; minisign signs with fleetpack's key.
minisign -G -W -p ../m.pub -s ../m.key > /dev/null
run_fp 0 build --sign ../m.key -o by-minisign-key
run_fp 0 verify by-minisign-key/demo/1.0.0 --pubkey ../m.pub
cp -r "$rel" resigned
minisign -S -s ../key.key -m resigned/index.json -c "signature from fleetpack secret key" \
  -t "fleetpack release demo 1.0.0 file:index.json" > /dev/null
run_fp 0 verify resigned --pubkey ../key.pub

# Bad keys: missing (exit 3), not a key (3), password-protected (3, with a hint); nothing is written.
run_fp 3 build --sign ../missing.key -o k1
assert_contains "$ERR" "../missing.key: error: cannot open"
assert_no_files k1
echo "not a key" > ../bad.key
run_fp 3 build --sign ../bad.key -o k2
assert_contains "$ERR" "../bad.key: error: not a minisign secret key"
assert_no_files k2
printf 'untrusted comment: minisign encrypted secret key\nRWRTY0Iy%s=\n' "$(head -c 203 /dev/zero | tr '\0' A)" > ../enc.key
run_fp 3 build --sign ../enc.key -o k3
assert_contains "$ERR" "password-protected"
assert_matches "$ERR" "hint: .*fleetpack keygen"
run_fp 3 verify "$rel" --pubkey ../bad.key
assert_contains "$ERR" "../bad.key: error: not a minisign public key"
run_fp 3 verify no-such-release
assert_contains "$ERR" "no-such-release: error: not a release folder"

# release.signing_key in fleetpack.yaml signs too (relative to the file).
cp ../key.key ci.key
printf 'release:\n  signing_key: ci.key\n  channel: beta\n  rollout_percent: 10\n' >> fleetpack.yaml
run_fp 0 build -o cfg
run_fp 0 verify cfg/demo/1.0.0 --pubkey ../key.pub
[[ $(jq -r '"\(.channel) \(.rollout_percent)"' cfg/demo/1.0.0/profiles/modern.json) == "beta 10" ]] || fail "channel/rollout"
printf '  rollout_percent: 101\n' >> fleetpack.yaml
sed -i '/rollout_percent: 10$/d' fleetpack.yaml
run_fp 2 build -o cfg2
assert_matches "$ERR" "fleetpack\.yaml:[0-9]+:[0-9]+: error: release\.rollout_percent must be an integer from 0 to 100"
