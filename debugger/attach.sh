#!/usr/bin/env bash
# ./unilab attach PID|NAME [GDB ARGS...]: start gdb on a unilab-kvm
# monitor that is already running. The monitor is asked (SIGUSR1, with a
# free loopback port as the signal's value) to listen for gdb there; gdb
# gets the monitor's image and "target remote" to that port, then GDB ARGS
# (so -batch -ex bt works). Quitting gdb detaches and the guest runs on.
set -euo pipefail

die() {
	printf 'unilab attach: %s\n' "$*" >&2
	exit 1
}

usage() {
	cat <<'EOF'
usage: ./unilab attach PID|NAME [GDB ARGS...]

Attach gdb to a running unilab-kvm: PID is the monitor's process id, NAME
an image it runs (httpd or httpd.kvm; it must be the only one running
it). The guest stops while gdb is attached and runs on after gdb detaches
or quits. GDB ARGS go to gdb after its "target remote", for example
  ./unilab attach httpd -batch -ex 'thread apply all bt'
EOF
}

# The monitor's command line, one word a line.
cmdline() {
	tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null
}

is_monitor() {
	local comm
	comm=$(cat "/proc/$1/comm" 2>/dev/null) || return 1
	[[ $comm == unilab-kvm* ]]
}

# The image a monitor runs: its first word that is not an option (nor the
# value of an option given as a separate word), as the monitor parses it.
image_of() {
	local word skip=false first=true
	while IFS= read -r word; do
		if $first; then first=false; continue; fi
		if $skip; then skip=false; continue; fi
		case $word in
		--mem | --net | --pcap | --disk | --timeout | --gdb | --gdb-listen | --dumpcore)
			skip=true ;;
		--) ;;
		-*) ;;
		*) printf '%s\n' "$word"; return ;;
		esac
	done < <(cmdline "$1")
}

# PID, or the one monitor whose image is called NAME or NAME.kvm.
find_monitor() {
	local want=$1 pid image found=()
	if [[ $want =~ ^[0-9]+$ ]]; then
		[[ -d /proc/$want ]] || die "no process $want"
		is_monitor "$want" ||
			die "process $want is not a unilab-kvm monitor (it is '$(cat "/proc/$want/comm")')"
		echo "$want"
		return
	fi
	for pid in $(pgrep '^unilab-kvm' || true); do
		image=$(basename "$(image_of "$pid")")
		[[ $image == "$want" || $image == "$want.kvm" ]] && found+=("$pid")
	done
	case ${#found[@]} in
	0) die "no running unilab-kvm runs an image called '$want'" ;;
	1) echo "${found[0]}" ;;
	*) die "several unilab-kvm monitors run '$want' (PIDs ${found[*]}): give a PID" ;;
	esac
}

# A loopback TCP port nothing listens on.
free_port() {
	local port i
	for ((i = 0; i < 100; i++)); do
		port=$((20000 + RANDOM % 30000))
		[[ -z $(ss -Htln "sport = :$port") ]] && { echo "$port"; return; }
	done
	die "no free TCP port for gdb"
}

# Whether process $1 listens on 127.0.0.1:$2.
listens() {
	ss -Htlnp "sport = :$2" 2>/dev/null | grep -q "pid=$1,"
}

# Whether a gdb holds a connection to monitor $1: while one is attached
# and the guest stopped, the monitor answers nobody else.
gdb_attached() {
	local peer
	for peer in $(ss -Htnp state established 2>/dev/null |
		awk -v pid="pid=$1," '$3 ~ /^127\.0\.0\.1:/ && index($0, pid) {
			sub(/.*:/, "", $4); print $4 }'); do
		ss -Htnp state established "sport = :$peer" 2>/dev/null |
			grep -q '(("gdb"' && return 0
	done
	return 1
}

main() {
	local pid image port i
	case ${1:-} in
	'') usage >&2; exit 2 ;;
	-h | --help) usage; exit 0 ;;
	esac
	command -v gdb >/dev/null || die "gdb is not installed (./unilab setup)"
	pid=$(find_monitor "$1")
	shift
	image=$(image_of "$pid")
	[[ -n $image ]] || die "cannot tell which image process $pid runs"
	[[ $image == /* ]] || image=$(readlink "/proc/$pid/cwd")/$image
	if gdb_attached "$pid"; then
		die "unilab-kvm $pid has a gdb attached already (one at a time)"
	fi
	# SIGUSR1 with a port (sigqueue): the monitor listens there, moving
	# a listener it had elsewhere (--gdb-listen) to it.
	port=$(free_port)
	/bin/kill -s USR1 -q "$port" "$pid" || die "cannot signal process $pid"
	for ((i = 0; i < 100; i++)); do
		listens "$pid" "$port" && break
		sleep 0.05
	done
	listens "$pid" "$port" ||
		die "unilab-kvm $pid did not start listening for gdb (is it still starting, or waiting for gdb on its --gdb port?)"
	exec gdb -q -ex "target remote 127.0.0.1:$port" "$image" "$@"
}

main "$@"
