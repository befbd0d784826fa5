#!/usr/bin/env bash
# The client side of <unilab/tls.h>: the tlsclient app fetches a file from
# openssl s_server in a namespace, through a TAP device, byte for byte (by
# SHA-256), twice (the second time resuming the session); and refuses a
# server whose certificate is for another name, or signed by a CA it does
# not trust, saying so.
. "$(dirname "$0")/netns.sh" "$@"
net_require_root
net_require_backend
net_require openssl:openssl
net_tap_setup
cert=$NET_BUILD/apps/httpd/cert.pem key=$NET_BUILD/apps/httpd/key.pem
[ -e "$cert" ] || net_fail "no $cert: the build makes it"
www=$(dirname "$0")/../../../apps/httpd/www
mkdir -p "$NET_TMP/www" "$NET_TMP/other"
cp "$www/index.html" "$NET_TMP/www/"
want=$(sha256sum <"$NET_TMP/www/index.html")
want="body $(stat -c %s "$NET_TMP/www/index.html") bytes, sha256 ${want%% *}"

# s_server -WWW serves the files of its working directory.
s_server() {
	net_start server "$NET_NS" bash -c "cd '$NET_TMP/www' && exec openssl s_server \
		-quiet -accept 443 -WWW -cert '$1' -key '$2'"
	sleep 0.5
}
# Run tlsclient with ARGS to its end; its output in $out, status in NET_STATUS.
tlsclient() {
	net_image client "$(net_image_path tlsclient)" "--net=tap:$NET_TAP" \
		-- "ip=10.0.9.2/24" -- "$@"
	net_wait_exit client 30
	out=$(cat "$(net_log client)")
}

s_server "$cert" "$key"
tlsclient --times=2 "$NET_HOST_IP" 443 /index.html
[ "$NET_STATUS" = 0 ] || net_fail "tlsclient: status $NET_STATUS: $out"
grep -q "connected to unilab.test, ALPN '', new session" <<<"$out" &&
	grep -q "connected to unilab.test, ALPN '', resumed session" <<<"$out" &&
	[ "$(grep -c "HTTP/1.0 200 ok, $want" <<<"$out")" = 2 ] ||
	net_fail "tlsclient: want two fetches of $want, the second resumed: $out"
echo "ok: tlsclient fetched index.html from s_server twice ($want), the second time resuming"

tlsclient --name=wrong.test "$NET_HOST_IP" 443 /index.html
[ "$NET_STATUS" = 1 ] && grep -q 'bad certificate: not valid for the server name' <<<"$out" ||
	net_fail "wrong name: status $NET_STATUS: $out"
echo "ok: a certificate for another name: $(grep -m1 'failed' <<<"$out" | sed 's/.*tls: //')"

# No name would mean no name check at all: refused before connecting.
tlsclient --name= "$NET_HOST_IP" 443 /index.html
[ "$NET_STATUS" = 1 ] && grep -q 'handshake failed: Invalid argument' <<<"$out" ||
	net_fail "empty name: status $NET_STATUS: $out"
echo "ok: an empty server name is refused"

kill "${NET_PIDS[server]}"
"$(dirname "$0")/../../../net/tls_cert.sh" "$NET_TMP/other" >/dev/null
s_server "$NET_TMP/other/cert.pem" "$NET_TMP/other/key.pem"
tlsclient "$NET_HOST_IP" 443 /index.html
[ "$NET_STATUS" = 1 ] && grep -q 'unknown CA' <<<"$out" ||
	net_fail "untrusted CA: status $NET_STATUS: $out"
echo "ok: a certificate from a CA not trusted: $(grep -m1 'failed' <<<"$out" | sed 's/.*tls: //')"
net_pass "tlsclient against openssl s_server on $NET_SUFFIX"
