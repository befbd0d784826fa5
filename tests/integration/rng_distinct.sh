#!/usr/bin/env bash
# Boot the rng app twice and check that the core's CSPRNG gave different
# first 32 bytes: a backend whose entropy source is missing or replays
# (a constant seed, a snapshot) fails here.
#
#   rng_distinct.sh BUILD_ROOT SUFFIX [LAUNCHER...]
set -u
build=$1 suffix=$2
shift 2
. "$(dirname "$0")/backend_check.sh"
skip_unless_runnable "$suffix" "${1:-}"

image=$build/apps/rng/rng.$suffix
first() {
	local out
	out=$(timeout 60 "$@" "$image" 2>&1) || { echo "FAIL: rng: $out"; exit 1; }
	out=$(tail -n 1 <<<"$out")
	[[ $out =~ ^[0-9a-f]{64}$ ]] || { echo "FAIL: not 32 bytes in hex: $out"; exit 1; }
	echo "$out"
}
a=$(first "$@") || { echo "$a"; exit 1; }
b=$(first "$@") || { echo "$b"; exit 1; }
echo "boot 1: $a"
echo "boot 2: $b"
[ "$a" != "$b" ] || { echo "FAIL: two boots gave the same bytes"; exit 1; }
echo "ok: two boots on $suffix gave different bytes"
