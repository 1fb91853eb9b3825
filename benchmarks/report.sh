#!/usr/bin/env bash
# The performance report, measured in one run on one machine, printed as Markdown (docs/performance.md is its output):
#   1. whole process: Templates emitting and validating every environment of the guide's app (the native executable of
#      `dotnet publish definitions -p:Aot=true`, ReadyToRun, and `dotnet definitions.dll`), against the AWS CDK synthesizing
#      the same app (benchmarks/cdk/app.js);
#   2. whole process: `validate` against cfn-lint and AWS's cloudformation-validate (through Node,
#      benchmarks/cloudformation-validate.js, from the aws-cdk-lib of $CDK_DIR) on the same templates;
#   3. in process (BenchmarkDotNet): validation of the guide's templates, and emit + validate at 1, 10 and 100 services;
#   4. the analyzers' cost on `definitions` (dotnet build -p:ReportAnalyzer=true).
#
#   bash benchmarks/report.sh > docs/performance.md        # RUNS=15 for more runs per whole-process figure
#
# Needs the .NET 10 SDK (and, for native AOT, gcc or clang), Node.js and npm (aws-cdk-lib is installed outside the repository, into $CDK_DIR, the first
# time), cfn-lint, and /usr/bin/time (Debian package "time"). Takes about five minutes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

runs="${RUNS:-9}"
cdk_dir="${CDK_DIR:-${TMPDIR:-/tmp}/templates-cdk-bench}"
cdk_version="${CDK_VERSION:-2.276.0}"
work="$(mktemp -d "${TMPDIR:-/tmp}/templates-report.XXXXXX")"
trap 'rm -rf "$work"' EXIT
log() { echo "$*" >&2; }

if [ ! -d "$cdk_dir/node_modules/aws-cdk-lib" ]; then
  log "Installing aws-cdk-lib@$cdk_version into $cdk_dir …"
  mkdir -p "$cdk_dir"
  npm install --prefix "$cdk_dir" --no-audit --no-fund --silent "aws-cdk-lib@$cdk_version" "constructs@10" >&2
fi

log "Building (Release) and publishing definitions ReadyToRun and native AOT …"
dotnet build definitions -c Release -nologo -v q >&2
dotnet publish definitions -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/r2r" --artifacts-path "$work/r2r-build" -nologo -v q >&2
dotnet publish definitions -c Release -r linux-x64 -p:Aot=true -o "$work/aot" --artifacts-path "$work/aot-build" -nologo -v q >&2
dll="definitions/bin/Release/net10.0/definitions.dll"
r2r="$work/r2r/definitions"
aot="$work/aot/definitions"
"$aot" --out "$work/guide" >/dev/null
mkdir -p "$work/corpus" && cp tests/Templates.Validation.Tests/Corpus/*/*.json "$work/guide"/*.json "$work/corpus/"
guide_count=$(ls "$work/guide"/*.json | wc -l); corpus_count=$(ls "$work/corpus"/*.json | wc -l)

# measure LABEL COMMAND…: one warm-up, then $runs runs; appends "LABEL|median seconds|median peak MiB" to $work/rows.
measure() {
  local label="$1"; shift
  "$@" >/dev/null 2>&1 || true
  : > "$work/times"
  for _ in $(seq "$runs"); do
    rm -rf "$work/out"
    /usr/bin/time -f "%e %M" -o "$work/one" "$@" >/dev/null 2>&1 || true
    cat "$work/one" >> "$work/times"
  done
  python3 - "$label" "$work/times" >> "$work/rows" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[2]) if l.strip() and l.split()[0][0].isdigit()]
print(f"{sys.argv[1]}|{statistics.median(float(r[0]) for r in rows):.3f}|{statistics.median(int(r[1]) for r in rows) / 1024:.0f}")
PY
  log "  $(tail -n 1 "$work/rows")"
}

log "Whole-process timings ($runs runs each) …"
: > "$work/rows"
measure "Templates (native AOT): emit + validate the guide's $guide_count stacks" "$aot" --out "$work/out"
measure "Templates (ReadyToRun): the same" "$r2r" --out "$work/out"
measure "Templates (dotnet definitions.dll): the same" dotnet "$dll" --out "$work/out"
NODE_PATH="$cdk_dir/node_modules" measure "AWS CDK $cdk_version: synth the equivalent app (3 stacks)" node benchmarks/cdk/app.js "$work/out"
measure "Templates validate (native AOT): the guide's $guide_count templates" "$aot" validate "$work/guide"
measure "Templates validate (ReadyToRun): the same $guide_count templates" "$r2r" validate "$work/guide"
measure "cfn-lint $(cfn-lint --version | awk '{print $2}'): the same $guide_count templates" cfn-lint "$work/guide"/*.json
cfv_version=$(node -p "require('$cdk_dir/node_modules/aws-cdk-lib/node_modules/@aws/cloudformation-validate/package.json').version")
measure "cloudformation-validate $cfv_version (Node, aws-cdk-lib $cdk_version): the same $guide_count templates" env CDK_DIR="$cdk_dir" node benchmarks/cloudformation-validate.js "$work/guide"/*.json
measure "Templates validate (native AOT): $corpus_count templates (guide + validation corpus)" "$aot" validate "$work/corpus"
measure "Templates validate (ReadyToRun): the same $corpus_count templates" "$r2r" validate "$work/corpus"
measure "cfn-lint: the same $corpus_count templates" cfn-lint "$work/corpus"/*.json
measure "cloudformation-validate: the same $corpus_count templates" env CDK_DIR="$cdk_dir" node benchmarks/cloudformation-validate.js "$work/corpus"/*.json

log "cloudformation-validate in process (per template) …"
env CDK_DIR="$cdk_dir" node benchmarks/cloudformation-validate.js --time 9 "$work/guide"/*.json > "$work/cv-guide.json"
env CDK_DIR="$cdk_dir" node benchmarks/cloudformation-validate.js --time 9 "$work/corpus"/*.json > "$work/cv-corpus.json"

log "BenchmarkDotNet (medium job) …"
rm -rf BenchmarkDotNet.Artifacts/results
dotnet run -c Release --project benchmarks/Templates.Benchmarks -- --filter '*' --job medium --exporters github >&2

log "Analyzer cost (3 builds) …"
: > "$work/analyzer"
for _ in 1 2 3; do
  dotnet build definitions --no-incremental -p:ReportAnalyzer=true -v:d -nologo 2>&1 \
    | awk '/Templates.Analyzers.DefinitionAnalyzer/ {print $1; exit}' >> "$work/analyzer"
done

python3 - "$work" "$runs" "$cdk_version" <<'PY'
import glob, os, platform, statistics, subprocess, sys
work, runs, cdk = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def sh(cmd): return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
cpu = sh("awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo").strip()
memory = sh("free -g | awk '/Mem:/ {print $2}'")
sdk, node = sh("dotnet --version"), sh("node --version")
print("# Performance\n")
print(f"Measured in one run of `bash benchmarks/report.sh` on {cpu}, {os.cpu_count()} cores, "
      f"{memory} GiB, {platform.system()} {platform.release()}, "
      f".NET SDK {sdk}, Node {node}. Whole-process figures are medians of {runs} runs "
      "after a warm-up (`/usr/bin/time`: wall time and peak resident memory).\n")
rows = [l.rstrip("\n").split("|") for l in open(os.path.join(work, "rows"))]
def row(i): return rows[i][0], float(rows[i][1]), rows[i][2]
print("## Generating: Templates against the AWS CDK\n")
print("| What | Wall (s) | Peak memory (MiB) | Relative |\n|---|---:|---:|---:|")
base = row(0)[1]
for i in range(4):
    name, wall, rss = row(i)
    print(f"| {name} | {wall:.3f} | {rss} | {wall / base:.1f}× |")
print("\n## Validating: `validate` against cfn-lint and AWS's cloudformation-validate\n")
print("| What | Wall (s) | Peak memory (MiB) | It ÷ Templates (native AOT) |\n|---|---:|---:|---:|")
for i in (4, 8):
    ours = row(i)
    print(f"| {ours[0]} | {ours[1]:.3f} | {ours[2]} | |")
    for theirs in (row(i + 1), row(i + 2), row(i + 3)):
        print(f"| {theirs[0]} | {theirs[1]:.3f} | {theirs[2]} | {theirs[1] / ours[1]:.1f}× |")
print("\n## In process, per template: cloudformation-validate\n")
print("After one warm-up pass, the median of 9 passes of `benchmarks/cloudformation-validate.js --time`, beside `validate`'s own "
      "per-template time from BenchmarkDotNet below (`ParseAndValidateGuideTemplates` divided by the guide's templates):\n")
import json
for name, label in (("cv-guide.json", f"the guide's {len(glob.glob(os.path.join(work, 'guide', '*.json')))} templates"), ("cv-corpus.json", f"{len(glob.glob(os.path.join(work, 'corpus', '*.json')))} templates (guide + corpus)")):
    figure = json.load(open(os.path.join(work, name)))
    print(f"- cloudformation-validate, {label}: {figure['msPerTemplate']:.2f} ms per template")
print("\n## In process (BenchmarkDotNet, medium job)\n")
for path in sorted(glob.glob("BenchmarkDotNet.Artifacts/results/*-report-github.md")):
    lines = [l for l in open(path) if l.startswith("|")]
    print(f"`{os.path.basename(path).replace('-report-github.md', '')}`\n")
    print("".join(lines).replace("**", ""))
ms = [float(x) * 1000 for x in open(os.path.join(work, "analyzer")).read().split() if x.replace('.', '', 1).isdigit()]
print("## Analyzers\n")
if ms:
    print(f"`Templates.Analyzers.DefinitionAnalyzer` on `definitions` (`dotnet build definitions --no-incremental -p:ReportAnalyzer=true -v:d`): "
          f"median {statistics.median(ms):.0f} ms of analyzer time over {len(ms)} builds (each: {', '.join(f'{m:.0f}' for m in ms)} ms).")
PY
