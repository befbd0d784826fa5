#!/usr/bin/env bash
# The echo app on the network stack, through a TAP device, with the Linux
# stack as the peer: ping(8) the image, then a UDP and a TCP round trip
# with nc. Prints the RTTs ping measured.
. "$(dirname "$0")/netns.sh" "$@"
net_require_root
net_require_backend
net_require ping:iputils-ping nc:netcat-openbsd
net_tap_setup
net_image img "$(net_image_path echo)" "--net=tap:$NET_TAP" \
	-- "ip=$NET_IMAGE_IP/24"
net_wait_line img 'echo: serving tcp port 7'

out=$(net_in "$NET_NS" ping -c 10 -i 0.2 -W 2 "$NET_IMAGE_IP" 2>&1)
grep -q ' 10 received' <<<"$out" || net_fail "ping: $out"
echo "ok: Linux pings the image: $(grep '^rtt' <<<"$out")"

msg="a datagram from $$"
out=$(printf '%s' "$msg" | net_in "$NET_NS" timeout 10 nc -u -w 1 "$NET_IMAGE_IP" 7)
[ "$out" = "$msg" ] || net_fail "UDP echo: sent '$msg', got '$out'"
echo "ok: nc -u: the datagram came back"

# A stream of many segments: nc -N half-closes after its input, the image
# echoes everything and then closes its side too.
seq 1 20000 >"$NET_TMP/lines"
net_in "$NET_NS" timeout 20 nc -N "$NET_IMAGE_IP" 7 <"$NET_TMP/lines" \
	>"$NET_TMP/echoed" || net_fail "nc over TCP failed"
cmp -s "$NET_TMP/lines" "$NET_TMP/echoed" ||
	net_fail "TCP echo: $(wc -c <"$NET_TMP/echoed") bytes came back of $(wc -c <"$NET_TMP/lines")"
echo "ok: nc: $(wc -c <"$NET_TMP/lines") bytes came back over TCP"
net_pass "ping, UDP and TCP echo through TAP $NET_TAP on $NET_SUFFIX"
