#!/usr/bin/env bash
# ./unilab serve: httpd as a service that boots on demand. Nothing boots
# before the first request; curl gets the page; after --idle-exit seconds
# without traffic the image ends, the service waits, and the next curl
# boots a fresh one. Bad options get status 2 and a message.
#
#   serve.sh BUILD_DIR SOURCE_DIR
. "$(dirname "$0")/lib.sh"
need_backend kvm
command -v curl >/dev/null || skip "needs curl"
# A TCP port: the UDP search, checked for TCP too.
port=$(free_udp_port)
while [[ -n $(ss -Htln "sport = :$port") ]]; do port=$((port + 1)); done
log=$(mktemp)
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$log"' EXIT

expect_refused() {
	local re=$1 out status
	shift
	out=$(unilab serve "$@" 2>&1)
	status=$?
	[[ $status == 2 ]] || fail "serve $*: status $status, want 2: $out"
	grep -qE -- "$re" <<<"$out" || fail "serve $*: no /$re/ in: $out"
}
expect_refused 'which host port' httpd
expect_refused "bad --port '0'" httpd --port=0
expect_refused 'only the kvm backend' httpd --port=8080 --backend=posix
expect_refused "bad --idle-exit 'soon'" httpd --port 8080 --idle-exit soon
echo "ok: bad serve options are refused with status 2"

# $! must be ./unilab itself, which becomes the monitor (exec).
"$SRC/unilab" serve httpd --port="$port" --idle-exit=1 >"$log" 2>&1 &
server=$!
wait_for "$log" 120 'waiting for the first request' ||
	fail "serve did not start: $(cat "$log")"
grep -q 'httpd: serving' "$log" && fail "httpd booted before any request"
page=$(curl -sf --max-time 10 "http://127.0.0.1:$port/hello.json") ||
	fail "the first request failed: $(cat "$log")"
[[ $page == *hello* ]] || fail "unexpected page: $page"
wait_for "$log" 10 'guest ended \(status 0\)' ||
	fail "the image did not end after 1 s without traffic: $(cat "$log")"
curl -sf --max-time 10 -o /dev/null "http://127.0.0.1:$port/hello.json" ||
	fail "the request after the idle exit failed: $(cat "$log")"
boots=$(grep -c 'httpd: serving' "$log")
[[ $boots == 2 ]] || fail "want 2 boots, saw $boots: $(cat "$log")"
echo "ok: ./unilab serve httpd booted on the first request, ended when idle, booted again"
