#!/usr/bin/env bash
# kvm boot benchmark: hello.kvm under unilab-kvm from exec to exit, side by
# side with kvm_floor (create a VM, run `out; hlt`, exit); prints both
# medians, their ratio, the image size, a 1 MiB boot and the monitor's
# peak RSS.
set -euo pipefail

usage() {
	cat <<'EOF_USAGE'
usage: bench/kvm_boot.sh [--build DIR] [--runs N] [--rounds N] [--warmup N] [--json FILE]

Times `DIR/backends/kvm/unilab-kvm DIR/apps/hello/hello.kvm` against
DIR/bench/kvm_floor with hyperfine (no shell in between, output to
/dev/null) and prints each median and the ratio hello.kvm / kvm_floor
(target: <= 1.5). Then the size of hello.kvm (target: <= 64 KiB), whether
it boots with --mem=1M, and the monitor's peak RSS for hello (target:
<= 2 MiB).

The runs are split into rounds that alternate which program goes first, so
a change in the machine's load during the run weighs on both alike. Every
sample is kept in FILE.

  --build DIR   the meson build directory (default: build)
  --runs N      timed runs per program, in all (default: 1000)
  --rounds N    rounds to split them into (default: 10)
  --warmup N    untimed runs of each program first (default: 50)
  --json FILE   where to keep the samples (default: DIR/bench/kvm_boot.json)
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
		(($# > 1)) || { echo "kvm_boot.sh: $1 needs a value" >&2; exit 2; }
		declare "${1#--}=$2"
		shift
		;;
	--build=* | --runs=* | --rounds=* | --warmup=* | --json=*)
		opt=${1%%=*}
		declare "${opt#--}=${1#*=}"
		;;
	-h | --help) usage; exit 0 ;;
	*) echo "kvm_boot.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
	esac
	shift
done
if ! [[ $runs =~ ^[1-9][0-9]*$ && $rounds =~ ^[1-9][0-9]*$ &&
	$warmup =~ ^[0-9]+$ ]] || ((rounds > runs)); then
	echo "kvm_boot.sh: --runs, --rounds and --warmup take whole numbers," \
		"and there cannot be more rounds than runs" >&2
	exit 2
fi
json=${json:-$build/bench/kvm_boot.json}

monitor=$build/backends/kvm/unilab-kvm
hello=$build/apps/hello/hello.kvm
floor=$build/bench/kvm_floor
for program in "$monitor" "$hello" "$floor"; do
	[[ -e $program ]] || { echo "kvm_boot.sh: $program is not built" >&2; exit 1; }
done
# 77 tells meson test to count these as skipped.
if ! { exec 3<>/dev/kvm; } 2>/dev/null; then
	echo "kvm_boot.sh: cannot open /dev/kvm" >&2
	exit 77
fi
exec 3>&-
if ! command -v hyperfine >/dev/null; then
	echo "kvm_boot.sh: hyperfine is not installed (./unilab setup installs it)" >&2
	exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$json")"

# hyperfine runs its commands one after the other, so each round swaps
# which program goes first.
measure() {
	local round=$1 n=$2 warm=$3
	local first=(--command-name hello.kvm "$monitor $hello")
	local second=(--command-name kvm_floor "$floor")
	if ((round % 2)); then
		first=(--command-name kvm_floor "$floor")
		second=(--command-name hello.kvm "$monitor $hello")
	fi
	if ! hyperfine --shell=none --style none --warmup "$warm" --runs "$n" \
		--export-json "$work/round-$round.json" \
		"${first[@]}" "${second[@]}" 2>"$work/round-$round.log"; then
		cat "$work/round-$round.log" >&2
		exit 1
	fi
}

kvm=$(ls /sys/module | grep -E '^kvm_(intel|amd|pvm)$' | paste -sd ' ' || true)
echo "kvm boot to exit: $runs runs of each program in $rounds rounds, after $warmup warm-up runs"
echo "machine: $(uname -srm), $(nproc) CPUs, KVM module: ${kvm:-unknown}, $(hyperfine --version)"
for ((r = 0; r < rounds; r++)); do
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
for name in ("hello.kvm", "kvm_floor"):
    times = samples[name]
    medians[name] = statistics.median(times)
    print(f"  {name:<10} median {medians[name] * 1e3:7.3f} ms   "
          f"mean {statistics.mean(times) * 1e3:7.3f} ms   "
          f"min {min(times) * 1e3:7.3f} ms")
ratio = medians["hello.kvm"] / medians["kvm_floor"]
verdict = "met" if ratio <= 1.5 else "missed"
print(f"  ratio of medians hello.kvm / kvm_floor: {ratio:.2f} "
      f"(target <= 1.5: {verdict})")

with open(out, "w") as f:
    json.dump({"benchmark": "kvm boot to exit", "unit": "seconds",
               "machine": platform.uname()._asdict(),
               "rounds": len(rounds), "medians": medians, "ratio": ratio,
               "samples": samples}, f, indent=1)
EOF_PY

verdict() { (($1)) && echo met || echo missed; }
size=$(stat -c %s "$hello")
echo "  hello.kvm: $size bytes, $((size / 1024)) KiB (target <= 64 KiB: $(verdict "size <= 65536"))"
if "$monitor" --mem=1M "$hello" >/dev/null; then
	echo "  hello boots with --mem=1M: yes"
else
	echo "  hello boots with --mem=1M: no (status $?)"
fi
if [[ -x /usr/bin/time ]]; then
	rss=$(/usr/bin/time -f %M "$monitor" "$hello" 2>&1 >/dev/null | tail -1)
	echo "  monitor peak RSS for hello: $rss KiB (target <= 2048 KiB: $(verdict "rss <= 2048"))"
else
	echo "  monitor peak RSS: not measured, /usr/bin/time is missing (package time)"
fi
echo "samples: $json"
if grep -q outliers "$work"/round-*.log; then
	echo "note: hyperfine saw statistical outliers; the machine is busy, compare medians only"
fi
