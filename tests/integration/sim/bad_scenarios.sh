#!/usr/bin/env bash
# Every scenario in bad/ is refused with exit status 2 and one message
# naming its file and line ("FILE:LINE: ..."; "FILE: ..." for the whole
# file, written "0:" in the expectation), as its "# expect:" line says.
# Bad command lines are refused the same way.
source "$(dirname "$0")/lib.sh"

count=0
for f in "$HERE"/bad/*.sim; do
	want=$(sed -n 's/^# expect: //p' "$f")
	line=${want%%:*}
	text=${want#*: }
	prefix="$f:$line: "
	[[ $line == 0 ]] && prefix="$f: "
	status=0
	"$SIM" "$f" --out "$WORK/out" --build "$BUILD" >"$WORK/stdout" \
		2>"$WORK/stderr" || status=$?
	got=$(cat "$WORK/stderr")
	[[ $status == 2 ]] || fail "$f: exit status $status, not 2 ($got)"
	[[ $(wc -l <"$WORK/stderr") == 1 ]] || fail "$f: not one line: $got"
	[[ $got == "$prefix$text"* ]] || fail "$f: got '$got', want '$prefix$text'"
	[[ ! -s $WORK/stdout ]] || fail "$f: printed to stdout"
	count=$((count + 1))
done

# A file with several mistakes gets them all in one run, in order.
cat >"$WORK/three.sim" <<'SIM'
node a hello
node b frobnicate=1 hello
link a c
node d nosuchapp
at 5 kill a
SIM
status=0
"$SIM" "$WORK/three.sim" --out "$WORK/out" --build "$BUILD" >/dev/null \
	2>"$WORK/stderr" || status=$?
[[ $status == 2 ]] || fail "three errors: exit status $status, not 2"
want="$WORK/three.sim:2: unknown node key 'frobnicate'
$WORK/three.sim:3: unknown node or switch 'c'
$WORK/three.sim:5: bad time '5'
$WORK/three.sim:4: no image 'nosuchapp' for node d"
got=$(cat "$WORK/stderr")
[[ $(wc -l <<<"$got") == 4 ]] || fail "three errors and a missing image: got '$got'"
while IFS= read -r line; do
	grep -qF -- "$line" <<<"$got" || fail "no '$line' in '$got'"
done <<<"$want"
count=$((count + 1))

# Command lines: each refused with a message and status 2.
ok=$SCENARIOS/two-node-ping.sim
bad_cmd() {
	local want=$1 status=0
	shift
	"$SIM" "$@" >/dev/null 2>"$WORK/stderr" || status=$?
	[[ $status == 2 ]] || fail "'$*': exit status $status, not 2"
	grep -qF -- "$want" "$WORK/stderr" ||
		fail "'$*': got '$(cat "$WORK/stderr")', want '$want'"
	count=$((count + 1))
}
bad_cmd "which scenario? give its file"
bad_cmd "unknown option '--fast'" "$ok" --fast
bad_cmd "bad --seed 'x'" "$ok" --seed x
bad_cmd "bad --until '5'" "$ok" --until 5
bad_cmd "--out needs a value" "$ok" --out
bad_cmd "one scenario at a time" "$ok" "$ok"
bad_cmd "cannot read scenario $WORK/none.sim: No such file or directory" \
	"$WORK/none.sim"
echo "ok: $count bad scenarios and command lines refused clearly"
