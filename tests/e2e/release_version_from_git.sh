#!/usr/bin/env bash
# The release version: a fleetpack.yaml without `version:` takes `git describe --tags --dirty` of its
# folder as semver (v1.4.0 -> 1.4.0; two commits later -> 1.4.0+2.g<hash>); --version beats both; no tag
# or a tag that is not semver is a usage error (exit 2) naming the folder, and nothing is written.
source "$(dirname "$0")/lib.sh"
setup
require_tool git
demo_project proj
cd proj
sed -i '/^version:/d' fleetpack.yaml
git init -q . && git add -A && git -c user.name=t -c user.email=t@t commit -q -m one
run_fp 2 build -o o1
assert_contains "$ERR" "no release version: fleetpack.yaml has no \`version:\` and \`git describe\` found no tag"
assert_no_files o1
git tag v1.4.0
run_fp 0 build -o o2
assert_file o2/demo/1.4.0/index.json
git -c user.name=t -c user.email=t@t commit -q --allow-empty -m two
git -c user.name=t -c user.email=t@t commit -q --allow-empty -m three
run_fp 0 build -o o3
want="1.4.0+2.g$(git rev-parse --short HEAD)"
assert_file "o3/demo/$want/index.json"
[[ $(jq -r .version "o3/demo/$want/index.json") == "$want" ]] || fail "index version"
run_fp 0 build -o o4 --version 2.0.0-rc.1
assert_file o4/demo/2.0.0-rc.1/index.json
git tag release-x
git -c user.name=t -c user.email=t@t commit -q --allow-empty -m four && git tag -d v1.4.0 > /dev/null
git tag not-semver
run_fp 2 build -o o5
assert_contains "$ERR" "which is not a semver version"
assert_no_files o5
