#!/usr/bin/env bash
# 100 MB over TCP each way, through a TAP device, with the Linux stack as
# the peer (tcp_peer.py); each end hashes what it sent or received and the
# SHA-256 must match: Linux to the image and the image to Linux (the
# tcpxfer test image, which prints its own hash), then both ways at once
# through the echo app. Prints the transfer times.
. "$(dirname "$0")/netns.sh" "$@"
net_require_root
net_require_backend
net_require python3:python3
net_tap_setup
BYTES=${NET_BULK_BYTES:-104857600}
NET_LIFETIME=240
peer=(python3 "$(dirname "$0")/tcp_peer.py")

# The value after "sha256 " on the line of NAME's log that matches $2.
sha_of() {
	grep -E -- "$2" "$(net_log "$1")" | sed -n 's/.* sha256 \([0-9a-f]*\).*/\1/p'
}

# Linux sends, the image receives.
net_image rx "$(net_image_path tcpxfer)" "--net=tap:$NET_TAP" \
	-- "ip=$NET_IMAGE_IP/24" recv 5001
net_wait_line rx 'tcpxfer: listening on port 5001'
out=$(net_in "$NET_NS" timeout 200 "${peer[@]}" send "$NET_IMAGE_IP" 5001 "$BYTES") ||
	net_fail "sending to the image: $out"
net_wait_exit rx 30
[ "$NET_STATUS" = 0 ] || net_fail "tcpxfer recv ended with status $NET_STATUS"
theirs=$(sha_of rx "tcpxfer: received $BYTES bytes in")
[ -n "$theirs" ] && [ "$theirs" = "${out##* sha256 }" ] ||
	net_fail "Linux sent: $out; the image: $(grep 'received.*sha256' "$(net_log rx)")"
echo "ok: Linux to the image: $out"

# The image sends, Linux receives.
net_start sink "$NET_NS" "${peer[@]}" recv 5002
net_wait_line sink 'listening on port 5002'
net_image tx "$(net_image_path tcpxfer)" "--net=tap:$NET_TAP" \
	-- "ip=$NET_IMAGE_IP/24" send "$NET_HOST_IP" 5002 "$BYTES"
net_wait_exit tx 200
[ "$NET_STATUS" = 0 ] || net_fail "tcpxfer send ended with status $NET_STATUS"
net_wait_exit sink 30
[ "$NET_STATUS" = 0 ] || net_fail "the receiving end failed"
ours=$(sha_of sink "^received $BYTES bytes")
[ -n "$ours" ] && [ "$ours" = "$(sha_of tx "tcpxfer: sent $BYTES bytes in")" ] ||
	net_fail "hashes differ"
echo "ok: the image to Linux: $(grep '^received' "$(net_log sink)")"

# Both ways at once: the echo app sends back what it gets while more
# comes in. Its default memory is too small for a window this size on
# kvm, so it gets more.
net_image echo "$(net_image_path echo)" --mem=64M "--net=tap:$NET_TAP" \
	-- "ip=$NET_IMAGE_IP/24"
net_wait_line echo 'echo: serving tcp port 7'
out=$(net_in "$NET_NS" timeout 200 "${peer[@]}" echo "$NET_IMAGE_IP" 7 "$BYTES") ||
	net_fail "through echo: $out"
echo "ok: $out"
net_pass "$BYTES bytes each way over TCP on $NET_SUFFIX, hashes equal"
