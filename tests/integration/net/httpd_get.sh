#!/usr/bin/env bash
# The httpd app on the network stack, through a TAP device, with curl on
# the Linux side: its pages byte for byte, keep-alive, a 1 MB page, 404,
# HEAD, and the stack's and the heap's counters on /stats.
. "$(dirname "$0")/netns.sh" "$@"
. "$(dirname "$0")/httpd_pages.sh"
net_require_root
net_require_backend
net_require curl:curl
net_tap_setup
net_image img "$(net_image_path httpd)" "--net=tap:$NET_TAP" \
	-- "ip=$NET_IMAGE_IP/24"
net_wait_line img 'httpd: serving on port 80'

HTTP_CURL=(net_in "$NET_NS" curl)
http_check_pages "http://$NET_IMAGE_IP"
stats=$(http_curl "http://$NET_IMAGE_IP/stats") || net_fail "curl of /stats failed"
grep -Eq '^tcp_in [1-9][0-9]*$' <<<"$stats" && grep -Eq '^tcp_csum_err 0$' <<<"$stats" ||
	net_fail "/stats: $stats"
# The heap's counters too: in use now (this very connection holds some).
grep -Eq '^heap_in_use [1-9][0-9]*$' <<<"$stats" && grep -Eq '^heap_failures 0$' <<<"$stats" ||
	net_fail "/stats has no heap counters: $stats"
echo "ok: /stats: $(grep -E '^(eth_in|eth_out|tcp_in|tcp_out|heap_in_use) ' <<<"$stats" | paste -sd ' ')"
net_pass "curl GETs from httpd through TAP $NET_TAP on $NET_SUFFIX"
