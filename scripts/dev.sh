#!/usr/bin/env bash
# One entry point for developers and CI: installs what is missing (Debian 12 packages only), configures,
# builds, then runs the demo build or the test suite.
#   scripts/dev.sh demo     build the bundled example with fleetpack and print its result table
#   scripts/dev.sh test     run the whole test suite (ctest)
# Environment: BUILD_DIR (default build), FLEETPACK_SANITIZE=1 (ASan+UBSan build in build-asan).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake ninja-build g++ pkg-config clang-format       # build, format check
  binaryen wabt libcli11-dev libyaml-cpp-dev libfmt-dev libzstd-dev nlohmann-json3-dev libsodium-dev duktape-dev
  libgtest-dev clang lld nodejs zstd duktape libxml2-utils    # tests (xmllint for JUnit) and the demo engine (clang --target=wasm32)
  libcurl4-openssl-dev                                # remote cache client
  nginx curl                                          # remote cache tests: nginx with WebDAV on loopback
  minisign jq                                         # release tests: signatures checked by minisign, manifests read with jq
  chromium                                            # browser test: the loader and JS fallback in headless Chromium
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "dev.sh: installing ${missing[*]}" >&2
  sudo=""; [[ $(id -u) == 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

build_dir=${BUILD_DIR:-build}
cmake_args=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [[ ${FLEETPACK_SANITIZE:-0} == 1 ]]; then
  build_dir=${BUILD_DIR:-build-asan}
  cmake_args+=(-DFLEETPACK_ENABLE_SANITIZERS=ON)
fi
cmake -S . -B "$build_dir" "${cmake_args[@]}" >/dev/null
cmake --build "$build_dir"

case "${1:-}" in
  demo) exec "$build_dir/fleetpack" build --config examples/demo/fleetpack.yaml ;;
  test) exec ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" ;;
  build) ;;
  *) echo "usage: scripts/dev.sh demo|test|build" >&2; exit 2 ;;
esac
