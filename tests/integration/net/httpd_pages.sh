# httpd_pages.sh: what the httpd app must serve, checked with curl; shared
# by the tests that reach it through a TAP and through user-mode hostfwd.
# Sourced after netns.sh:
#
#   HTTP_CURL=(net_in "$NET_NS" curl)     # how to run curl (default: curl)
#   http_check_pages http://10.0.9.2
#
# Fails the test (net_fail) at the first difference.

HTTP_WWW=$(dirname "${BASH_SOURCE[0]}")/../../../apps/httpd/www
HTTP_BIG_SIZE=1048576
HTTP_BIG_SHA256=5d8fe62ef3eb78963086f31ad823dfeb761d164c1452f48bb494bca182b52ab4
HTTP_CURL=(curl)

http_curl() {
	"${HTTP_CURL[@]}" --silent --show-error --max-time 30 "$@"
}

# The small pages, all in one curl run: byte for byte their files in www/,
# with their MIME types, over one kept-alive connection (curl reuses it
# for each further URL of a run, and counts new connections per URL).
http_check_small_pages() {
	local base=$1 page args=() want=() got
	for page in index.html style.css robots.txt hello.json; do
		args+=(-o "$NET_TMP/$page" "$base/$page")
	done
	args+=(-o "$NET_TMP/root.html" "$base/")
	got=$(http_curl --write-out '%{http_code} %{num_connects} %{content_type}\n' \
		"${args[@]}") || net_fail "curl of the small pages failed"
	want=$'200 1 text/html; charset=utf-8\n200 0 text/css\n'
	want+=$'200 0 text/plain; charset=utf-8\n200 0 application/json\n'
	want+='200 0 text/html; charset=utf-8'
	[ "$got" = "$want" ] ||
		net_fail "small pages (status, new connections, type): got
$got
want
$want"
	for page in index.html style.css robots.txt hello.json; do
		cmp -s "$HTTP_WWW/$page" "$NET_TMP/$page" ||
			net_fail "/$page differs from www/$page"
	done
	cmp -s "$HTTP_WWW/index.html" "$NET_TMP/root.html" ||
		net_fail "/ differs from www/index.html"
	echo "ok: 5 pages as in www/, with their types, over 1 kept-alive connection"
}

http_check_big_page() {
	local base=$1 got sum
	got=$(http_curl --write-out '%{http_code} %{size_download} %{time_total}' \
		-o "$NET_TMP/big.txt" "$base/big.txt") || net_fail "curl of /big.txt failed"
	sum=$(sha256sum <"$NET_TMP/big.txt")
	[ "${got% *}" = "200 $HTTP_BIG_SIZE" ] && [ "${sum%% *}" = "$HTTP_BIG_SHA256" ] ||
		net_fail "/big.txt: got status and size ${got% *}, sha256 ${sum%% *}"
	echo "ok: /big.txt: $HTTP_BIG_SIZE bytes in ${got##* } s, sha256 as expected"
}

http_check_errors() {
	local base=$1 got
	got=$(http_curl --write-out '%{http_code}' -o "$NET_TMP/missing" \
		"$base/no/such/page") || net_fail "curl of a missing page failed"
	[ "$got" = 404 ] && grep -q 'Not Found' "$NET_TMP/missing" ||
		net_fail "missing page: status $got, body '$(cat "$NET_TMP/missing")'"
	got=$(http_curl --head --write-out '%{size_download}' "$base/big.txt" | tr -d '\r')
	grep -q "^Content-Length: $HTTP_BIG_SIZE\$" <<<"$got" && [ "${got##*$'\n'}" = 0 ] ||
		net_fail "HEAD /big.txt: got '$got'"
	echo "ok: 404 for a missing page; HEAD gives the length and no body"
}

http_check_pages() {
	http_check_small_pages "$1"
	http_check_big_page "$1"
	http_check_errors "$1"
}
