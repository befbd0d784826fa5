#!/usr/bin/env bash
# Virtual time costs no real time when nothing happens: two nodes that wait
# 60 virtual seconds (rawnet serves for 60 s, and no one sends) finish in
# well under a second of real time, at exactly 60 s of virtual time.
source "$(dirname "$0")/lib.sh"

cat >"$WORK/sleep.sim" <<'SIM'
node a rawnet serve 10.0.0.1 60
node b rawnet serve 10.0.0.2 60
link a b latency=1ms
SIM
start=$(date +%s%N)
run_ok "$WORK/sleep.sim" "$WORK/out"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
grep -q '^ended at 60.000000000 s of virtual time' "$WORK/out/summary.txt" ||
	fail "did not end at 60 s: $(head -2 "$WORK/out/summary.txt")"
expect_log "$WORK/out" a "done: 0 ARP, 0 echo, 0 UDP replies"
((ms < 1000)) || fail "60 virtual seconds took $ms ms of real time"
echo "ok: 60 virtual seconds in $ms ms"
