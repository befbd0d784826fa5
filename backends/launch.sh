# Launching an app's image on a backend, for ./unilab (which sources this
# file): the options every backend shares (--backend, --mem, --net,
# --disk) are parsed and checked here, once, and translated for each
# backend's launcher: the posix binary, unilab-kvm, run-qemu.sh, run-xen.sh.
# Needs ROOT (the source tree), CALLER (where the user ran ./unilab) and
# BUILD (the build directory) set by the sourcing script.

# The backends, in the order the demo boots them.
BACKENDS=(posix kvm baremetal xen)

# What launch_parse and launch_take_option fill in.
APP='' BACKEND=posix ARGS=()
MEM=''     # guest memory in the launchers' common form, e.g. 16384K
NETS=()    # each: user[,...], tap:NAME or pcap:IFACE
DISKS=()   # each: a disk file's absolute path
OPTS=()    # MEM, NETS and DISKS as launcher options (shared_options)
DOMU=()    # --domu: xen runs the image as an ordinary domain under a dom0
CMD=()     # set by BACKEND_command: the command that boots APP
IMAGE=''   # and the image file it boots
WHY=''     # or why it cannot

# A mistake in the command line: the same words and status (2, as a
# usage error) whichever backend it was meant for.
launch_usage_error() {
	printf 'unilab: %s\n' "$*" >&2
	exit 2
}

# A path the user gave, from where they ran us.
from_caller() {
	if [[ $1 == /* ]]; then echo "$1"; else echo "$CALLER/$1"; fi
}

# SIZE: a number of bytes, or of K, M or G (powers of 1024), 256K to 4G
# (what every backend can give; unilab-kvm's guest memory ends at 4G).
# Sets MEM to it in KiB, rounded up, a form all the launchers read alike.
launch_set_mem() {
	local size=$1 n unit kib
	[[ $size =~ ^([0-9]{1,10})([KkMmGg]?)$ ]] ||
		launch_usage_error "bad --mem '$size': give a size from 256K to 4G, such as 64M"
	n=$((10#${BASH_REMATCH[1]}))
	unit=${BASH_REMATCH[2]^^}
	case $unit in
	'') kib=$(((n + 1023) / 1024)) ;;
	K) kib=$n ;;
	M) kib=$((n * 1024)) ;;
	G) kib=$((n * 1024 * 1024)) ;;
	esac
	((kib >= 256 && kib <= 4 * 1024 * 1024)) ||
		launch_usage_error "bad --mem '$size': give a size from 256K to 4G, such as 64M"
	MEM=${kib}K
}

# NET: user[,hostfwd=...]..., tap:NAME or pcap:IFACE; the backends check
# the details (hostfwd rules, MAC addresses) with their own parsers.
launch_add_net() {
	case $1 in
	user | user,* | tap:?* | pcap:?*) NETS+=("$1") ;;
	*) launch_usage_error "bad --net '$1': give user[,hostfwd=tcp::8080-:80], tap:NAME or pcap:IFACE" ;;
	esac
}

launch_add_disk() {
	local file
	file=$(from_caller "$1")
	[[ -f $file ]] || launch_usage_error "--disk: no such file: $1"
	DISKS+=("$file")
}

# If $1 is one of the shared options, take it (and its value, from
# "--opt=value" or "--opt value") and set TAKEN to the number of words
# used; else TAKEN=0. A subcommand with options of its own calls this
# first in its own loop.
TAKEN=0
launch_take_option() {
	local name=${1%%=*} value
	TAKEN=0
	case $name in
	--backend | --mem | --net | --disk) ;;
	*) return 0 ;;
	esac
	if [[ $1 == *=* ]]; then
		value=${1#*=}
		TAKEN=1
	else
		(($# > 1)) || launch_usage_error "$name needs a value (see ./unilab help)"
		value=$2
		TAKEN=2
	fi
	case $name in
	--backend) BACKEND=$value ;;
	--mem) launch_set_mem "$value" ;;
	--net) launch_add_net "$value" ;;
	--disk) launch_add_disk "$value" ;;
	esac
}

# The arguments of `run`, `debug` and the like (subcommand $1): APP, the
# shared options and, after "--", the image's command line into ARGS.
launch_parse() {
	local command=$1
	shift
	while (($#)); do
		launch_take_option "$@"
		if ((TAKEN)); then
			shift "$TAKEN"
			continue
		fi
		case $1 in
		--domu) DOMU=(--domu) ;;
		--) shift; break ;;
		-h | --help) usage; exit 0 ;;
		-*) launch_usage_error "$command: unknown option '$1' (see ./unilab help)" ;;
		*) if [[ -z $APP ]]; then APP=$1; else break; fi ;;
		esac
		shift
	done
	[[ -n $APP ]] || launch_usage_error "$command: which app? the apps are: $(apps)"
	ARGS=("$@")
}

# The apps: the folders in apps/ that have a meson.build, in one line.
apps() {
	local dir names=()
	for dir in "$ROOT"/apps/*/; do
		[[ -f $dir/meson.build ]] && names+=("$(basename "$dir")")
	done
	echo "${names[*]}"
}

# --- backends ---------------------------------------------------------------
# Each backend NAME has NAME_targets APP, the build outputs it needs, and
# NAME_command APP: it sets CMD to the command that boots APP's image with
# the shared options (the image's command line is appended to CMD), or sets
# WHY to the reason it cannot and returns 1. Adding a backend is adding
# these two and its name to BACKENDS.

unavailable() {
	WHY=$*
	return 1
}

# The launcher options for MEM, NETS and DISKS, as unilab-kvm, run-qemu.sh
# and the posix binary spell them.
shared_options() {
	OPTS=()
	[[ -z $MEM ]] || OPTS+=("--mem=$MEM")
	local x
	for x in "${NETS[@]}"; do OPTS+=("--net=$x"); done
	for x in "${DISKS[@]}"; do OPTS+=("--disk=$x"); done
}

posix_targets() { echo "apps/$1/$1.posix"; }

# posix: the image is a Linux executable; after "--" every word is the
# image's, even one that starts with "--".
posix_command() {
	IMAGE=$BUILD/apps/$1/$1.posix
	[[ -x $IMAGE ]] || unavailable "$IMAGE is not built" || return
	shared_options
	CMD=("$IMAGE" "${OPTS[@]}" --)
}

kvm_targets() { echo "apps/$1/$1.kvm backends/kvm/unilab-kvm"; }

# kvm: the unilab-kvm monitor loads the image into a KVM guest.
kvm_command() {
	local monitor=$BUILD/backends/kvm/unilab-kvm
	IMAGE=$BUILD/apps/$1/$1.kvm
	[[ -x $monitor ]] || unavailable "the monitor $monitor is not built" || return
	[[ -f $IMAGE ]] || unavailable "$IMAGE is not built" || return
	[[ -r /dev/kvm && -w /dev/kvm ]] ||
		unavailable "/dev/kvm is missing or not writable" || return
	shared_options
	CMD=("$monitor" "${OPTS[@]}" "$IMAGE")
}

baremetal_targets() { echo "apps/$1/$1.bm"; }

# baremetal: QEMU boots the image (-M microvm, PVH), with hardware KVM
# when there is some, else TCG; its user-mode networking is QEMU's own.
baremetal_command() {
	local launcher=$ROOT/backends/baremetal/run-qemu.sh net
	IMAGE=$BUILD/apps/$1/$1.bm
	[[ -f $IMAGE ]] || unavailable "$IMAGE is not built" || return
	WHY=$("$launcher" --check) || return 1
	for net in "${NETS[@]}"; do
		[[ $net != pcap:* ]] || unavailable "baremetal cannot use --net=pcap:IFACE" \
			"(QEMU has no such network); use --net=tap:NAME or --net=user" || return
	done
	shared_options
	CMD=("$launcher" "${OPTS[@]}" "$IMAGE")
}

xen_targets() { echo "apps/$1/$1.xen"; }

# xen: real Xen in QEMU (TCG) starts the image as its initial domain,
# which has no devices; with --domu a Linux dom0 starts it as a guest
# domain whose network is an interface on dom0's bridge (so --net does not
# apply) and which may have one disk.
xen_command() {
	local launcher=$ROOT/backends/xen/run-xen.sh disk=()
	IMAGE=$BUILD/apps/$1/$1.xen
	[[ -f $IMAGE ]] || unavailable "$IMAGE is not built" || return
	((${#NETS[@]} == 0)) || unavailable "--net does not apply to xen: with --domu" \
		"the image's network is an interface on dom0's bridge" || return
	if ((${#DOMU[@]} == 0 && ${#DISKS[@]} > 0)); then
		unavailable "the xen backend attaches a disk only to a guest domain (add --domu)"
		return
	fi
	((${#DISKS[@]} <= 1)) || unavailable "a xen guest domain takes one --disk" || return
	((${#DISKS[@]} == 0)) || disk=("--disk=${DISKS[0]}")
	WHY=$("$launcher" --check) || return 1
	CMD=("$launcher" "${DOMU[@]}" ${MEM:+"--mem=$MEM"} "${disk[@]}" "$IMAGE")
}

# Check that app $1 and backend $2 exist, or stop saying which there are.
launch_check() {
	if [[ " $(apps) " != *" $1 "* ]]; then
		launch_usage_error "unknown app '$1'; the apps are: $(apps)"
	fi
	if [[ " ${BACKENDS[*]} " != *" $2 "* ]]; then
		launch_usage_error "unknown backend '$2'; the backends are: ${BACKENDS[*]}"
	fi
}

# Set CMD and IMAGE for app $1 on backend $2, or stop saying why not.
choose() {
	launch_check "$1" "$2"
	[[ ${#DOMU[@]} == 0 || $2 == xen ]] ||
		launch_usage_error "--domu is for --backend=xen only"
	"${2}_command" "$1" || die "cannot boot $1 on $2: $WHY"
}
