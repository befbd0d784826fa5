# What the sim suite's scripts share. Each script is run as
#   SCRIPT UNILAB_SIM BUILD_ROOT SOURCE_ROOT
# and sources this file: SIM, BUILD, SRC, a scratch folder WORK (removed
# at exit) and the helpers below.
set -euo pipefail
SIM=$1
BUILD=$2
SRC=$3
SCENARIOS=$SRC/sim/scenarios
HERE=$SRC/tests/integration/sim
WORK=$(mktemp -d /tmp/unilab-sim-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# Run scenario $1 into folder $2 with options $3...; stdout and stderr go
# to $2.out and $2.err; the exit status is returned, not fatal.
run_sim() {
	local scenario=$1 out=$2
	shift 2
	"$SIM" "$scenario" --out "$out" --build "$BUILD" --quiet "$@" \
		>"$out.out" 2>"$out.err"
}

# Like run_sim, but the run must succeed.
run_ok() {
	local status=0
	run_sim "$@" || status=$?
	if ((status != 0)); then
		cat "$2.out" "$2.err" >&2
		fail "$1 exited with status $status"
	fi
}

# Folder $1's log of node $2 must contain the fixed string $3.
expect_log() {
	grep -qF -- "$3" "$1/$2.log" || {
		cat "$1/$2.log" >&2
		fail "node $2's log has no '$3'"
	}
}

# One line per output file: its sha256 and name.
hashes() {
	(cd "$1" && sha256sum -- *.log *.pcap trace.jsonl summary.txt)
}

# sha256 of the first $1 bytes of tcpxfer's stream: little-endian 32-bit
# words, word i = i * 2654435761 mod 2^32.
stream_sha256() {
	python3 - "$1" <<'PY'
import hashlib, struct, sys
n = int(sys.argv[1])
words = (n + 3) // 4
h = hashlib.sha256()
step = 65536
for start in range(0, words, step):
    end = min(start + step, words)
    chunk = struct.pack('<%dI' % (end - start),
                        *((i * 2654435761) & 0xffffffff for i in range(start, end)))
    if end == words:
        chunk = chunk[:n - start * 4]
    h.update(chunk)
print(h.hexdigest())
PY
}
