#!/usr/bin/env bash
# Baremetal virtio-net notifies its device only when it must: the image
# sends and then receives 4 MB over TCP through a TAP device, on QEMU's
# microvm (virtio-mmio) and pc (virtio over PCI), and the counters it
# prints at exit (verbose=1) must show event indices agreed and far fewer
# notifications than frames each way: frames are sent in batches, one
# notification per turn of the event loop, and receive buffers are handed
# back without a word while the device has others.
. "$(dirname "$0")/netns.sh" "$@"
net_require_root
net_require python3:python3
[ "$NET_SUFFIX" = bm ] || net_skip "the counters are the baremetal backend's"
net_tap_setup
BYTES=4194304
# At least this many frames per notification. Batching makes it about 30;
# event indices alone, with a notification per sent frame offered, about
# 6 on microvm and 2 on pc.
RATIO=10
peer=(python3 "$(dirname "$0")/tcp_peer.py")

# Check the line "net0: S frames sent, T notifications; R received, U
# notifications; event index on" in NAME's log, after the bulk went the
# way $2 (send or recv) on machine $3. Only the bulk's direction is
# judged: the other carries Linux's ACKs, whose number depends on how
# Linux coalesces them (a few hundred for 2,900 segments, or fewer).
check_counters() {
	local name=$1 way=$2 line s t r u
	line=$(grep -E 'net0: [0-9]+ frames sent' "$(net_log "$name")")
	[ -n "$line" ] || net_fail "$name printed no counters"
	read -r s t r u < <(echo "$line" | grep -oE '[0-9]+ (frames|notif|rec)' |
		grep -oE '^[0-9]+' | tr '\n' ' ')
	[[ $line == *"event index on"* ]] || net_fail "no event index: $line"
	if [ "$way" = send ]; then
		((s > 2000)) || net_fail "too few frames sent for a verdict: $line"
		((t * RATIO < s)) || net_fail "sending on $3: $line"
	else
		((r > 2000)) || net_fail "too few frames received for a verdict: $line"
		((u * RATIO < r)) || net_fail "receiving on $3: $line"
	fi
	echo "ok ($way, $3): $line"
}

for machine in microvm pc; do
	opts=("--machine=$machine" "--net=tap:$NET_TAP")
	net_start sink "$NET_NS" "${peer[@]}" recv 5002
	net_wait_line sink 'listening on port 5002'
	net_image tx "$(net_image_path tcpxfer)" "${opts[@]}" \
		-- verbose=1 "ip=$NET_IMAGE_IP/24" send "$NET_HOST_IP" 5002 "$BYTES"
	net_wait_exit tx 120
	[ "$NET_STATUS" = 0 ] || net_fail "tcpxfer send on $machine: status $NET_STATUS"
	net_wait_exit sink 30
	check_counters tx send "$machine"

	net_image rx "$(net_image_path tcpxfer)" "${opts[@]}" \
		-- verbose=1 "ip=$NET_IMAGE_IP/24" recv 5001
	net_wait_line rx 'tcpxfer: listening on port 5001' 60
	out=$(net_in "$NET_NS" timeout 120 "${peer[@]}" send "$NET_IMAGE_IP" 5001 "$BYTES") ||
		net_fail "sending to the image on $machine: $out"
	net_wait_exit rx 30
	[ "$NET_STATUS" = 0 ] || net_fail "tcpxfer recv on $machine: status $NET_STATUS"
	check_counters rx recv "$machine"
done
net_pass "fewer than one notification in $RATIO frames each way, on microvm and pc"
