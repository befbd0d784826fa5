#!/usr/bin/env bash
# Boot benchmark: hello.posix from exec to exit, side by side with a static
# C hello started the same way; prints both medians and their ratio.
set -euo pipefail

usage() {
	cat <<'EOF_USAGE'
usage: bench/boot.sh [--build DIR] [--runs N] [--warmup N] [--json FILE]

Times DIR/apps/hello/hello.posix against DIR/bench/static_hello with
hyperfine (no shell in between, output to /dev/null), both in the same run,
and prints each median and the ratio hello.posix / static_hello (target:
<= 1.5). Every sample is kept in FILE (hyperfine's JSON).

  --build DIR   the meson build directory (default: build)
  --runs N      timed runs per program (default: 500)
  --warmup N    untimed runs first, to warm the page cache (default: 50)
  --json FILE   where to keep the samples (default: DIR/bench/boot.json)
EOF_USAGE
}

build=build
runs=500
warmup=50
json=
while (($#)); do
	case $1 in
	--build | --runs | --warmup | --json)
		(($# > 1)) || { echo "boot.sh: $1 needs a value" >&2; exit 2; }
		declare "${1#--}=$2"
		shift
		;;
	--build=* | --runs=* | --warmup=* | --json=*)
		opt=${1%%=*}
		declare "${opt#--}=${1#*=}"
		;;
	-h | --help) usage; exit 0 ;;
	*) echo "boot.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
	esac
	shift
done
[[ $runs =~ ^[1-9][0-9]*$ && $warmup =~ ^[0-9]+$ ]] ||
	{ echo "boot.sh: --runs and --warmup take whole numbers" >&2; exit 2; }
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

csv=$(mktemp)
log=$(mktemp)
trap 'rm -f "$csv" "$log"' EXIT
mkdir -p "$(dirname "$json")"

echo "boot to exit: $runs runs each after $warmup warm-up runs"
echo "machine: $(uname -srm), $(nproc) CPUs, $(hyperfine --version)"
if ! hyperfine --shell=none --style none --warmup "$warmup" --runs "$runs" \
	--export-csv "$csv" --export-json "$json" \
	--command-name hello.posix "$hello" \
	--command-name static_hello "$baseline" 2>"$log"; then
	cat "$log" >&2
	exit 1
fi

# hyperfine's CSV: command,mean,stddev,median,user,system,min,max (seconds).
awk -F, 'NR > 1 {
	median[$1] = $4
	printf "  %-14s median %7.3f ms   mean %7.3f ms   min %7.3f ms\n",
		$1, $4 * 1000, $2 * 1000, $7 * 1000
}
END {
	ratio = median["hello.posix"] / median["static_hello"]
	printf "  ratio of medians hello.posix / static_hello: %.2f (target <= 1.5: %s)\n",
		ratio, ratio <= 1.5 ? "met" : "missed"
}' "$csv"
echo "samples: $json"
if grep -q outliers "$log"; then
	echo "note: hyperfine saw statistical outliers; the machine is busy, compare medians only"
fi
