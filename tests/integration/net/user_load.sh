#!/usr/bin/env bash
# User-mode networking under load: wrk keeps 8 connections to httpd busy
# through a hostfwd rule, round after round. Slirp's deep paths (a 64 KB
# frame buffer on the stack) once ran on the image's small thread stacks
# in a posix image and wrote over its heap: it died within a few rounds.
. "$(dirname "$0")/netns.sh" "$@"
. "$(dirname "$0")/httpd_pages.sh"
net_require_backend
net_require curl:curl wrk:wrk python3:python3
port=$(net_free_port tcp)
net_image img "$(net_image_path httpd)" "--net=user,hostfwd=tcp::$port-:80" \
	-- ip=dhcp
net_wait_line img 'httpd: serving on port 80'
net_wait_line img 'dhcp: if0 leased 10\.0\.2\.15/24 from 10\.0\.2\.2'
for round in 1 2 3 4 5 6 7 8; do
	out=$(wrk -c8 -t2 -d1s "http://127.0.0.1:$port/" 2>&1)
	kill -0 "${NET_PIDS[img]}" 2>/dev/null ||
		net_fail "httpd died in wrk round $round: $out"
	grep -q 'Requests/sec' <<<"$out" || net_fail "wrk round $round: $out"
done
grep -Eq 'panic|ERROR' "$(net_log img)" && net_fail "httpd reported an error"
http_check_pages "http://127.0.0.1:$port"
net_pass "httpd on $NET_SUFFIX took 8 rounds of wrk -c8 over user-mode networking"
