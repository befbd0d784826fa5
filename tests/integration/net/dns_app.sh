#!/usr/bin/env bash
# The dns app through a TAP device, asked by dig(1): every record type,
# CNAME chains, NXDOMAIN and NODATA with the SOA, a referral with glue,
# REFUSED, TC and the fall-back to TCP, EDNS0 sizes, then a batch
# of malformed and unserved queries (dns_garbage.py: FORMERR, NOTIMP) after which it still answers.
. "$(dirname "$0")/netns.sh" "$@"
net_require_root
net_require_backend
net_require dig:bind9-dnsutils python3:python3
net_tap_setup
net_command "$(net_image_path dns)" "--net=tap:$NET_TAP" -- nosuch.zone
out=$(net_in "$NET_NS" timeout 20 "${NET_CMD[@]}" 2>&1) && net_fail "dns served nothing: $out"
grep -q '^dns: no zone file nosuch.zone in the image; it has: example.zone reverse.zone' \
	<<<"$out" || net_fail "dns nosuch.zone: $out"
echo "ok: a zone file the image lacks: $(grep '^dns:' <<<"$out")"
net_image img "$(net_image_path dns)" "--net=tap:$NET_TAP" \
	-- "ip=$NET_IMAGE_IP/24"
net_wait_line img 'dns: serving udp and tcp port 53'

# dig ARGS...: the whole answer, with the server and no recursion.
ask() {
	net_in "$NET_NS" dig +norec +time=3 +tries=2 "@$NET_IMAGE_IP" "$@" 2>&1
}

# expect_short WANT ARGS...: dig +short prints exactly WANT (sorted lines).
expect_short() {
	local want=$1 got
	shift
	got=$(ask +short "$@" | sort)
	[ "$got" = "$(sort <<<"$want")" ] ||
		net_fail "dig $*: got '$got', want '$want'"
	echo "ok: $*: $(tr '\n' ' ' <<<"$got")"
}

# expect_header REGEX ARGS...: the answer's header lines match REGEX.
expect_header() {
	local re=$1 out
	shift
	out=$(ask "$@")
	grep -Eq -- "$re" <<<"$(grep -E 'status:|flags:' <<<"$out" | tr '\n' ' ')" ||
		net_fail "dig $*: header not /$re/: $out"
	echo "ok: $*: /$re/"
	LAST=$out
}

expect_short 192.0.2.1 example.test A
expect_short 2001:db8::1 example.test AAAA
expect_short $'ns1.example.test.\nns2.example.test.' example.test NS
expect_short $'10 mail.example.test.\n20 mail2.elsewhere.test.' example.test MX
expect_short '"v=spf1 mx -all"' example.test TXT
expect_short '"two strings" "in one; record" "unquoted" "\"escaped\"" "AB"' \
	text.example.test TXT
expect_short '0 5 80 host.example.test.' _http._tcp.example.test SRV
expect_short 'ns1.example.test. hostmaster.example.test. 2026120401 7200 900 1209600 300' \
	example.test SOA
expect_short example.test. -x 192.0.2.1
expect_short 192.0.2.54 NS2.Example.TEST A
expect_short $'web.example.test.\nhost.example.test.\n192.0.2.80' www.example.test A
expect_short www.elsewhere.test. away.example.test A

expect_header 'status: NOERROR.*flags: qr aa;' example.test A
expect_header 'status: NXDOMAIN.*flags: qr aa;.*AUTHORITY: 1' nope.example.test A
grep -Eq '^example\.test\.[[:space:]]+300[[:space:]]+IN[[:space:]]+SOA' <<<"$LAST" ||
	net_fail "NXDOMAIN without the SOA (TTL its minimum, 300): $LAST"
expect_header 'status: NOERROR.*ANSWER: 0, AUTHORITY: 1' host.example.test TXT
expect_header 'status: NOERROR.*ANSWER: 0, AUTHORITY: 1' b.example.test A
expect_header 'status: NOERROR.*flags: qr;.*ANSWER: 0, AUTHORITY: 2, ADDITIONAL: 3' \
	www.sub.example.test A
grep -Eq '^ns\.sub\.example\.test\..*192\.0\.2\.153' <<<"$LAST" ||
	net_fail "referral without its glue: $LAST"
expect_header 'status: NOERROR.*ADDITIONAL: 3' example.test MX
grep -Eq '^mail\.example\.test\..*A[[:space:]]+192\.0\.2\.25' <<<"$LAST" ||
	net_fail "MX answer without the exchange's address: $LAST"
expect_header 'status: REFUSED' example.org A
expect_header 'status: REFUSED' example.test A CH
expect_header 'status: NOERROR.*ANSWER: 2,' loop1.example.test A

# 40 A records: 686 bytes. Without EDNS (512) or with a 600-byte EDNS
# size the UDP answer is truncated; dig then asks again over TCP.
expect_header 'flags: qr aa tc;.*ANSWER: 0,' +noedns +ignore many.example.test A
expect_header 'flags: qr aa tc;.*ANSWER: 0,' +bufsize=600 +ignore many.example.test A
expect_header 'ANSWER: 40,' +noedns many.example.test A
grep -q 'Truncated, retrying in TCP mode' <<<"$LAST" ||
	net_fail "dig did not fall back to TCP: $LAST"
expect_header 'ANSWER: 40,' +bufsize=1232 +ignore many.example.test A
expect_header 'ANSWER: 40,' +tcp many.example.test A
expect_header 'status: BADVERS' +edns=1 +noednsneg example.test A

net_in "$NET_NS" timeout 60 python3 "$(dirname "$0")/dns_garbage.py" \
	"$NET_IMAGE_IP" || net_fail "the malformed queries"
expect_short 192.0.2.80 host.example.test A
net_pass "the dns app answers dig on $NET_SUFFIX"
