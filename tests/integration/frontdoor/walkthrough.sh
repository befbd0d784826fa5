#!/usr/bin/env bash
# docs/adding-an-app.md, run as a student would, command by command, in a
# copy of the source tree: its marked blocks (HTML comments before them)
# are the steps.
#   <!-- file: PATH -->       the block is written to PATH
#   <!-- run -->              the block runs and must succeed
#   <!-- expect: TEXT -->     the last run's output contains TEXT
#   <!-- start: REGEX -->     the block runs in the background (a server)
#                             until its output matches REGEX
#   <!-- start gdb: REGEX --> the same, with the <!-- gdb --> block's
#                             commands typed into gdb
#   <!-- expect log: REGEX --> the background block's output matches REGEX
#   <!-- stop -->             the background block is ended
# Host ports 5555 become a free one, so that runs side by side agree.
# Then: an app that does not compile (an unused parameter: a warning,
# an error here) stops neither `./unilab run hello` nor anything but itself.
#
#   walkthrough.sh BUILD_DIR SOURCE_DIR
. "$(dirname "$0")/lib.sh"
unset UNILAB_BUILD # the copy builds in its own build/
doc=$SRC/docs/adding-an-app.md
for tool in nc gdb; do
	command -v $tool >/dev/null || skip "$tool is not installed"
done
need_backend kvm

tmp=$(mktemp -d)
tree=$tmp/tree
bg=''
stop_bg() {
	[[ -n $bg ]] || return 0
	kill -- -"$bg" 2>/dev/null
	wait "$bg" 2>/dev/null
	bg=''
}
trap 'stop_bg; rm -rf "$tmp"' EXIT
mkdir "$tree"
tar -C "$SRC" --exclude='./build*' --exclude=./.git -cf - . | tar -C "$tree" -xf -
port=$(free_udp_port)

# The gdb block, typed once gdb has stopped; then the session ends.
awk '/^<!-- gdb -->$/ { take = 1; next }
     take && /^```/ { if (inside) exit; inside = 1; next }
     take && inside' "$doc" >"$tmp/gdb.cmd"
echo kill >>"$tmp/gdb.cmd"

# Run block $2 (a file) as step $1 in the tree, its output in $tmp/out.
run_block() {
	sed -i "s/::5555-/::$port-/g; s/127\.0\.0\.1 5555/127.0.0.1 $port/g" "$2"
	echo "--- $1:"
	cat "$2"
	(cd "$tree" && bash -e "$2") >"$tmp/out" 2>&1 ||
		fail "step '$1' failed: $(cat "$tmp/out")"
	cat "$tmp/out"
}

start_block() {
	local marker=$1 script=$2 regex=${1#*: } i
	stop_bg
	sed -i "s/::5555-/::$port-/g" "$script"
	echo "--- $marker:"
	cat "$script"
	local flags=''
	[[ $marker == 'start gdb:'* ]] && flags="-batch -nx -x $tmp/gdb.cmd"
	(cd "$tree" && UNILAB_GDB_FLAGS=$flags setsid bash -e "$script") \
		>"$tmp/bg" 2>&1 </dev/null &
	bg=$!
	for ((i = 0; i < 6000; i++)); do
		grep -qE -- "$regex" "$tmp/bg" && return 0
		kill -0 "$bg" 2>/dev/null || break
		sleep 0.1
	done
	fail "'$marker' did not come: $(cat "$tmp/bg")"
}

marker='' block='' inside=false
n=0
while IFS= read -r line; do
	if ! $inside && [[ $line =~ ^\<!--\ (.*)\ --\>$ ]]; then
		marker=${BASH_REMATCH[1]}
		if [[ $marker == stop ]]; then
			stop_bg
			marker=''
		fi
		continue
	fi
	if [[ $line == '```'* ]]; then
		if ! $inside; then
			inside=true
			: >"$tmp/block"
			continue
		fi
		inside=false
		n=$((n + 1))
		case $marker in
		file:*) mkdir -p "$(dirname "$tree/${marker#file: }")"
		        cp "$tmp/block" "$tree/${marker#file: }" ;;
		run) run_block "$n" "$tmp/block" ;;
		expect:*) grep -qF -- "${marker#expect: }" "$tmp/out" ||
				fail "no '${marker#expect: }' in the output of the last step" ;;
		start*) start_block "$marker" "$tmp/block" ;;
		'expect log:'*)
			for ((i = 0; i < 300; i++)); do
				grep -qE -- "${marker#expect log: }" "$tmp/bg" && break
				sleep 0.2
			done
			grep -qE -- "${marker#expect log: }" "$tmp/bg" ||
				fail "no '${marker#expect log: }' in: $(cat "$tmp/bg")" ;;
		esac
		marker=''
		continue
	fi
	$inside && printf '%s\n' "$line" >>"$tmp/block"
done <"$doc"
stop_bg
((n > 10)) || fail "only $n blocks in $doc"

# An app with a warning: it alone fails to build.
cd "$tree" || fail "no tree"
mkdir apps/unused
printf '#include <unilab/app.h>\nint ul_main(int argc, char **argv)\n{\n\t(void)argc;\n\treturn 0;\n}\n' \
	>apps/unused/main.c
sed 's/shout/unused/g' apps/shout/meson.build >apps/unused/meson.build
sed -i "s/foreach app : \[/foreach app : ['unused', /" apps/meson.build
out=$(./unilab run hello -- Bob 2>&1) || fail "run hello with a broken app beside it: $out"
grep -q 'argument 1: Bob' <<<"$out" || fail "hello did not run: $out"
out=$(./unilab run unused 2>&1) && fail "an app with an unused parameter built: $out"
grep -q "unused parameter .argv." <<<"$out" || fail "no compiler message: $out"
grep -q 'the build failed' <<<"$out" || fail "no 'the build failed': $out"
echo "ok: the walk-through of docs/adding-an-app.md, and a broken app beside hello"
