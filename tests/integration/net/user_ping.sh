#!/usr/bin/env bash
# User-mode networking without root: the image resolves and pings slirp's
# virtual gateway, which answers for itself.
. "$(dirname "$0")/netns.sh" "$@"
net_require_backend
net_image img "$(net_image_path rawnet)" --net=user \
	-- ping 10.0.2.15 10.0.2.2 3
net_wait_exit img
[ "$NET_STATUS" = 0 ] || net_fail "rawnet ping ended with status $NET_STATUS"
net_wait_line img '10.0.2.2 is at 52:55:0a:00:02:02'
net_wait_line img 'echo reply from 10.0.2.2 seq=3'
net_pass "the image pings the user-mode gateway"
