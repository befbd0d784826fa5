#!/usr/bin/env bash
# Boot one image for one test case and check what it prints and returns.
#
#   run_case.sh CASE_DIR BUILD_ROOT SUFFIX [LAUNCHER...]
#   run_case.sh CASE_DIR BUILD_ROOT SUFFIX --result OUTPUT_FILE STATUS
#
# CASE_DIR holds:
#   args           line 1: the image (an app, or a test image under
#                  tests/images); each further line: one argument
#   status         the expected exit status
#   expected       the exact expected output, with @BACKEND@ for the
#                  backend's name, or
#   expected-grep  extended regexps, each of which some output line matches
#   backends       optional: the names of the backends the case applies to,
#                  on one line (meson registers the case for those only)
# LAUNCHER is how the backend starts an image (nothing for posix). With
# --result the case was run elsewhere (xen domUs share one dom0 boot) and
# only its output and status are checked.
set -u
case_dir=$1 build=$2 suffix=$3
shift 3
# The backend's name: meson passes it; by hand, the suffix will do.
backend=${UL_BACKEND:-$suffix}

# 77 tells meson the test was skipped, not failed.
if [ "$suffix" = kvm ] && ! { exec 3<>/dev/kvm; } 2>/dev/null; then
	echo "SKIP: cannot open /dev/kvm read-write (no KVM here, or no permission)"
	exit 77
fi

result=
if [ "${1:-}" = --result ]; then
	result=$2
	status=$3
elif { [ "$suffix" = xen ] || [ "$suffix" = bm ]; } && ! why=$("$1" --check); then
	echo "SKIP: $why"
	exit 77
fi

mapfile -t args < "$case_dir/args"
image=${args[0]}
args=("${args[@]:1}")
path=$build/apps/$image/$image.$suffix
[ -e "$path" ] || path=$build/tests/images/$image/$image.$suffix

if [ -n "$result" ]; then
	out=$(cat "$result")
else
	out=$(timeout 60 "$@" "$path" "${args[@]}" 2>&1)
	status=$?
fi
want_status=$(cat "$case_dir/status")

fail() {
	echo "FAIL: $*"
	echo "--- output of $path ${args[*]}:"
	echo "$out"
	exit 1
}

[ "$status" = "$want_status" ] || fail "exit status $status, want $want_status"
if [ -f "$case_dir/expected" ]; then
	want=$(sed "s/@BACKEND@/$backend/g" "$case_dir/expected")
	[ "$out" = "$want" ] || fail "output differs: $(diff <(echo "$want") <(echo "$out"))"
fi
if [ -f "$case_dir/expected-grep" ]; then
	while IFS= read -r pattern; do
		grep -Eq -- "$pattern" <<<"$out" || fail "no line matches /$pattern/"
	done < "$case_dir/expected-grep"
fi
echo "ok: $(basename "$case_dir") on $backend"
