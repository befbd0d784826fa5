#!/usr/bin/env bash
# The same scenario and seed give the same run byte for byte: every log,
# pcap, the trace and the summary hash the same. Another seed changes a
# lossy run (and it still transfers the right bytes).
source "$(dirname "$0")/lib.sh"

scenario=$SCENARIOS/tcp-lossy.sim
run_ok "$scenario" "$WORK/one"
run_ok "$scenario" "$WORK/two"
hashes "$WORK/one" >"$WORK/one.sha"
hashes "$WORK/two" >"$WORK/two.sha"
diff -u "$WORK/one.sha" "$WORK/two.sha" || fail "two runs of seed 1 differ"
[[ $(wc -l <"$WORK/one.sha") == 5 ]] || fail "expected 5 output files"

run_ok "$scenario" "$WORK/seed2" --seed 2
hashes "$WORK/seed2" >"$WORK/seed2.sha"
cmp -s <(grep trace.jsonl "$WORK/one.sha") <(grep trace.jsonl "$WORK/seed2.sha") &&
	fail "seed 2 gave the same trace as seed 1"
sum=$(stream_sha256 1048576)
expect_log "$WORK/seed2" srv "sha256 $sum"
echo "ok: identical runs for one seed, a different run for another"
