#!/usr/bin/env bash
# The dhcpd app against Linux DHCP clients (busybox udhcpc), each in a
# namespace of its own on one bridge with the image's TAP: two clients
# get distinct addresses with the options configured; a third finds the
# pool full (no offer); a static lease goes to its MAC; a renewal is
# acknowledged; a released address goes to the next client; an
# address that is another's gets a NAK; INFORM gets options and no lease.
. "$(dirname "$0")/netns.sh" "$@"
net_require_root
net_require_backend
net_require busybox:busybox-static python3:python3
busybox udhcpc --help >/dev/null 2>&1 || net_skip "this busybox has no udhcpc"
net_ns_new NET_NS
ip -n "$NET_NS" link add br0 type bridge || net_fail "cannot make a bridge"
net_dev_up "$NET_NS" br0 -
ip -n "$NET_NS" tuntap add dev tap0 mode tap || net_fail "cannot make TAP tap0"
ip -n "$NET_NS" link set tap0 master br0
net_dev_up "$NET_NS" tap0 -
# Bad arguments get a clear message and no server.
for bad in "10.0.8.1 5" "10.0.7.1 5" "10.0.7.100 2000" "10.0.7.100 5 --static=zz" \
	"10.0.7.100 5 --static=02:00:00:00:00:01,10.0.7.9 --static=02:00:00:00:00:01,10.0.7.8"; do
	# shellcheck disable=SC2086 # each word of $bad is an argument
	net_command "$(net_image_path dhcpd)" --net=tap:tap0 -- ip=10.0.7.1/24 $bad
	out=$(net_in "$NET_NS" timeout 20 "${NET_CMD[@]}" 2>&1) &&
		net_fail "dhcpd $bad: it started: $out"
	grep -Eq '^(dhcpd: |usage: dhcpd)' <<<"$out" || net_fail "dhcpd $bad: $out"
	echo "ok: dhcpd $bad: $(grep -E '^(dhcpd: |usage: dhcpd)' <<<"$out")"
done
net_image img "$(net_image_path dhcpd)" "--net=tap:tap0" \
	-- ip=10.0.7.1/24 gw=10.0.7.254 dns=10.0.7.53 \
	10.0.7.100 2 60 --static=02:00:00:00:aa:01,10.0.7.50 --domain=lab.test
net_wait_line img 'dhcpd: serving 2 addresses from 10.0.7.100'

# The udhcpc script: note each event, and configure the address as a real
# client would (a renewal is unicast from it).
cat >"$NET_TMP/script" <<'EOF'
#!/bin/sh
echo "$1 ip=$ip subnet=$subnet router=$router dns=$dns domain=$domain lease=$lease" >>"$UDHCPC_LOG"
case $1 in
deconfig) ip -4 addr flush dev "$interface"; ip link set "$interface" up ;;
bound|renew) ip -4 addr flush dev "$interface"; ip addr add "$ip/$subnet" dev "$interface" ;;
esac
EOF
chmod +x "$NET_TMP/script"

# client NAME [MAC]: a namespace NS_NAME with device $NET_ID-NAME on the
# bridge (veths are made here first: names unique to this test).
client() {
	local cns dev="$NET_ID$1" # not "ns": net_ns_new has a local of that name
	net_ns_new cns
	ip link add "${dev}b" netns "$NET_NS" type veth peer name "$dev" \
		netns "$cns" || net_fail "cannot make veth $dev"
	[ -z "${2:-}" ] || ip -n "$cns" link set "$dev" address "$2"
	ip -n "$NET_NS" link set "${dev}b" master br0
	net_dev_up "$NET_NS" "${dev}b" -
	net_dev_up "$cns" "$dev" -
	printf -v "NS_$1" '%s' "$cns"
}

# dhcp NAME UDHCPC-ARGS...: run udhcpc for client NAME in the background;
# its events go to NAME.events, its pid (for the signals that make it
# renew and release) to NAME.pid.
dhcp() {
	local name=$1 ns_var="NS_$1"
	shift
	net_start "$name" "${!ns_var}" env UDHCPC_LOG="$NET_TMP/$name.events" \
		busybox udhcpc -f -i "$NET_ID$name" -s "$NET_TMP/script" -t 4 -T 1 \
		-p "$NET_TMP/$name.pid" "$@"
}

# wait_event NAME REGEX: NAME's events show a line matching REGEX.
wait_event() {
	local i
	for ((i = 0; i < NET_WAIT * 10; i++)); do
		grep -Eqs -- "$2" "$NET_TMP/$1.events" && return 0
		sleep 0.1
	done
	net_fail "client $1: no event matching /$2/: $(cat "$NET_TMP/$1.events" 2>/dev/null)"
}

client c1
client c2
dhcp c1
dhcp c2
opts='subnet=255.255.255.0 router=10.0.7.254 dns=10.0.7.53 domain=lab.test lease=60'
wait_event c1 "^bound ip=10.0.7.10[01] $opts"
wait_event c2 "^bound ip=10.0.7.10[01] $opts"
a1=$(grep -Eo '^bound ip=[0-9.]+' "$NET_TMP/c1.events" | cut -d= -f2)
a2=$(grep -Eo '^bound ip=[0-9.]+' "$NET_TMP/c2.events" | cut -d= -f2)
[ "$a1" != "$a2" ] || net_fail "two clients got one address, $a1"
echo "ok: two clients, two addresses: $a1 and $a2, with $opts"

client c3
net_in "$NS_c3" timeout 20 env UDHCPC_LOG="$NET_TMP/c3.events" \
	busybox udhcpc -f -q -n -i "${NET_ID}c3" -s "$NET_TMP/script" -t 2 -T 1 \
	>/dev/null 2>&1 && net_fail "a third client got a lease from a pool of 2"
net_wait_line img 'dhcpd: no address left for'
echo "ok: the pool is full: the third client gets no offer"

client c4 02:00:00:00:aa:01
dhcp c4
wait_event c4 '^bound ip=10.0.7.50 '
echo "ok: the static lease: 02:00:00:00:aa:01 gets 10.0.7.50"

kill -USR1 "$(cat "$NET_TMP/c1.pid")"
wait_event c1 "^renew ip=$a1 "
echo "ok: c1 renewed $a1"

out=$(net_in "$NS_c3" timeout 10 python3 "$(dirname "$0")/dhcp_probe.py" \
	"${NET_ID}c3" reboot 10.0.7.50) || net_fail "asking for another's address: $out"
echo "ok: asking for another client's address gets a NAK ($out)"
out=$(net_in "$NS_c2" timeout 10 python3 "$(dirname "$0")/dhcp_probe.py" \
	"${NET_ID}c2" inform 10.0.7.1) || net_fail "INFORM: $out"
echo "ok: INFORM gets options and no lease ($out)"

# udhcpc sends its RELEASE and at once removes its address: a ping first
# makes sure the server's MAC is known, so the RELEASE leaves before that.
net_in "$NS_c1" ping -c 1 -W 2 10.0.7.1 >/dev/null || net_fail "c1 cannot ping the server"
kill -USR2 "$(cat "$NET_TMP/c1.pid")"
net_wait_line img "released $a1"
dhcp c3
wait_event c3 "^bound ip=$a1 "
echo "ok: c1 released $a1 and c3, asking again, got it"
net_pass "dhcpd serves busybox udhcpc on $NET_SUFFIX"
