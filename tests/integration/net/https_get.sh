#!/usr/bin/env bash
# httpd --https through a TAP device (posix, kvm, baremetal), with curl,
# openssl s_client and misbehaving clients on the Linux side: its pages
# byte for byte over kept-alive TLS connections, the certificate chain,
# SNI and ALPN, session resumption, and clients that send garbage
# mid-handshake or leave without close_notify or say nothing (each
# logged; the image keeps serving).
. "$(dirname "$0")/netns.sh" "$@"
. "$(dirname "$0")/httpd_pages.sh"
net_require_root
net_require_backend
net_require curl:curl openssl:openssl python3:python3 nc:netcat-openbsd
net_tap_setup
cert=$NET_BUILD/apps/httpd/cert.pem
[ -e "$cert" ] || net_fail "no $cert: the build makes it"
net_image img "$(net_image_path httpd)" "--net=tap:$NET_TAP" \
	-- "ip=$NET_IMAGE_IP/24" loglevel=debug -- --https
net_wait_line img 'httpd: serving HTTPS on port 443'

HTTP_CURL=(net_in "$NET_NS" curl --cacert "$cert"
	--resolve "unilab.test:443:$NET_IMAGE_IP")
http_check_pages "https://unilab.test"

s_client() {
	net_in "$NET_NS" timeout "$NET_WAIT" openssl s_client \
		-connect "$NET_IMAGE_IP:443" -CAfile "$cert" \
		-verify_return_error -alpn http/1.1 "$@" </dev/null 2>&1
}
out=$(s_client -servername unilab.test -sess_out "$NET_TMP/session")
grep -q 'Verify return code: 0 (ok)' <<<"$out" &&
	grep -q 'ALPN protocol: http/1.1' <<<"$out" &&
	grep -q 'Protocol *: TLSv1.2' <<<"$out" ||
	net_fail "s_client: $out"
net_wait_line img "SNI 'unilab.test', ALPN 'http/1.1'"
echo "ok: s_client verifies the chain; TLS 1.2, ALPN http/1.1; the image saw SNI unilab.test"

out=$(s_client -servername unilab.test -sess_in "$NET_TMP/session")
grep -q '^Reused, TLSv1.2' <<<"$out" || net_fail "no resumption: $out"
echo "ok: the session resumes"

out=$(net_in "$NET_NS" python3 "$(dirname "$0")/tls_peer.py" garbage "$NET_IMAGE_IP" 443) ||
	net_fail "garbage client: $out"
net_wait_line img 'tls: handshake with .* failed: '
echo "ok: garbage mid-handshake: $out; image: $(grep -m1 'handshake with .* failed' "$(net_log img)" | sed 's/.*tls: //')"

out=$(net_in "$NET_NS" python3 "$(dirname "$0")/tls_peer.py" no-close \
	"$NET_IMAGE_IP" 443 "$cert" unilab.test) || net_fail "no-close client: $out"
net_wait_line img 'failed: the peer closed the connection without close_notify'
echo "ok: a client that leaves without close_notify: $out; logged"

# A client that connects and says nothing: httpd gives a handshake 10 s.
net_in "$NET_NS" bash -c "sleep 13 | nc $NET_IMAGE_IP 443" >/dev/null 2>&1 &
net_wait_line img 'failed: handshake timeout' 15
echo "ok: a silent client: handshake timeout, logged"

got=$(http_curl -o /dev/null --write-out '%{http_code}' "https://unilab.test/") &&
	[ "$got" = 200 ] || net_fail "httpd stopped serving after the bad clients ($got)"
net_pass "HTTPS from httpd through TAP $NET_TAP on $NET_SUFFIX"
