#!/usr/bin/env bash
# TAP devices that cannot be used are refused (with the launcher's status
# for a host failure, NET_STATUS_HOST) with what to do: down, not a TAP,
# no permission, in use. The advice for users without root is checked
# too: a TAP made for the user works.
. "$(dirname "$0")/netns.sh" "$@"
net_require_root
net_require_backend
net_unprivileged
img=$(net_image_path rawnet)
args=(serve 10.0.9.2 1)
net_ns_new NET_NS

ip -n "$NET_NS" tuntap add dev tapdown mode tap
net_refused host '^network interface tapdown is down; bring it up with: ip link set tapdown up' \
	"$img" --net=tap:tapdown -- "${args[@]}"

net_refused host '^lo is not a TAP device' "$img" --net=tap:lo -- "${args[@]}"
ip -n "$NET_NS" tuntap add dev tun0 mode tun
ip -n "$NET_NS" link set tun0 up
net_refused host '^tun0 is not a TAP device .*create a TAP with: ip tuntap add dev tun0 mode tap' \
	"$img" --net=tap:tun0 -- "${args[@]}"

# Owned by root: some kernels let anyone attach a TAP that has no owner.
ip -n "$NET_NS" tuntap add dev tap0 mode tap user 0
net_dev_up "$NET_NS" tap0 10.0.9.1/24
NET_AS=("${NET_UNPRIVILEGED[@]}")
net_refused host '^TAP device tap0: permission denied; run as root, or create the TAP owned by your user: ip tuntap add dev tap0 mode tap user \$USER' \
	"$img" --net=tap:tap0 -- "${args[@]}"
NET_AS=()

net_image first "$img" --net=tap:tap0 -- serve 10.0.9.2 60
net_wait_line first 'rawnet: serving'
net_refused host '^TAP device tap0 is in use by another program' \
	"$img" --net=tap:tap0 -- "${args[@]}"

ip -n "$NET_NS" tuntap add dev tapmine mode tap user 65534
net_dev_up "$NET_NS" tapmine -
NET_AS=("${NET_UNPRIVILEGED[@]}")
net_command "$img" --net=tap:tapmine -- "${args[@]}"
net_expect 0 'rawnet: serving 10.0.9.2 on 1 interface' \
	ip netns exec "$NET_NS" "${NET_CMD[@]}"
net_pass "unusable TAP devices are refused with the fix"
