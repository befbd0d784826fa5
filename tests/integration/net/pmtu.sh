#!/usr/bin/env bash
# Path-MTU discovery: a client fetches httpd's 1 MB page across a link of
# MTU 1280 in the middle of the path (image -- router -- 1280 -- middle --
# client, every other link 1500, so both ends' MSS say 1460). The image
# sets DF on TCP, so the router answers its big segments with ICMP
# "fragmentation needed" and the image must shrink them (RFC 1191). Then
# the same through a black hole: the router's end of the small link set
# back to 1500 (a mismatched link: the far end drops what is too big and
# no one sends ICMP); the image's timeouts must find a size that passes
# (RFC 4821).
. "$(dirname "$0")/netns.sh" "$@"
. "$(dirname "$0")/httpd_pages.sh"
net_require_root
net_require_backend
net_require curl:curl

net_tap_setup
net_ns_new MID_NS
net_ns_new CLIENT_NS
net_veth "$NET_NS" r0 10.0.12.1/24 "$MID_NS" m0 10.0.12.2/24
ip -n "$NET_NS" link set r0 mtu 1280
ip -n "$MID_NS" link set m0 mtu 1280
net_veth "$MID_NS" m1 10.0.13.1/24 "$CLIENT_NS" c0 10.0.13.2/24
for ns in "$NET_NS" "$MID_NS"; do
	ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
done
ip -n "$NET_NS" route add 10.0.13.0/24 via 10.0.12.2
ip -n "$MID_NS" route add default via 10.0.12.1
ip -n "$CLIENT_NS" route add default via 10.0.13.1
HTTP_CURL=(net_in "$CLIENT_NS" curl)
BASE=http://$NET_IMAGE_IP

# The image's counters, from the client.
lowered() {
	http_curl "$BASE/stats" | sed -n 's/^tcp_mss_lowered //p'
}

# Start httpd as NAME $1, fetch the big page across the path, and check
# that the MSS came down; $2 says how the path told the image.
fetch_across() {
	local n
	net_image "$1" "$(net_image_path httpd)" "--net=tap:$NET_TAP" \
		-- "ip=$NET_IMAGE_IP/24" "gw=$NET_HOST_IP"
	net_wait_line "$1" 'httpd: serving on port 80'
	http_check_big_page "$BASE"
	n=$(lowered)
	[ "${n:-0}" -ge 1 ] ||
		net_fail "$2: the MSS was never lowered (tcp_mss_lowered ${n:-?})"
	echo "ok: $2: tcp_mss_lowered $n"
	kill "${NET_PIDS[$1]}"
	net_wait_exit "$1"
}

fetch_across icmp "fragmentation needed"
# The black hole: the router sends 1500-byte packets on, the middle's
# end of the link (MTU 1280) drops them, and nobody says a word.
ip -n "$NET_NS" link set r0 mtu 1500
fetch_across hole "a black hole"
net_pass "1 MB through a 1280-byte link on $NET_SUFFIX, with ICMP and without"
