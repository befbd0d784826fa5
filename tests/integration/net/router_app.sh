#!/usr/bin/env bash
# The router app between two namespaces of Linux: an inside one
# (192.168.7.2, a client and a web server) and an outside one
# (10.77.0.2, a web and UDP server), each bridged to one of the router's
# two TAP devices in a third namespace. Checks: curl, ping and UDP
# through masquerade (the outside sees the router's address), the
# forwarded port reaches the inside server, nmap from outside sees the
# denied and unforwarded ports filtered, unsolicited inbound is
# dropped, traceroute sees the router (ICMP time exceeded) and the far
# end (a port unreachable translated back through the NAT), and the
# status port counts what the rules matched; a datagram for a network no
# interface reaches gets "net unreachable" from the router, one too big
# for the outside link "fragmentation needed".
. "$(dirname "$0")/netns.sh" "$@"
net_require_root
net_require_backend
net_require curl:curl nmap:nmap traceroute:traceroute python3:python3

# Bad rule files: a clear error, before any interface is touched.
# bad_rules FILE REGEX: the badrules image refuses rule file FILE.
bad_rules() {
	net_command "$(net_image_path badrules)" -- -- "--rules=$1"
	net_expect 1 "^router: $2" "${NET_CMD[@]}"
}
bad_rules bad-word.rules "bad-word.rules:3: unknown statement .* 'alow'"
bad_rules bad-port.rules "bad-port.rules:2: bad port or range .* '70000'"
bad_rules bad-iface.rules "bad-iface.rules:2: unknown interface 'dmz'"
bad_rules nosuch.rules 'no rule file nosuch.rules in the image'

net_ns_new R   # the router's: two TAPs, each bridged to a veth
net_ns_new IN
net_ns_new OUT
for side in in out; do
	ip -n "$R" link add "br$side" type bridge || net_fail "no bridge"
	net_dev_up "$R" "br$side" -
	net_tap "$R" "tap$side" -
	ip -n "$R" link set "tap$side" master "br$side"
done
net_veth "$R" vin - "$IN" eth0 192.168.7.2/24
net_veth "$R" vout - "$OUT" eth0 10.77.0.2/24
ip -n "$R" link set vin master brin
ip -n "$R" link set vout master brout
ip -n "$IN" route add default via 192.168.7.1
# The outside link is narrower (MTU 1280): what is too big for it, with
# DF set, gets "fragmentation needed" from the router.
ip -n "$R" link set tapout mtu 1280
ip -n "$R" link set vout mtu 1280
ip -n "$OUT" link set eth0 mtu 1280

NET_NS=$R net_image router "$(net_image_path router)" \
	--net=tap:tapin --net=tap:tapout -- ip=192.168.7.1/24,10.77.0.1/24
net_wait_line router 'router: status on tcp port 8000'

# Servers: HTTP on both sides (each logs its clients), UDP echo outside.
mkdir -p "$NET_TMP/www"
echo "outside page" >"$NET_TMP/www/index.html"
mkdir -p "$NET_TMP/inwww"
echo "inside page" >"$NET_TMP/inwww/index.html"
net_start outweb "$OUT" python3 -m http.server -b 10.77.0.2 -d "$NET_TMP/www" 80
net_start inweb "$IN" python3 -m http.server -b 192.168.7.2 -d "$NET_TMP/inwww" 80
net_start inweb2 "$IN" python3 -m http.server -b 192.168.7.2 -d "$NET_TMP/inwww" 8081
net_start outudp "$OUT" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.77.0.2", 7777))
print("udp ready", flush=True)
while True:
    d, a = s.recvfrom(2048)
    s.sendto(d + (" from %s:%d" % a).encode(), a)'
net_wait_line outweb 'Serving HTTP'
net_wait_line inweb 'Serving HTTP'
net_wait_line outudp 'udp ready'
net_wait_line inweb2 'Serving HTTP'

got=$(net_in "$IN" curl -s --max-time 10 http://10.77.0.2/) ||
	net_fail "curl from inside through the NAT failed"
[ "$got" = "outside page" ] || net_fail "curl through NAT got '$got'"
grep -q '^10.77.0.1 ' "$(net_log outweb)" ||
	net_fail "the outside server did not see the router's address"
echo "ok: curl through masquerade, the server saw 10.77.0.1"

net_in "$IN" ping -c 3 -i 0.2 -W 2 10.77.0.2 >/dev/null ||
	net_fail "ping through the NAT"
echo "ok: ping through masquerade"

got=$(net_in "$IN" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
s.bind(("192.168.7.2", 5353))
s.sendto(b"hello", ("10.77.0.2", 7777))
print(s.recv(2048).decode())') || net_fail "no UDP answer through the NAT"
[ "$got" = "hello from 10.77.0.1:5353" ] || net_fail "udp through NAT: '$got'"
echo "ok: udp through masquerade, port kept: $got"

got=$(net_in "$OUT" curl -s --max-time 10 http://10.77.0.1:8080/) ||
	net_fail "the forwarded port 8080 did not reach the inside server"
[ "$got" = "inside page" ] || net_fail "port forward got '$got'"
echo "ok: port 8080 of the router reaches the inside web server"

scan=$(net_in "$OUT" nmap -n -Pn -sS --max-retries 1 -p 22,23,2222,8080 10.77.0.1)
for want in '8080/tcp +open' '2222/tcp +filtered' '23/tcp +filtered' \
	'22/tcp +filtered'; do
	grep -Eq "^$want" <<<"$scan" || net_fail "nmap: no /$want/: $scan"
done
echo "ok: nmap from outside: 8080 open; 22, 23 and the denied 2222 filtered"

# Unsolicited: the outside learns the inside's network and tries a port
# no rule lets in (the inside's own curl shows the server is there).
ip -n "$OUT" route add 192.168.7.0/24 via 10.77.0.1
net_in "$IN" curl -s --max-time 3 http://192.168.7.2:8081/ >/dev/null ||
	net_fail "the inside server on port 8081 does not answer"
net_in "$OUT" curl -s --max-time 3 http://192.168.7.2:8081/ >/dev/null &&
	net_fail "an unsolicited connection from outside reached the inside"
net_in "$OUT" ping -c 1 -W 1 192.168.7.2 >/dev/null &&
	net_fail "an unsolicited ping from outside reached the inside"
echo "ok: unsolicited inbound (tcp, icmp) dropped"

tr=$(net_in "$IN" traceroute -n -q 1 -w 2 -m 4 10.77.0.2 2>&1)
grep -Eq '^ *1 +192\.168\.7\.1 ' <<<"$tr" ||
	net_fail "traceroute did not see the router at hop 1: $tr"
grep -Eq '^ *2 +10\.77\.0\.2 ' <<<"$tr" ||
	net_fail "traceroute did not reach 10.77.0.2 at hop 2: $tr"
echo "ok: traceroute: $(tr -s ' \n' ' ' <<<"$tr")"

got=$(net_in "$IN" ping -n -c 1 -W 2 203.0.113.9 2>&1) &&
	net_fail "a ping to a network no interface reaches got an answer"
grep -q 'From 192.168.7.1 .*Destination Net Unreachable' <<<"$got" ||
	net_fail "no net unreachable from the router: $got"
echo "ok: no route: net unreachable from 192.168.7.1"

# The baremetal virtio-net driver takes no MTU from the device: its
# interfaces are 1500 bytes whatever the TAP's MTU.
too_big=' [1-9][0-9]* too big'
if [ "$NET_SUFFIX" = bm ]; then
	too_big=
	echo "not checked on baremetal: fragmentation needed (its links are 1500)"
else
	got=$(net_in "$IN" ping -n -c 1 -W 2 -M do -s 1400 10.77.0.2 2>&1) &&
		net_fail "a 1428-byte ping with DF crossed a link of MTU 1280"
	grep -q 'From 192.168.7.1 .*Frag needed and DF set (mtu = 1280)' <<<"$got" ||
		net_fail "no fragmentation needed from the router: $got"
	echo "ok: too big with DF: fragmentation needed (mtu 1280) from 192.168.7.1"
fi

status=$(net_in "$IN" nc -w 3 192.168.7.1 8000) || net_fail "no status page"
for want in 'rule line 13: allow in inside .*: [1-9][0-9]* packets' \
	'rule line 14: deny in outside .* port 22-22: [1-9][0-9]* packets' \
	'rule line 15: allow in outside .* port 80-80: [1-9][0-9]* packets' \
	'policy deny: [1-9][0-9]* packets' \
	"forwarding: [1-9][0-9]* forwarded.* [1-9][0-9]* ttl exceeded, [1-9][0-9]* no route,$too_big"; do
	grep -Eq "$want" <<<"$status" || net_fail "status: no /$want/: $status"
done
echo "ok: the status port counts per rule"
echo "$status"
net_pass "router: NAT, port forward, filtering, traceroute, counters"
