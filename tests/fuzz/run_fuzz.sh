#!/bin/sh
# A libFuzzer run of one target from its seed corpus, for SECONDS. New
# inputs go to a scratch directory (the corpus in the tree is left alone).
# The test suite's runs are repeatable (seed 1); a campaign (--keep) takes
# a random seed. The input of a crash is left as fuzz-crash-HASH in the
# current directory; with --keep it goes into the first corpus folder as
# crash-HASH instead, where every later run, and the target's replay
# test, feed it again.
# usage: run_fuzz.sh [--keep] FUZZER SECONDS CORPUS...
set -eu
keep=false seed=1
if [ "${1:-}" = --keep ]; then
	keep=true seed=0
	shift
fi
[ $# -ge 3 ] || { echo "usage: run_fuzz.sh [--keep] FUZZER SECONDS CORPUS..." >&2; exit 2; }
fuzzer=$1 seconds=$2
shift 2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
status=0
mkdir "$scratch/new" "$scratch/found"
"$fuzzer" -max_total_time="$seconds" -seed="$seed" -timeout=10 \
	-rss_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix="$scratch/found/" "$scratch/new" "$@" || status=$?
[ "$status" -eq 0 ] && exit 0
for crash in "$scratch"/found/*; do
	[ -f "$crash" ] || continue
	name=$(sha1sum "$crash" | cut -c1-16)
	if $keep; then
		cp "$crash" "$1/crash-$name"
		echo "run_fuzz: the input that failed is now in the corpus: $1/crash-$name"
		echo "run_fuzz: fix the bug; the target's replay test feeds it from now on"
	else
		cp "$crash" "fuzz-crash-$name"
		echo "run_fuzz: the input that failed: $PWD/fuzz-crash-$name"
	fi
done
exit "$status"
