# Shared by the front-door tests: ./unilab of the source tree, building in
# the build directory under test. Sourced; $1 of the test is that build
# directory, $2 the source tree.
set -u
BUILD_DIR=$1 SRC=$2
export UNILAB_BUILD=$BUILD_DIR
unilab() { "$SRC/unilab" "$@"; }

fail() {
	echo "FAIL: $*"
	exit 1
}

skip() {
	echo "SKIP: $*"
	exit 77
}

# Skip unless backend $1 can boot images here.
need_backend() {
	case $1 in
	kvm) { exec 3<>/dev/kvm; } 2>/dev/null || skip "cannot open /dev/kvm read-write" ;;
	baremetal) why=$("$SRC/backends/baremetal/run-qemu.sh" --check) || skip "$why" ;;
	xen) why=$("$SRC/backends/xen/run-xen.sh" --check) || skip "$why" ;;
	esac
}

# A UDP port of 127.0.0.1 nothing listens on, from one that depends on our
# pid, so that tests running side by side pick different ones.
free_udp_port() {
	local port
	for ((port = 20000 + $$ % 20000; ; port++)); do
		[[ -z $(ss -Huln "sport = :$port") ]] && { echo "$port"; return; }
	done
}

# Wait up to $2 seconds for file $1 to have a line matching regexp $3.
wait_for() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		grep -qE -- "$3" "$1" && return 0
		sleep 0.1
	done
	return 1
}
