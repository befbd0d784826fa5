# Sourced by the scripts that boot images: skip (exit 77, which meson
# counts as skipped) when backend SUFFIX cannot run here. $1 is the suffix,
# $2 the launcher (run-qemu.sh or run-xen.sh, which can tell).
skip_unless_runnable() {
	local why
	if [ "$1" = kvm ] && ! { exec 3<>/dev/kvm; } 2>/dev/null; then
		echo "SKIP: cannot open /dev/kvm read-write (no KVM here, or no permission)"
		exit 77
	fi
	exec 3>&-
	if { [ "$1" = xen ] || [ "$1" = bm ]; } && ! why=$("$2" --check); then
		echo "SKIP: $why"
		exit 77
	fi
}
