#!/usr/bin/env bash
# The core option idle-exit=SECONDS: the image ends with status 0 once no
# frame has come in or gone out for that long, and traffic puts the end
# off. httpd with user-mode networking: requests for a while (each one
# well within the idle time of the last), then quiet. A bad value is
# refused.
. "$(dirname "$0")/netns.sh" "$@"
net_require_backend
net_require curl:curl python3:python3
port=$(net_free_port tcp)
net_image img "$(net_image_path httpd)" "--net=user,hostfwd=tcp::$port-:80" \
	-- ip=10.0.2.15/24 gw=10.0.2.2 idle-exit=1.5
net_wait_line img 'httpd: serving on port 80'
for i in 1 2 3 4 5 6; do
	curl -sf -o /dev/null --max-time 5 "http://127.0.0.1:$port/" ||
		net_fail "request $i failed"
	sleep 0.5
done
# 3 s of requests, twice the idle time: only the traffic kept it up.
kill -0 "${NET_PIDS[img]}" 2>/dev/null ||
	net_fail "the image ended while it had traffic"
net_wait_exit img 10
[ "$NET_STATUS" = 0 ] || net_fail "idle-exit ended the image with status $NET_STATUS, want 0"
net_wait_line img 'no network traffic for 1500 ms: exiting \(idle-exit\)'
echo "ok: traffic kept the image up; 1.5 s without it ended it with status 0"
# As a bad ip= is: the stack does not start, and httpd ends with 1.
net_command "$(net_image_path httpd)" --net=user -- idle-exit=0
net_expect 1 'bad idle-exit=0 \(want seconds' "${NET_CMD[@]}"
net_pass "idle-exit on $NET_SUFFIX"
