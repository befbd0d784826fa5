# netns.sh: helpers for network tests, sourced by each test script. A test
# makes its own network namespaces (TAP devices or veth pairs inside, the
# Linux stack as the peer), starts images in the background, waits for
# their lines, runs commands in a namespace, and leaves nothing behind: an
# EXIT trap stops every process and deletes every namespace it made.
#
# A test script is called as  SCRIPT BUILD_ROOT SUFFIX [LAUNCHER...]
# (like ../run_case.sh) and starts with
#
#   . "$(dirname "$0")/netns.sh" "$@"
#   net_require_root                      # or nothing: user-mode needs none
#   net_tap_setup                         # NET_NS with NET_TAP, NET_HOST_IP
#   net_image img "$(net_image_path rawnet)" "--net=tap:$NET_TAP" \
#       -- serve "$NET_IMAGE_IP"
#   net_wait_line img 'serving'
#   net_in "$NET_NS" ping -c 3 "$NET_IMAGE_IP" || net_fail "no ping"
#   net_pass "ping through a TAP"
#
# Exit status: 0 pass, 1 fail (with every log printed), 77 skip (with why).

NET_BUILD=${1:?usage: $0 BUILD_ROOT SUFFIX [LAUNCHER...]}
NET_SUFFIX=${2:?usage: $0 BUILD_ROOT SUFFIX [LAUNCHER...]}
NET_LAUNCHER=("${@:3}")
NET_TMP=$(mktemp -d "${TMPDIR:-/tmp}/unilab-net.XXXXXX")
NET_NAMESPACES=()
NET_AS=()
declare -A NET_PIDS=()
NET_ID=${NET_ID:-ul$$}   # namespace names start with it: unique per test
# The launcher's exit status for a bad option and for an interface it
# cannot attach (posix images: 2 for both; unilab-kvm: 120 and 122).
NET_STATUS_USAGE=${NET_STATUS_USAGE:-2}
NET_STATUS_HOST=${NET_STATUS_HOST:-2}

# Longest any helper waits, and longest an image may live: a hung test
# ends by itself.
NET_WAIT=${NET_WAIT:-15}
NET_LIFETIME=${NET_LIFETIME:-120}

net_cleanup() {
	local name ns
	for name in "${!NET_PIDS[@]}"; do
		kill "${NET_PIDS[$name]}" 2>/dev/null
	done
	wait 2>/dev/null
	for ns in "${NET_NAMESPACES[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$NET_TMP"
}
trap net_cleanup EXIT

net_skip() {
	echo "SKIP: $*"
	exit 77
}

# Print every log the test made, then fail.
net_fail() {
	local log
	echo "FAIL: $*"
	for log in "$NET_TMP"/*.log; do
		[ -e "$log" ] || continue
		echo "--- $(basename "$log" .log):"
		cat "$log"
	done
	exit 1
}

net_pass() {
	echo "ok: $*"
	exit 0
}

# Skip unless this process may make namespaces and devices.
net_require_root() {
	[ "$(id -u)" = 0 ] ||
		net_skip "needs root to make network namespaces and TAP devices"
	local probe="${NET_ID}probe" out
	out=$(ip netns add "$probe" 2>&1) ||
		net_skip "cannot make a network namespace (ip netns add: $out)"
	ip netns del "$probe"
}

# Skip unless every command named exists ("CMD:PACKAGE" says which
# Debian package brings it).
net_require() {
	local c
	for c in "$@"; do
		command -v "${c%%:*}" >/dev/null ||
			net_skip "needs ${c%%:*} (Debian package ${c#*:})"
	done
}

# The path of image NAME (an app or a test image) for this backend.
net_image_path() {
	local p="$NET_BUILD/apps/$1/$1.$NET_SUFFIX"
	[ -e "$p" ] || p="$NET_BUILD/tests/images/$1/$1.$NET_SUFFIX"
	echo "$p"
}

# Skip when this backend cannot run here (kvm: no usable /dev/kvm).
net_require_backend() {
	if [ "$NET_SUFFIX" = kvm ] && ! { [ -r /dev/kvm ] && [ -w /dev/kvm ]; }; then
		net_skip "the kvm backend needs read and write access to /dev/kvm"
	fi
}

# Run a command that must fail: net_expect STATUS REGEX CMD... checks its
# exit status and that its output (stdout and stderr) matches REGEX.
net_expect() {
	local want=$1 re=$2 out status
	shift 2
	out=$(timeout "$NET_WAIT" "$@" 2>&1)
	status=$?
	[ "$status" = "$want" ] ||
		net_fail "$*: exit status $status, want $want; output: $out"
	grep -Eq -- "$re" <<<"$out" ||
		net_fail "$*: no line matches /$re/; output: $out"
	echo "ok: $(basename "$1") ${*:2}: $(grep -Em1 -- "$re" <<<"$out")"
}

# An image that must be refused before it boots (in namespace NET_NS, if
# set), with KIND "usage" (a bad option) or "host" (an interface that
# cannot be attached):
# net_refused KIND REGEX IMAGE [BACKEND OPTIONS...] -- [IMAGE ARGS...].
# The message is the same on every backend; a launcher's starts with its
# name ("unilab-kvm: "), which a REGEX anchored with ^ may leave out.
net_refused() {
	local status=$NET_STATUS_USAGE re=$2
	[ "$1" = host ] && status=$NET_STATUS_HOST
	local in_ns=()
	[ "${re:0:1}" = '^' ] && re="^([a-z-]+: )?${re:1}"
	[ -n "${NET_NS:-}" ] && in_ns=(ip netns exec "$NET_NS")
	shift 2
	net_command "$@"
	net_expect "$status" "$re" "${in_ns[@]}" "${NET_CMD[@]}"
}

# NET_UNPRIVILEGED: a command prefix that runs what follows as nobody
# when this is root (nothing otherwise), keeping the group of /dev/kvm for
# the kvm backend: what an image needs beyond that, a test must make.
net_unprivileged() {
	NET_UNPRIVILEGED=()
	[ "$(id -u)" = 0 ] || return 0
	net_require setpriv:util-linux
	local groups=--clear-groups
	[ "$NET_SUFFIX" = kvm ] && groups=--groups=$(stat -c %g /dev/kvm)
	NET_UNPRIVILEGED=(setpriv --reuid=65534 --regid=65534 "$groups")
}

# A new namespace with its loopback up; its name goes in variable $1.
net_ns_new() {
	local ns="$NET_ID-${#NET_NAMESPACES[@]}"
	ip netns add "$ns" || net_fail "cannot make namespace $ns"
	NET_NAMESPACES+=("$ns")
	ip -n "$ns" link set lo up
	printf -v "$1" '%s' "$ns"
}

# Run a command in namespace $1 ("-": this one).
net_in() {
	local ns=$1
	shift
	if [ "$ns" = - ]; then
		"$@"
	else
		ip netns exec "$ns" "$@"
	fi
}

# Give device $2 of namespace $1 the address $3 (CIDR; "-" for none) and
# bring it up. No IPv6: its neighbour discovery would only add frames to
# what the tests count.
net_dev_up() {
	local ns=$1 dev=$2 addr=$3
	ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1"
	[ "$addr" = - ] || ip -n "$ns" addr add "$addr" dev "$dev"
	ip -n "$ns" link set "$dev" up
}

# A TAP device $2 in namespace $1 with address $3, up; images in that
# namespace attach to it with --net=tap:$2.
net_tap() {
	ip -n "$1" tuntap add dev "$2" mode tap || net_fail "cannot make TAP $2"
	net_dev_up "$@"
}

# A veth pair: device $2 in namespace $1 with address $3, device $5 in
# namespace $4 with address $6 ("-" for none). Offloads are off on both
# ends: through a veth, checksums left to the (absent) hardware and
# segments bigger than the MTU would reach an image captured with pcap
# as they are, and it would drop them.
net_veth() {
	net_require ethtool:ethtool
	ip link add "$2" netns "$1" type veth peer name "$5" netns "$4" ||
		net_fail "cannot make veth pair $2/$5"
	ip netns exec "$1" ethtool -K "$2" tx off tso off gso off gro off >/dev/null
	ip netns exec "$4" ethtool -K "$5" tx off tso off gso off gro off >/dev/null
	net_dev_up "$1" "$2" "$3"
	net_dev_up "$4" "$5" "$6"
}

# The usual set-up: a fresh namespace NET_NS holding TAP device NET_TAP
# with address NET_HOST_IP/24; the image is to use NET_IMAGE_IP.
net_tap_setup() {
	net_ns_new NET_NS
	NET_TAP=tap0
	NET_HOST_IP=10.0.9.1
	NET_IMAGE_IP=10.0.9.2
	net_tap "$NET_NS" "$NET_TAP" "$NET_HOST_IP/24"
}

# Start command (in namespace $2, "-" for this one) in the background as
# NAME $1, its output in NAME's log.
net_start() {
	local name=$1 ns=$2
	shift 2
	# Not through net_in: its subshell would be the process recorded, and
	# the cleanup's kill would leave the command running. ip netns exec
	# becomes timeout, which passes the kill on to the command.
	if [ "$ns" = - ]; then
		timeout "$NET_LIFETIME" "$@" >"$NET_TMP/$name.log" 2>&1 &
	else
		ip netns exec "$ns" timeout "$NET_LIFETIME" "$@" \
			>"$NET_TMP/$name.log" 2>&1 &
	fi
	NET_PIDS[$name]=$!
}

# The command that runs an image, in array NET_CMD: net_command IMAGE
# [BACKEND OPTIONS...] -- [IMAGE ARGS...]. The backend's options go where
# its launcher takes them (posix: after the image; kvm: before it). It
# starts with the prefix in array NET_AS, if any (NET_UNPRIVILEGED).
net_command() {
	local image=$1 opts=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	if [ ${#NET_LAUNCHER[@]} -eq 0 ]; then
		NET_CMD=("${NET_AS[@]}" "$image" "${opts[@]}" "$@")
	else
		NET_CMD=("${NET_AS[@]}" "${NET_LAUNCHER[@]}" "${opts[@]}" "$image" "$@")
	fi
}

# Start an image as NAME $1 in namespace NET_NS (or this one when it is
# unset): net_image NAME IMAGE [BACKEND OPTIONS...] -- [IMAGE ARGS...].
net_image() {
	local name=$1
	shift
	net_command "$@"
	net_start "$name" "${NET_NS:--}" "${NET_CMD[@]}"
}

net_log() {
	echo "$NET_TMP/$1.log"
}

# Wait until a line of NAME's output matches the extended regexp $2, for
# up to $3 seconds (NET_WAIT); fail if it does not or NAME ends first.
# (grep -s: the background job of net_start may not have made the log yet.)
net_wait_line() {
	local name=$1 re=$2 seconds=${3:-$NET_WAIT} i
	for ((i = 0; i < seconds * 10; i++)); do
		grep -Eqs -- "$re" "$NET_TMP/$name.log" && return 0
		kill -0 "${NET_PIDS[$name]}" 2>/dev/null || break
		sleep 0.1
	done
	grep -Eqs -- "$re" "$NET_TMP/$name.log" && return 0
	net_fail "$name never printed a line matching /$re/"
}

# Wait up to $2 seconds (NET_WAIT) for NAME to end; its status in
# NET_STATUS (124: killed by the NET_LIFETIME timeout).
net_wait_exit() {
	local name=$1 seconds=${2:-$NET_WAIT} i
	for ((i = 0; i < seconds * 10; i++)); do
		kill -0 "${NET_PIDS[$name]}" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "${NET_PIDS[$name]}" 2>/dev/null &&
		net_fail "$name still runs after $seconds s"
	wait "${NET_PIDS[$name]}"
	NET_STATUS=$?
	unset "NET_PIDS[$name]"
}

# A TCP or UDP port ($1) on 127.0.0.1 that nothing uses right now.
net_free_port() {
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET,
                  socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' "$1"
}
