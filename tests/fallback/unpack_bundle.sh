#!/usr/bin/env bash
# Unpacks one profile's bundle of a release into DEST, as a device's native layer would: every file of
# the manifest at its logical path, decompressed. Usage: unpack_bundle.sh RELEASE_DIR PROFILE DEST
set -euo pipefail
release=$1 profile=$2 dest=$3
manifest="$release/profiles/$profile.json"
mkdir -p "$dest"
node -e '
  const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const f of m.files) console.log([f.sha256, f.encoding, f.path].join("\t"));
  console.error("entry " + m.entry);
' "$manifest" | while IFS=$'\t' read -r sha enc path; do
  mkdir -p "$dest/$(dirname "$path")"
  if [[ $enc == zstd ]]; then zstd -q -d -f "$release/files/$sha" -o "$dest/$path"; else cp "$release/files/$sha" "$dest/$path"; fi
done
