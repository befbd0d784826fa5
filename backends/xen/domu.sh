#!/usr/bin/env bash
# Run unilab xen images as ordinary guest domains (domU) under real Xen
# and its own toolstack, inside QEMU (TCG): Xen starts a Linux dom0 built
# from this machine's Debian packages (dom0/initramfs.sh), whose /init
# (dom0/init) `xl create`s each image with a vif on a dom0 bridge and
# reports its console and exit status. Behaves like the image was a
# process: its console on stdout, its exit status as ours.
#
#   domu.sh [OPTIONS] IMAGE [ARGS...]
#   domu.sh [OPTIONS] --batch=FILE --out-dir=DIR
#
# Options: --mem=SIZE the domain's memory (default 32M), --timeout=SECONDS
# each domain's time limit (default 60), --log=FILE keep the whole serial
# line, --bridge=NAME the bridge the domain's vif joins (default xenbr0,
# the one dom0 makes, 10.0.0.1/24), --disk=FILE a raw disk image the
# domain gets as xvda (copied into dom0; the copy is dropped afterwards).
# --batch runs several domains in one dom0, one after the other: each line
# of FILE is one domain, its image and arguments separated by tabs; domain
# K's (from 1) output goes to DIR/K.out, its stderr messages to DIR/K.err,
# its exit status to DIR/K.status, the milliseconds from `xl create` to
# its end (dom0's clock) to DIR/K.ms, a --dom0 script's output and
# status to DIR/K.dom0 and DIR/K.dom0-status, the sha256 of its disk
# after it ran to DIR/K.disk-sha256. A line may start with its own --mem,
# --bridge, --disk, --dom0 or --vif-script, tab-separated, for that domain only.
#
# Exit statuses of our own, as run-xen.sh's: 119 the domain ended without
# its status (xl could not create it, or it crashed silently), 120 bad
# usage, 122 QEMU, Xen or dom0's parts missing or failing, 124 the
# timeout ran out. (Not named run*.sh: bench/ takes the run*.sh in this
# folder for the backend's launcher.)
set -u
me=run-xen
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/qemu-xen.sh"
mem=32M timeout=60 log_copy= bridge=xenbr0 disk= dom0_script= vif_script=/vif batch= out_dir=
qemu=${QEMU:-qemu-system-x86_64}
usage="usage: $me --domu [--mem=SIZE] [--timeout=SECONDS] [--log=FILE] [--bridge=NAME] [--disk=FILE] [--dom0=SCRIPT] IMAGE [ARGS...]"

die() {
	local status=$1
	shift
	echo "$me: $*" >&2
	exit "$status"
}

while (($#)); do
	case $1 in
	--mem=*) mem=${1#*=} ;;
	--timeout=*) timeout=${1#*=} ;;
	--log=*) log_copy=${1#*=} ;;
	--bridge=*) bridge=${1#*=} ;;
	--disk=*) disk=${1#*=} ;;
	--dom0=*) dom0_script=${1#*=} ;;
	--vif-script=*) vif_script=${1#*=} ;;
	--batch=*) batch=${1#*=} ;;
	--out-dir=*) out_dir=${1#*=} ;;
	--) shift; break ;;
	-*) die 120 "unknown option '$1' ($usage)" ;;
	*) break ;;
	esac
	shift
done
[[ $timeout =~ ^[0-9]+$ && $timeout -gt 0 ]] || die 120 "--timeout=$timeout: want whole seconds"
if [[ -n $batch ]]; then
	(($# == 0)) || die 120 "--batch takes no IMAGE"
	[[ -r $batch ]] || die 120 "cannot read --batch=$batch"
	[[ -n $out_dir && -d $out_dir ]] || die 120 "--batch needs --out-dir=DIR, an existing directory"
	mapfile -t lines <"$batch"
else
	(($#)) || die 120 "no IMAGE given ($usage)"
	lines=("$(printf '%s\t' "$@")")
	lines[0]=${lines[0]%$'\t'}
fi
prepare_run domu

# The dom0 initramfs is cached in the build directory the image is in.
cache_dir() {
	local d
	d=$(dirname "$(realpath "$1")")
	while [[ $d != / ]]; do
		[[ -f $d/build.ninja ]] && { echo "$d/xen-dom0"; return; }
		d=$(dirname "$d")
	done
	echo "${TMPDIR:-/tmp}/unilab-xen-dom0"
}

# The domain options' checks: $mem in MiB into mem_mib, $bridge, $disk.
check_domain_options() {
	[[ $mem =~ ^([0-9]+)([KMG])$ ]] || die 120 "--mem=$mem: want a size such as 32M"
	case ${BASH_REMATCH[2]} in
	K) mem_mib=$((BASH_REMATCH[1] / 1024)) ;;
	M) mem_mib=${BASH_REMATCH[1]} ;;
	G) mem_mib=$((BASH_REMATCH[1] * 1024)) ;;
	esac
	((mem_mib >= 4)) || die 120 "--mem=$mem: a domain needs at least 4M"
	[[ $bridge =~ ^[A-Za-z0-9_.-]{1,15}$ ]] || die 120 "--bridge=$bridge: want an interface name"
	[[ -z $disk || -f $disk ]] || die 120 "--disk=$disk: no such file"
	[[ -z $dom0_script || -r $dom0_script ]] || die 120 "--dom0=$dom0_script: cannot read it"
	[[ $vif_script =~ ^/[A-Za-z0-9_./-]+$ ]] || die 120 "--vif-script=$vif_script: want an absolute path in dom0"
}
check_domain_options

# A string in xl's configuration syntax.
xl_string() {
	local s=${1//\\/\\\\}
	printf '"%s"' "${s//\"/\\\"}"
}

# The job dom0 runs: for each domain, its image, configuration and limit.
job=$tmp/root/job
mkdir -p "$job"
echo "xenbr0 10.0.0.1/24" >"$job/bridge"
k=0
first_image=
default_mem=$mem default_bridge=$bridge default_disk=$disk default_dom0=$dom0_script default_vif_script=$vif_script
for line in "${lines[@]}"; do
	[[ -n $line ]] || continue
	k=$((k + 1))
	# Split at each tab (read -a would merge a run of tabs, and with it
	# an empty argument).
	words=()
	while [[ $line == *$'\t'* ]]; do
		words+=("${line%%$'\t'*}")
		line=${line#*$'\t'}
	done
	words+=("$line")
	# This domain's own options, over the command line's.
	mem=$default_mem bridge=$default_bridge disk=$default_disk dom0_script=$default_dom0 vif_script=$default_vif_script
	while [[ ${words[0]:-} == --* ]]; do
		case ${words[0]} in
		--mem=*) mem=${words[0]#*=} ;;
		--bridge=*) bridge=${words[0]#*=} ;;
		--disk=*) disk=${words[0]#*=} ;;
		--dom0=*) dom0_script=${words[0]#*=} ;;
		--vif-script=*) vif_script=${words[0]#*=} ;;
		*) die 120 "--batch=$batch: unknown option '${words[0]}'" ;;
		esac
		words=("${words[@]:1}")
	done
	check_domain_options
	((${#words[@]})) || die 120 "--batch=$batch: a line names no image"
	image=${words[0]}
	[[ -f $image && -r $image ]] || die 120 "cannot read image $image"
	first_image=${first_image:-$image}
	cp "$image" "$job/$k.xen"
	cmdline=$(image_cmdline "$image" "${words[@]:1}") || exit
	{
		echo "name = \"ul$k\""
		echo "type = \"pv\""
		echo "kernel = \"/job/$k.xen\""
		echo "extra = $(xl_string "$cmdline")"
		echo "memory = $mem_mib"
		echo "vcpus = 1"
		echo 'on_poweroff = "preserve"'
		echo 'on_crash = "preserve"'
		echo 'on_reboot = "preserve"'
		echo "vif = [ \"bridge=$bridge,script=$vif_script,mac=00:16:3e:00:00:$(printf %02x "$k")\" ]"
		if [[ -n $disk ]]; then
			cp "$disk" "$job/$k.img"
			echo "disk = [ \"format=raw,vdev=xvda,access=rw,backendtype=phy,script=/block,target=/job/$k.img\" ]"
		fi
	} >"$job/$k.cfg"
	[[ -z $dom0_script ]] || cp "$dom0_script" "$job/$k.dom0"
	echo "$k $timeout" >>"$job/list"
done
((k > 0)) || die 120 "--batch=$batch names no domain"

dom0=$("$here/dom0/initramfs.sh" "$(cache_dir "$first_image")") || exit 122
{ read -r kernel; read -r initramfs; } <<<"$dom0"
(cd "$tmp/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$tmp/job.cpio" ||
	die 122 "cannot pack the job for dom0"
cat "$initramfs" "$tmp/job.cpio" >"$tmp/initrd"
ln -s "$kernel" "$tmp/vmlinuz"
serial=$tmp/serial.log
start_qemu 1024 "console=com1 dom0_mem=512M,max:512M dom0_max_vcpus=1 loglvl=warning guest_loglvl=warning noreboot" \
	"$tmp/vmlinuz console=hvc0 quiet loglevel=1,$tmp/initrd"
# Dom0 takes its own while to boot, then each domain may take its limit.
wait_qemu '^ul#done' $((180 + k * (timeout + 20)))
[[ -z $log_copy ]] || cp "$serial" "$log_copy"
tr -d '\r' <"$serial" >"$tmp/lines"

# Domain K's console (stdout), messages (stderr) and status, from the log.
domain_out() {
	awk -v k="$1" '
	index($0, "ul" k "|") == 1 { print substr($0, length(k) + 4); next }
	index($0, "ul" k "-") == 1 { printf "%s", substr($0, length(k) + 4) }' "$tmp/lines"
}
domain_err() {
	grep -a "^ul$1!" "$tmp/lines" | cut -c$((${#1} + 4))- | sed "s/^/$me: /"
}
domain_status() {
	sed -n "s/^ul$1#exit status \([0-9]*\)$/\1/p" "$tmp/lines" | tail -n 1
}

# The output of domain K's --dom0 script.
dom0_out() {
	grep -a "^ul$1>" "$tmp/lines" | cut -c$((${#1} + 4))-
}

# Why dom0 did not get to the end, on stderr; nothing if it did.
dom0_trouble() {
	grep -a '^ul!' "$tmp/lines" | cut -c4- | sed "s/^/$me: dom0: /"
	grep -aq '^ul#done' "$tmp/lines" && return
	if $timed_out; then
		echo "$me: dom0 did not finish in time; its last lines:"
	elif ! grep -aq . "$tmp/lines"; then
		echo "$me: QEMU did not start Xen: $(cat "$tmp/qemu.err")"
		return
	else
		echo "$me: dom0 ended early; its last lines:"
	fi
	grep -av '^ul[0-9]' "$tmp/lines" | tail -n 15
}
trouble=$(dom0_trouble)

if [[ -n $batch ]]; then
	for ((i = 1; i <= k; i++)); do
		domain_out "$i" >"$out_dir/$i.out"
		{ domain_err "$i"; [[ -z $trouble ]] || echo "$trouble"; } >"$out_dir/$i.err"
		status=$(domain_status "$i")
		if [[ -z $status ]]; then
			status=119
			grep -aq "^ul$i!the domain ran past" "$tmp/lines" && status=124
		fi
		echo "$status" >"$out_dir/$i.status"
		sed -n "s/^ul$i@\([0-9]*\)$/\1/p" "$tmp/lines" >"$out_dir/$i.ms"
		dom0_out "$i" >"$out_dir/$i.dom0"
		sed -n "s/^ul$i=\([0-9a-f]*\)$/\1/p" "$tmp/lines" >"$out_dir/$i.disk-sha256"
		sed -n "s/^ul$i%\([0-9]*\)$/\1/p" "$tmp/lines" >"$out_dir/$i.dom0-status"
	done
	[[ -z $trouble ]] || { echo "$trouble" >&2; exit 122; }
	exit 0
fi
domain_out 1
domain_err 1 >&2
dom0_out 1 | sed 's/^/dom0> /' >&2
status=$(domain_status 1)
[[ -n $status ]] && exit "$status"
# A domain that a --dom0 script's end ended: the script's status.
status=$(sed -n 's/^ul1%\([0-9]*\)$/\1/p' "$tmp/lines")
grep -aq "^ul1!dom0's script ended" "$tmp/lines" && exit "$status"
[[ -z $trouble ]] || echo "$trouble" >&2
grep -aq '^ul1!the domain ran past' "$tmp/lines" && exit 124
$timed_out && exit 124
exit 119
