#!/usr/bin/env bash
# Boot benchmark: hello.posix from exec to exit, side by side with a static
# C hello started the same way; prints both medians and their ratio.
set -euo pipefail

usage() {
	cat <<'EOF_USAGE'
usage: bench/boot.sh [--build DIR] [--runs N] [--rounds N] [--warmup N] [--json FILE]

Times DIR/apps/hello/hello.posix against DIR/bench/static_hello with
hyperfine (no shell in between, output to /dev/null) and prints each
median and the ratio hello.posix / static_hello (target: <= 1.5).

The runs are split into rounds that alternate which program goes first, so
a change in the machine's load during the run weighs on both programs
alike. Every sample is kept in FILE.

  --build DIR   the meson build directory (default: build)
  --runs N      timed runs per program, in all (default: 1000)
  --rounds N    rounds to split them into (default: 10)
  --warmup N    untimed runs of each program first (default: 50)
  --json FILE   where to keep the samples (default: DIR/bench/boot.json)
EOF_USAGE
}

build=build
runs=1000
rounds=10
warmup=50
json=
while (($#)); do
	case $1 in
	--build | --runs | --rounds | --warmup | --json)
		(($# > 1)) || { echo "boot.sh: $1 needs a value" >&2; exit 2; }
		declare "${1#--}=$2"
		shift
		;;
	--build=* | --runs=* | --rounds=* | --warmup=* | --json=*)
		opt=${1%%=*}
		declare "${opt#--}=${1#*=}"
		;;
	-h | --help) usage; exit 0 ;;
	*) echo "boot.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
	esac
	shift
done
if ! [[ $runs =~ ^[1-9][0-9]*$ && $rounds =~ ^[1-9][0-9]*$ &&
	$warmup =~ ^[0-9]+$ ]] || ((rounds > runs)); then
	echo "boot.sh: --runs, --rounds and --warmup take whole numbers," \
		"and there cannot be more rounds than runs" >&2
	exit 2
fi
json=${json:-$build/bench/boot.json}

hello=$build/apps/hello/hello.posix
baseline=$build/bench/static_hello
for program in "$hello" "$baseline"; do
	[[ -x $program ]] || { echo "boot.sh: $program is not built" >&2; exit 1; }
done
if ! command -v hyperfine >/dev/null; then
	# 77 tells meson test to count this as skipped.
	echo "boot.sh: hyperfine is not installed (./unilab setup installs it)" >&2
	exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$json")"

# hyperfine runs its commands one after the other, so each round swaps
# which program goes first.
measure() {
	local round=$1 n=$2 warm=$3
	local first=(--command-name hello.posix "$hello")
	local second=(--command-name static_hello "$baseline")
	if ((round % 2)); then
		first=(--command-name static_hello "$baseline")
		second=(--command-name hello.posix "$hello")
	fi
	if ! hyperfine --shell=none --style none --warmup "$warm" --runs "$n" \
		--export-json "$work/round-$round.json" \
		"${first[@]}" "${second[@]}" 2>"$work/round-$round.log"; then
		cat "$work/round-$round.log" >&2
		exit 1
	fi
}

echo "boot to exit: $runs runs of each program in $rounds rounds, after $warmup warm-up runs"
echo "machine: $(uname -srm), $(nproc) CPUs, $(hyperfine --version)"
for ((r = 0; r < rounds; r++)); do
	# Spread the runs evenly; the first rounds take the remainder.
	measure "$r" $((runs / rounds + (r < runs % rounds))) $((r == 0 ? warmup : 0))
done

python3 - "$json" "$work"/round-*.json <<'EOF_PY'
# Pool every round's samples per program, keep them, and compare medians.
import json, platform, statistics, sys

out, rounds = sys.argv[1], sys.argv[2:]
samples = {}
for path in rounds:
    with open(path) as f:
        for result in json.load(f)["results"]:
            samples.setdefault(result["command"], []).extend(result["times"])

medians = {}
for name in ("hello.posix", "static_hello"):
    times = samples[name]
    medians[name] = statistics.median(times)
    print(f"  {name:<13} median {medians[name] * 1e3:7.3f} ms   "
          f"mean {statistics.mean(times) * 1e3:7.3f} ms   "
          f"min {min(times) * 1e3:7.3f} ms")
ratio = medians["hello.posix"] / medians["static_hello"]
verdict = "met" if ratio <= 1.5 else "missed"
print(f"  ratio of medians hello.posix / static_hello: {ratio:.2f} "
      f"(target <= 1.5: {verdict})")

with open(out, "w") as f:
    json.dump({"benchmark": "boot to exit", "unit": "seconds",
               "machine": platform.uname()._asdict(),
               "rounds": len(rounds), "medians": medians, "ratio": ratio,
               "samples": samples}, f, indent=1)
EOF_PY
echo "samples: $json"
if grep -q outliers "$work"/round-*.log; then
	echo "note: hyperfine saw statistical outliers; the machine is busy, compare medians only"
fi
