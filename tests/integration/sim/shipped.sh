#!/usr/bin/env bash
# The scenarios shipped in sim/scenarios/ run and do what their comments
# say, and --svg draws the topology.
source "$(dirname "$0")/lib.sh"

out=$WORK/two-node-ping
svg=()
command -v dot >/dev/null && svg=(--svg) # Graphviz; CI has it
run_ok "$SCENARIOS/two-node-ping.sim" "$out" "${svg[@]}"
expect_log "$out" b "5 packets transmitted, 5 received, 0% packet loss"
expect_log "$out" b "time=10.0"
((${#svg[@]} == 0)) || grep -q '<svg' "$out/topology.svg" || fail "no topology.svg"
grep -qF '"a" -- "b" [label="a-b\n5ms, 100Mbit/s"]' "$out/topology.dot" ||
	fail "topology.dot lacks the link: $(cat "$out/topology.dot")"
[[ $(tcpdump -nn -r "$out/a-b.pcap" icmp 2>/dev/null | wc -l) == 10 ]] ||
	fail "a-b.pcap does not hold the 10 ICMP messages"

out=$WORK/tcp-lossy
run_ok "$SCENARIOS/tcp-lossy.sim" "$out"
sum=$(stream_sha256 1048576)
expect_log "$out" srv "received 1048576 bytes"
expect_log "$out" srv "sha256 $sum"
expect_log "$out" cli "sha256 $sum"
grep -q ': loss [0-9]' "$out/summary.txt" || fail "the lossy link lost nothing"

out=$WORK/dhcp-star
run_ok "$SCENARIOS/dhcp-star.sim" "$out"
for i in 1 2 3 4 5 6 7 8 9; do
	expect_log "$out" "c$i" "leased 10.0.0.1"
	expect_log "$out" "c$i" "3 packets transmitted, 3 received"
done
[[ $(grep -ho 'leased 10\.0\.0\.[0-9]*' "$out"/c*.log | sort -u | wc -l) == 9 ]] ||
	fail "the nine clients did not get nine different addresses"

out=$WORK/partition-heal
run_ok "$SCENARIOS/partition-heal.sim" "$out"
expect_log "$out" c "16 packets transmitted, 16 received"
expect_log "$out" b "16 packets transmitted, 10 received"
grep -q '"why":"partition"' "$out/trace.jsonl" || fail "no partition drops traced"
out=$WORK/echo-client
run_ok "$SCENARIOS/echo-client.sim" "$out"
expect_log "$out" udp "20 sent, 20 answered with an echo, 0 not; round trip min/avg/max"
expect_log "$out" tcp "20 sent, 20 answered with an echo, 0 not"
expect_log "$out" udp "reply 20 from 10.0.0.1:7007, 14 bytes in "

# The client fails when no reply comes, or the port is closed.
cat >"$WORK/no-echo.sim" <<'SIM'
node server daemon=yes echo ip=10.0.0.1/24 --udp=7007 --tcp=0
node lost client ip=10.0.0.2/24 -u -e -n 2 -i 10 -w 100 10.0.0.9 7007
node closed client ip=10.0.0.3/24 -u -e 10.0.0.1 7008
node none client ip=10.0.0.4/24 -e -w 100 10.0.0.1 7007
switch sw
link server sw
link lost sw
link closed sw
link none sw
SIM
status=0
run_sim "$WORK/no-echo.sim" "$WORK/no-echo" || status=$?
[[ $status == 1 ]] || fail "a failing client left the run's status $status"
expect_log "$WORK/no-echo" lost "client: 2: no reply within 100 ms"
expect_log "$WORK/no-echo" lost "2 sent, 0 answered with an echo, 2 not"
expect_log "$WORK/no-echo" closed "client: 1: receive: Connection refused"
expect_log "$WORK/no-echo" none "cannot connect to 10.0.0.1:7007"
echo "ok: every shipped scenario"
