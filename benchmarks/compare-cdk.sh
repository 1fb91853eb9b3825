#!/usr/bin/env bash
# Whole-process comparison, in one run on one machine: our generator (emit + validate every environment of the
# guide's app) against the AWS CDK synthesizing the equivalent app (benchmarks/cdk/app.js).
# Prints the median wall time and the median peak memory of RUNS runs of each.
#
#   bash benchmarks/compare-cdk.sh            # 7 runs each
#   RUNS=15 bash benchmarks/compare-cdk.sh
#
# Needs the .NET 10 SDK, Node.js and npm, and /usr/bin/time (Debian package "time"). aws-cdk-lib is installed
# outside the repository, into $CDK_DIR (default: a folder under /tmp), the first time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

runs="${RUNS:-7}"
cdk_dir="${CDK_DIR:-${TMPDIR:-/tmp}/templates-cdk-bench}"
cdk_version="${CDK_VERSION:-2.276.0}"
work="$(mktemp -d "${TMPDIR:-/tmp}/templates-compare.XXXXXX")"
trap 'rm -rf "$work"' EXIT

if [ ! -d "$cdk_dir/node_modules/aws-cdk-lib" ]; then
  echo "Installing aws-cdk-lib@$cdk_version into $cdk_dir …" >&2
  mkdir -p "$cdk_dir"
  npm install --prefix "$cdk_dir" --no-audit --no-fund --silent "aws-cdk-lib@$cdk_version" "constructs@10" >&2
fi

echo "Building definitions (Release) …" >&2
dotnet build definitions -c Release -nologo -v q >&2
ours="definitions/bin/Release/net10.0/definitions.dll"

# measure LABEL COMMAND…: runs the command $runs times (after one warm-up), prints "LABEL median_seconds median_peak_MiB".
measure() {
  local label="$1"; shift
  "$@" >/dev/null 2>&1 || { echo "$label failed: $*" >&2; "$@"; exit 1; }
  : > "$work/$label.times"
  for _ in $(seq "$runs"); do
    rm -rf "$work/out"
    /usr/bin/time -f "%e %M" -o "$work/one" "$@" >/dev/null 2>&1
    cat "$work/one" >> "$work/$label.times"
  done
  python3 - "$label" "$work/$label.times" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[2]) if line.strip()]
wall = statistics.median(float(r[0]) for r in rows)
rss = statistics.median(int(r[1]) for r in rows) / 1024
print(f"{sys.argv[1]} {wall:.3f} {rss:.0f}")
PY
}

printf "%s\n" "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr), .NET $(dotnet --version), Node $(node --version), aws-cdk-lib $cdk_version; median of $runs runs" >&2
{
  measure templates dotnet "$ours" --out "$work/out"
  NODE_PATH="$cdk_dir/node_modules" measure cdk-synth node benchmarks/cdk/app.js "$work/out"
} > "$work/results"
python3 - "$work/results" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
names = {"templates": "Templates: emit + validate dev, staging, prod", "cdk-synth": "AWS CDK: synth of the same three stacks"}
base = float(rows[0][1])
print("| what | wall (s) | peak RSS (MiB) | vs Templates |")
print("|---|---:|---:|---:|")
for label, wall, rss in rows:
    print(f"| {names.get(label, label)} | {float(wall):.3f} | {rss} | {float(wall) / base:.1f}x |")
PY
