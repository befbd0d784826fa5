#!/usr/bin/env bash
# 100 nodes on one switch: 50 answer, 50 each ping one of them five times
# (ARP broadcasts reach all 100); every pinger gets its replies.
source "$(dirname "$0")/lib.sh"

{
	echo "switch sw"
	echo "defaults latency=1ms bandwidth=1Gbit"
	for i in $(seq 1 50); do
		echo "node s$i daemon=yes rawnet serve 10.0.1.$i 60"
		echo "node c$i rawnet ping 10.0.2.$i 10.0.1.$i 5"
		echo "link s$i sw"
		echo "link c$i sw"
	done
} >"$WORK/scale.sim"
start=$(date +%s%N)
run_ok "$WORK/scale.sim" "$WORK/out"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
grep -q '^result: ok' "$WORK/out/summary.txt" || fail "the run failed"
for i in $(seq 1 50); do
	expect_log "$WORK/out" "c$i" "echo reply from 10.0.1.$i seq=5"
done
echo "ok: 100 nodes in $ms ms; $(tail -1 "$WORK/out.err")"
