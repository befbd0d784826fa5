#!/usr/bin/env bash
# httpd keeps serving during a SYN flood (SYN cookies, RFC 4987): hping3
# floods the image from one namespace for NET_FLOOD_SECONDS (10; longer
# until 5 fetches are made) while
# curl fetches a page again and again from another; at least 99% of the
# fetches must succeed, and /stats must show the cookies that did it.
# The SYNs come from an address nobody has (10.0.10.99), as an attacker's
# spoofed ones do: no RST ever frees a half-open entry. They come at
# 20,000 a second (as hping3 keeps to it): thousands of times what fills
# the half-open queue, which is the attack SYN cookies answer, yet below
# what the image reads off its TAP. hping3's --flood would instead overflow the
# TAP's queue, and a link that drops most frames loses a client's SYN and
# its four retries (curl gives up after 30 s) whatever the stack does.
# Topology: flood (10.0.10.2) and client (10.0.11.2) namespaces reach the
# image (10.0.9.2, on a TAP) through a router namespace (NET_NS).
. "$(dirname "$0")/netns.sh" "$@"
net_require_root
net_require_backend
net_require curl:curl hping3:hping3
FLOOD_SECONDS=${NET_FLOOD_SECONDS:-10}
NET_LIFETIME=170 # the image outlives the longest flood (FLOOD_MAX below)

net_tap_setup
ip netns exec "$NET_NS" sysctl -qw net.ipv4.ip_forward=1
net_ns_new FLOOD_NS
net_ns_new CLIENT_NS
net_veth "$NET_NS" r0 10.0.10.1/24 "$FLOOD_NS" f0 10.0.10.2/24
net_veth "$NET_NS" r1 10.0.11.1/24 "$CLIENT_NS" c0 10.0.11.2/24
ip -n "$FLOOD_NS" route add default via 10.0.10.1
ip -n "$CLIENT_NS" route add default via 10.0.11.1

net_image img "$(net_image_path httpd)" "--net=tap:$NET_TAP" \
	-- "ip=$NET_IMAGE_IP/24" "gw=$NET_HOST_IP"
net_wait_line img 'httpd: serving on port 80'
net_in "$CLIENT_NS" curl -s -o /dev/null --max-time 10 "http://$NET_IMAGE_IP/" ||
	net_fail "no page from httpd before the flood"

# The flood lasts FLOOD_SECONDS, and longer (up to FLOOD_MAX) until
# MIN_FETCHES fetches have been made: on a loaded machine a fetch whose
# SYN is lost waits 1, 3, 7 s, and two fetches say little about 99%.
MIN_FETCHES=5 FLOOD_MAX=90
net_start flood "$FLOOD_NS" timeout "$FLOOD_MAX" \
	hping3 -q -S -i u50 -a 10.0.10.99 -p 80 "$NET_IMAGE_IP"
sleep 1 # the flood is under way before the first fetch
ok=0 failed=0 started=$SECONDS
while kill -0 "${NET_PIDS[flood]}" 2>/dev/null &&
	((SECONDS - started < FLOOD_SECONDS || ok + failed < MIN_FETCHES)); do
	# A SYN lost in the flood is sent again after 1, 3, 7 s: a fetch may
	# take a while; it must not fail.
	t0=$SECONDS
	if net_in "$CLIENT_NS" curl -s -o /dev/null --max-time 30 \
		"http://$NET_IMAGE_IP/"; then
		ok=$((ok + 1))
	else
		echo "fetch $((ok + failed + 1)) failed after $((SECONDS - t0)) s: curl status $?"
		failed=$((failed + 1))
	fi
done
flooded=$((SECONDS - started))
kill "${NET_PIDS[flood]}" 2>/dev/null || true
total=$((ok + failed))
echo "fetches during ${flooded} s of flood: $ok of $total succeeded"
stats=$(net_in "$CLIENT_NS" curl -s --max-time 10 "http://$NET_IMAGE_IP/stats") ||
	net_fail "no /stats after the flood"
cookies=$(grep -E '^tcp_cookies_(sent|ok) |^tcp_syn_dropped |^tcp_passive_opens ' <<<"$stats" | paste -sd ' ')
echo "the stack's counters: $cookies"
[ "$total" -ge "$MIN_FETCHES" ] ||
	net_fail "only $total fetches in ${flooded} s of flood (the flood ended first)"
[ $((ok * 100)) -ge $((total * 99)) ] ||
	net_fail "$failed of $total fetches failed during the flood (want >= 99% to succeed)"
grep -Eq '^tcp_cookies_sent [1-9]' <<<"$stats" ||
	net_fail "the flood never filled the half-open queue (no cookies sent): $cookies"
net_pass "$ok of $total fetches succeeded during a ${flooded} s SYN flood on $NET_SUFFIX"
