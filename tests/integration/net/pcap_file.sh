#!/usr/bin/env bash
# --pcap=FILE records every frame the image sends and receives, in a file
# tcpdump reads: the image pings the user-mode gateway 3 times, so the
# file holds exactly one ARP exchange and 3 echo requests and replies.
. "$(dirname "$0")/netns.sh" "$@"
net_require_backend
net_require tcpdump:tcpdump
file=$NET_TMP/ping.pcap
net_image img "$(net_image_path rawnet)" --net=user "--pcap=$file" \
	-- ping 10.0.2.15 10.0.2.2 3
net_wait_exit img
[ "$NET_STATUS" = 0 ] || net_fail "rawnet ping ended with status $NET_STATUS"

tcpdump -n -r "$file" >"$NET_TMP/tcpdump.log" 2>&1 ||
	net_fail "tcpdump cannot read $file"
count() {
	grep -c -- "$1" "$NET_TMP/tcpdump.log"
}
[ "$(grep -c ' IP \| ARP' "$NET_TMP/tcpdump.log")" = 8 ] ||
	net_fail "want 8 frames in $file"
[ "$(count 'ARP, Request who-has 10.0.2.2 tell 10.0.2.15')" = 1 ] &&
	[ "$(count 'ARP, Reply 10.0.2.2 is-at 52:55:0a:00:02:02')" = 1 ] ||
	net_fail "want one ARP request and its reply"
[ "$(count '10.0.2.15 > 10.0.2.2: ICMP echo request')" = 3 ] &&
	[ "$(count '10.0.2.2 > 10.0.2.15: ICMP echo reply')" = 3 ] ||
	net_fail "want 3 echo requests and 3 replies"
grep -q 'link-type EN10MB (Ethernet)' "$NET_TMP/tcpdump.log" ||
	net_fail "the file is not an Ethernet capture"
net_pass "--pcap recorded all 8 frames, tcpdump reads them"
