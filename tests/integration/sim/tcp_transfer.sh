#!/usr/bin/env bash
# 10 MiB over TCP across a link with 10% loss, 50 ms latency each way and
# reordering (5% of frames held back up to 10 ms, plus 1 ms of jitter)
# arrives whole: both ends print the stream's sha256.
source "$(dirname "$0")/lib.sh"

bytes=10485760
cat >"$WORK/xfer.sim" <<SIM
node srv tcpxfer ip=10.0.0.1/24 recv 5001
node cli tcpxfer ip=10.0.0.2/24 send 10.0.0.1 5001 $bytes
link cli srv latency=50ms jitter=1ms bandwidth=10Mbit loss=10% reorder=5%
SIM
run_ok "$WORK/xfer.sim" "$WORK/out"
sum=$(stream_sha256 $bytes)
expect_log "$WORK/out" srv "received $bytes bytes"
expect_log "$WORK/out" srv "sha256 $sum"
expect_log "$WORK/out" cli "sha256 $sum"
grep -q '"reordered":true' "$WORK/out/trace.jsonl" || fail "nothing was reordered"
echo "ok: $(grep -o 'received.*' "$WORK/out/srv.log" | tail -1)"
