#!/usr/bin/env bash
# Replace subprojects/bearssl/{src,inc} with a fresh copy of the pinned
# Debian source package, checked against the version in
# subprojects/bearssl/meson.build. Needs a deb-src line (./unilab
# bearssl-update adds one) and the network; the build itself never does.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dest=$root/subprojects/bearssl
want=$(sed -n "s/^project('bearssl', 'c', version: '\([^']*\)'.*/\1/p" "$dest/meson.build")
[ -n "$want" ] || { echo "bearssl-update: no version in $dest/meson.build" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get source -q "bearssl=$want" >/dev/null
src=$(find . -maxdepth 1 -type d -name 'bearssl-*' | head -n 1)
[ -n "$src" ] || { echo "bearssl-update: apt-get source unpacked nothing" >&2; exit 1; }
got=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)
[ "$got" = "$want" ] || { echo "bearssl-update: got $got, want $want" >&2; exit 1; }

rm -rf "$dest/src" "$dest/inc"
cp -r "$src/src" "$src/inc" "$dest/"
cp "$src/LICENSE.txt" "$src/README.txt" "$dest/"
cp "$src/debian/changelog" "$src/debian/copyright" "$dest/debian/"
echo "bearssl-update: subprojects/bearssl is Debian's bearssl $got"
sha256sum bearssl_*
