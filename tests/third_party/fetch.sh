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
#
# JS glue: a module whose name appears in glue.tsv also gets CACHE_DIR/<name>.pkg, a symlink to
# CACHE_DIR/pkg/<name>-<tarball sha256, 16 hex>/ holding the listed files (each pinned by sha256) and the
# module, at their paths inside the tarball (package/...), so the package's own JS loads it as published.
# That directory is built in the private temp dir, renamed into place whole (a rename onto an existing
# complete directory fails, and the loser discards its copy), then the symlink is replaced by rename.
# A kept directory is re-checked file by file on every run; a damaged one is moved aside and rebuilt.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tsv="$here/modules.tsv"
glue_tsv="$here/glue.tsv"
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

# glue_rows NAME: the "path<TAB>sha256" rows of glue.tsv for module NAME (none if glue.tsv is absent).
glue_rows() {
  [ -r "$glue_tsv" ] || return 0
  awk -F'\t' -v n="$1" '$1 == n && $1 !~ /^#/ { if (NF != 3 || $3 == "") { print "malformed" ; exit 1 } print $2 "\t" $3 }' \
    "$glue_tsv" || die "malformed row for '$1' in $glue_tsv (want name, path, sha256)"
}

# glue_ok DIR NAME MODPATH MODSHA: DIR holds every glue file of NAME and the module, with their hashes.
glue_ok() {
  local dir=$1 gpath gsha
  [ -f "$dir/$3" ] && [ "$(sha256_of "$dir/$3")" = "$4" ] || return 1
  while IFS=$'\t' read -r gpath gsha; do
    [ -n "$gpath" ] || continue
    [ -f "$dir/$gpath" ] && [ "$(sha256_of "$dir/$gpath")" = "$gsha" ] || return 1
  done < <(glue_rows "$2")
}

fetched=0 kept=0 glued=0
while IFS=$'\t' read -r name pkg tar_sha path mod_sha _toolchain _size _features; do
  case "$name" in ''|'#'*) continue ;; esac
  [ -n "$mod_sha" ] || die "malformed row for '$name' in $tsv"
  dest="$cache/$name.wasm"
  rows=$(glue_rows "$name")
  [ "$rows" != malformed ] || die "malformed row for '$name' in $glue_tsv (want name, path, sha256)"
  pkg_dir="$cache/pkg/$name-${tar_sha:0:16}" pkg_link="$cache/$name.pkg"

  need_wasm=1 need_glue=0
  if [ -f "$dest" ] && [ "$(sha256_of "$dest")" = "$mod_sha" ]; then need_wasm=0; fi
  if [ -n "$rows" ]; then
    if ! glue_ok "$pkg_dir" "$name" "$path" "$mod_sha"; then
      need_glue=1
    elif [ "$(readlink "$pkg_link" 2>/dev/null)" != "pkg/$name-${tar_sha:0:16}" ]; then
      ln -s "pkg/$name-${tar_sha:0:16}" "$tmp_root/$name.link" && mv -fT "$tmp_root/$name.link" "$pkg_link" ||
        die "$name: cannot link $pkg_link"
    fi
  fi
  if [ $need_wasm = 0 ] && [ $need_glue = 0 ]; then
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

  if [ $need_glue = 1 ]; then
    # The package's files at their tarball paths, module included, checked one by one.
    glue="$work/glue"
    mkdir -p "$glue/$(dirname "$path")"
    cp "$work/x/$path" "$glue/$path"
    while IFS=$'\t' read -r gpath gsha; do
      tar -xzf "$tarball" -C "$glue" -- "$gpath" 2>"$work/tar.err" || {
        cat "$work/tar.err" >&2
        die "$name: cannot extract glue file '$gpath' from $pkg tarball"
      }
      got=$(sha256_of "$glue/$gpath")
      [ "$got" = "$gsha" ] || die "$name: glue file sha256 mismatch for $pkg:$gpath: expected $gsha, got $got"
    done <<< "$rows"
    chmod -R a+rX,go-w "$glue"
    mkdir -p "$cache/pkg"
    if [ -e "$pkg_dir" ]; then
      # Damaged (or half-removed by hand): move it aside; readers of a complete copy never see this state.
      mv -f "$pkg_dir" "$tmp_root/$name.damaged" 2>/dev/null || true
    fi
    # A concurrent run may win this rename; its copy is as good as ours.
    mv -T "$glue" "$pkg_dir" 2>/dev/null || glue_ok "$pkg_dir" "$name" "$path" "$mod_sha" ||
      die "$name: cannot move glue files into $pkg_dir"
    ln -s "pkg/$name-${tar_sha:0:16}" "$tmp_root/$name.link" && mv -fT "$tmp_root/$name.link" "$pkg_link" ||
      die "$name: cannot link $pkg_link"
    echo "fetched $name glue ($(printf "%s\n" "$rows" | wc -l) files + module into $pkg_dir)" >&2
    glued=$((glued + 1))
  fi
  if [ $need_wasm = 1 ]; then
    mv -f "$work/x/$path" "$dest" || die "$name: cannot move module into $dest"
    echo "fetched $name ($pkg:$path)" >&2
    fetched=$((fetched + 1))
  fi
  rm -rf "$work"
done < "$tsv"

echo "fetch.sh: $fetched fetched, $glued glue sets fetched, $kept already cached" >&2
echo "$cache"
