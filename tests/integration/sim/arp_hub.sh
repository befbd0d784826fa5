#!/usr/bin/env bash
# The echo hub of sim/scenarios/echo-hub.sim: 99 clients ping one hub at
# once and every one gets all its replies (its ARP cache holds them all).
# Then the same with arp_entries=64 on the hub: 64 clients are served in
# full and 35 not at all; entries in use are never taken for another
# address, so no client loses replies midway to ARP thrash.
source "$(dirname "$0")/lib.sh"

served() { grep -lF '5 packets transmitted, 5 received' "$1"/c*.log | wc -l; }
unserved() { grep -lF '5 packets transmitted, 0 received' "$1"/c*.log | wc -l; }

out=$WORK/echo-hub
run_ok "$SCENARIOS/echo-hub.sim" "$out"
n=$(served "$out")
((n == 99)) || fail "$n of 99 clients got their 5 replies"

sed 's/^node hub daemon=yes echo /&arp_entries=64 /' "$SCENARIOS/echo-hub.sim" \
	>"$WORK/small.sim"
grep -q 'arp_entries=64' "$WORK/small.sim" || fail "cannot make the small-cache scenario"
out=$WORK/small
run_sim "$WORK/small.sim" "$out" || true # 35 clients fail, as they must
n=$(served "$out") m=$(unserved "$out")
((n == 64 && m == 35)) ||
	fail "arp_entries=64: $n clients served in full, $m not at all (want 64 and 35)"
echo "ok: 99 of 99 clients served; with arp_entries=64, 64 in full and 35 refused, none in part"
