#!/usr/bin/env bash
# DHCP and DNS against dnsmasq (the Linux side's server, started here on
# the TAP): the image takes its address, gateway and DNS server by DHCP,
# resolves a name dnsmasq serves and pings it (apps/ping); a name that
# does not exist is reported; Linux reaches the leased address.
. "$(dirname "$0")/netns.sh" "$@"
net_require_root
net_require_backend
net_require dnsmasq:dnsmasq-base ping:iputils-ping
net_tap_setup
name=gateway.unilab.test
# --no-ping: dnsmasq would first ping each address it offers and wait 3 s;
# --local: it answers for unilab.test alone (NXDOMAIN for other names there).
net_start dnsmasq "$NET_NS" dnsmasq --no-daemon --conf-file=/dev/null \
	--interface="$NET_TAP" --bind-interfaces --except-interface=lo \
	--no-resolv --no-hosts --no-ping --log-dhcp --log-queries \
	--local=/unilab.test/ \
	--dhcp-range=10.0.9.50,10.0.9.99,255.255.255.0,1h \
	--dhcp-leasefile="$NET_TMP/leases" --pid-file= \
	--host-record="$name,$NET_HOST_IP"
net_wait_line dnsmasq "sockets bound exclusively to interface $NET_TAP"

net_image ping "$(net_image_path ping)" "--net=tap:$NET_TAP" \
	-- ip=dhcp -- -c 3 -i 200 "$name"
net_wait_exit ping 30
[ "$NET_STATUS" = 0 ] || net_fail "ping $name ended with status $NET_STATUS"
net_wait_line ping "dhcp: if0 leased 10\.0\.9\.[0-9]+/24 from $NET_HOST_IP"
addr=$(sed -n 's/.*dhcp: if0 leased \([0-9.]*\)\/.*/\1/p' "$(net_log ping)")
net_wait_line dnsmasq "DHCPACK\($NET_TAP\) $addr "
net_wait_line dnsmasq "query\[A\] $name from $addr"
net_wait_line ping "PING $name \($NET_HOST_IP\)"
net_wait_line ping '3 packets transmitted, 3 received'
echo "ok: leased $addr from dnsmasq; $name resolved to $NET_HOST_IP and pinged:" \
	"$(grep '^rtt' "$(net_log ping)")"

net_image nxdomain "$(net_image_path ping)" "--net=tap:$NET_TAP" \
	-- ip=dhcp -- -c 1 nosuch.unilab.test
net_wait_exit nxdomain 30
[ "$NET_STATUS" != 0 ] || net_fail "ping of a name that does not exist succeeded"
net_wait_line dnsmasq 'query\[A\] nosuch\.unilab\.test'
net_wait_line nxdomain '^ping: nosuch\.unilab\.test: Name or service not known$'
echo "ok: $(grep '^ping: nosuch' "$(net_log nxdomain)") (status $NET_STATUS)"

net_image echo "$(net_image_path echo)" "--net=tap:$NET_TAP" -- ip=dhcp
net_wait_line echo 'echo: serving udp port 7'
addr=$(sed -n 's/.*dhcp: if0 leased \([0-9.]*\)\/.*/\1/p' "$(net_log echo)")
[ -n "$addr" ] || net_fail "the echo app got no lease"
out=$(net_in "$NET_NS" ping -c 3 -i 0.2 -W 2 "$addr" 2>&1)
grep -q ' 3 received' <<<"$out" || net_fail "ping $addr: $out"
echo "ok: Linux pings the leased address $addr"
net_pass "DHCP and DNS against dnsmasq on $NET_SUFFIX"
