#!/usr/bin/env bash
# User-mode networking with no privilege at all (when this is root, the
# image runs as nobody): httpd takes its address by DHCP from libslirp,
# and curl on 127.0.0.1 reaches it through a hostfwd rule.
. "$(dirname "$0")/netns.sh" "$@"
. "$(dirname "$0")/httpd_pages.sh"
net_require_backend
net_require curl:curl python3:python3
net_unprivileged
port=$(net_free_port tcp)
NET_AS=("${NET_UNPRIVILEGED[@]}")
net_image img "$(net_image_path httpd)" "--net=user,hostfwd=tcp::$port-:80" \
	-- ip=dhcp
net_wait_line img 'httpd: serving on port 80'
net_wait_line img 'dhcp: if0 leased 10\.0\.2\.15/24 from 10\.0\.2\.2'
http_check_pages "http://127.0.0.1:$port"
net_pass "curl 127.0.0.1:$port reaches httpd on $NET_SUFFIX through hostfwd${NET_AS:+, run as nobody}"
