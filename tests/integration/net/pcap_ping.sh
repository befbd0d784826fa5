#!/usr/bin/env bash
# Ping an image attached with --net=pcap to one end of a veth pair, and
# send it a UDP datagram to echo: Linux is in a namespace at the other end;
# the image's end has no address of its own, so every reply comes from
# the image.
. "$(dirname "$0")/netns.sh" "$@"
net_require_root
net_require_backend
net_require ping:iputils-ping nc:netcat-openbsd
net_ns_new PEER
net_ns_new NET_NS
net_veth "$PEER" veth-peer 10.0.8.1/24 "$NET_NS" veth-img -
net_image img "$(net_image_path rawnet)" --net=pcap:veth-img \
	-- serve 10.0.8.2 60
net_wait_line img 'rawnet: serving'

out=$(net_in "$PEER" ping -c 3 -i 0.2 -W 2 10.0.8.2 2>&1)
grep -q ' 3 received' <<<"$out" || net_fail "ping: $out"
net_wait_line img 'net0: echo reply to 10.0.8.1 seq=3'
out=$(printf 'over pcap' | net_in "$PEER" timeout 10 nc -u -w 1 10.0.8.2 7)
[ "$out" = 'over pcap' ] || net_fail "UDP echo: got '$out'"
net_pass "Linux pings and UDP-echoes the image through pcap on a veth"
