#!/usr/bin/env bash
# Scenario actions do what they say (events.sim), and a node that fails
# makes the run fail: exit status 1 and "FAILED" in the summary.
source "$(dirname "$0")/lib.sh"

out=$WORK/events
run_ok "$HERE/events.sim" "$out"
trace=$out/trace.jsonl
for e in link-down link-up link-set; do
	grep -q "\"event\":\"$e\",\"link\":\"a-b\"" "$trace" || fail "no $e in the trace"
done
# Pings sent while the link was down are lost on it.
grep -q '"event":"drop".*"link":"a-b".*"why":"link-down"' "$trace" ||
	fail "no link-down drops"
# 4 s to 6 s: 100 ms each way.
expect_log "$out" b "time=200.0"
expect_log "$out" a "-- killed by the scenario (line 14)"
expect_log "$out" a "-- started: echo"
[[ $(grep -c -- "-- started: echo" "$out/a.log") == 2 ]] || fail "a did not restart"
grep -q '"event":"end","node":"a","how":"killed"' "$trace" || fail "no kill traced"
grep -Eq '^  c +killed by the scenario at 9\.000000000$' "$out/summary.txt" ||
	fail "c's kill is not in the summary"
grep -Eq '^  a +still running at the end \(a daemon\)$' "$out/summary.txt" ||
	fail "a is not running at the end"
expect_log "$out" b "24 packets transmitted"

# Failures: a non-zero exit, a crash, a node that never finishes.
cat >"$WORK/fail.sim" <<'SIM'
node st faults status 3
node crash faults bad-pointer
node slow rawnet serve 10.0.0.1 100
link st slow
until 5s
SIM
status=0
run_sim "$WORK/fail.sim" "$WORK/fail" || status=$?
sum=$WORK/fail/summary.txt
[[ $status == 1 ]] || fail "a failing run exited $status, not 1"
grep -Eq '^  st +exited with status 3 at' "$sum" || fail "st: $(cat "$sum")"
grep -Eq '^  crash +(exited with status [1-9]|killed by signal)' "$sum" ||
	fail "crash: $(cat "$sum")"
grep -Eq '^  slow +still running at the end: it did not finish$' "$sum" ||
	fail "slow: $(cat "$sum")"
grep -q '^result: FAILED$' "$sum" || fail "the result is not FAILED"
grep -Eq '^ +see st\.log and st\.stderr$' "$sum" ||
	fail "the summary does not name st's files: $(cat "$sum")"
grep -Eq '^ +see slow\.log and slow\.stderr$' "$sum" ||
	fail "the summary does not name slow's files: $(cat "$sum")"
grep -q '^ended at 5.000000000 s of virtual time: the time limit$' "$sum" ||
	fail "the run did not stop at until"
echo "ok: actions and failures"
