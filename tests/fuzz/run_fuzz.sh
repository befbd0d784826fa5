#!/bin/sh
# A short libFuzzer run from the seed corpus. New inputs go to a scratch
# directory (the corpus in the tree is left alone); a crash leaves its
# input in the current directory as fuzz-crash-*.
# usage: run_fuzz.sh FUZZER CORPUS SECONDS
set -eu
fuzzer=$1 corpus=$2 seconds=$3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$fuzzer" -max_total_time="$seconds" -seed=1 -max_len=4096 \
	-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=fuzz-crash- \
	"$scratch" "$corpus"
