#!/usr/bin/env bash
# validate on many templates, against cfn-lint and AWS's cloudformation-validate: whole-process time and each file's verdict.
#
#   bash benchmarks/validate-many.sh                 # 200 generated templates (50 varied apps of the guide's kind)
#   bash benchmarks/validate-many.sh DIR...          # the same, and every template under each DIR (JSON or YAML)
#
# For a measurement on AWS's own samples, check them out outside the repository (never commit them):
#   git clone https://github.com/aws-cloudformation/aws-cloudformation-templates /tmp/aws-samples
#   bash benchmarks/validate-many.sh /tmp/aws-samples
#
# `validate` runs as the native executable of `dotnet publish definitions -c Release -r linux-x64 -p:Aot=true` (needs gcc
# or clang), the fastest way to run it (README, "Speed").
# Prints a markdown report: per set, the median wall time of $RUNS runs (default 3) of each tool over all its files in
# one process, and the files whose verdicts differ (rejected = at least one error; cloudformation-validate: ERROR or FATAL).
# cloudformation-validate is run through Node from aws-cdk-lib in $CDK_DIR (as benchmarks/report.sh installs it);
# without it, its columns are left out.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

runs="${RUNS:-3}"
cdk_dir="${CDK_DIR:-${TMPDIR:-/tmp}/templates-cdk-bench}"
validator="$cdk_dir/node_modules/aws-cdk-lib/node_modules/@aws/cloudformation-validate"
work="$(mktemp -d "${TMPDIR:-/tmp}/templates-many.XXXXXX")"
trap 'rm -rf "$work"' EXIT
log() { echo "$*" >&2; }

log "Building (Release) and publishing definitions native AOT …"
dotnet build benchmarks/Templates.Benchmarks -c Release -nologo -v q >&2
dotnet publish definitions -c Release -r linux-x64 -p:Aot=true -o "$work/aot" --artifacts-path "$work/aot-build" -nologo -v q >&2
templates="$work/aot/definitions"
dotnet benchmarks/Templates.Benchmarks/bin/Release/net10.0/Templates.Benchmarks.dll generate "$work/generated" 50 >&2

# The templates of a folder: JSON and YAML files with a Resources key (skips package.json, buildspecs, …).
list() {
  find "$1" -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' -o -name '*.template' \) -not -path '*/node_modules/*' -print0 \
    | xargs -0 grep -l -E '"?Resources"?[[:space:]]*:' | sort
}

cat > "$work/cfn-validate.js" <<'JS'
// node cfn-validate.js FILE... : one line per file, "FILE<TAB>rejects|passes"
const path = require('path');
const { CompositeEngine, TemplateFile } = require(process.env.VALIDATOR);
const engine = new CompositeEngine();
for (const file of process.argv.slice(2)) {
  let rejects;
  try {
    const report = engine.validateTemplate(new TemplateFile(path.resolve(file)));
    rejects = report.diagnostics.some(d => d.severity === 'ERROR' || d.severity === 'FATAL');
  } catch (e) { rejects = true; }
  console.log(`${file}\t${rejects ? 'rejects' : 'passes'}`);
}
JS

# median WALL seconds of $runs runs of a command (output discarded)
median() {
  : > "$work/times"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e" -o "$work/one" "$@" >/dev/null 2>&1 || true
    tail -n 1 "$work/one" >> "$work/times"
  done
  sort -n "$work/times" | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

echo "# validate on many templates"
echo
echo "Measured with \`bash benchmarks/validate-many.sh$( (($#)) && printf ' %s' "$@")\` on $(nproc) cores, .NET SDK $(dotnet --version), cfn-lint $(cfn-lint --version | awk '{print $2}')$([ -d "$validator" ] && echo ", cloudformation-validate $(node -p "require('$validator/package.json').version") through Node $(node --version)"); wall time, median of $runs runs, each tool over all files of the set in one process."
echo

sets=("$work/generated" "$@")
for set in "${sets[@]}"; do
  mapfile -t files < <(list "$set")
  label="$( [ "$set" = "$work/generated" ] && echo "generated (50 apps × 4 stacks)" || echo "$set")"
  log "Set $label: ${#files[@]} templates …"
  "$templates" validate --format json "${files[@]}" > "$work/ours.json" 2>/dev/null || true
  cfn-lint --format json -- "${files[@]}" > "$work/lint.json" 2>/dev/null || true
  if [ -d "$validator" ]; then VALIDATOR="$validator" node "$work/cfn-validate.js" "${files[@]}" > "$work/cv.tsv"; else : > "$work/cv.tsv"; fi
  ours=$(median "$templates" validate "${files[@]}")
  lint=$(median cfn-lint -- "${files[@]}")
  cv=""
  if [ -d "$validator" ]; then cv=$(VALIDATOR="$validator" median node "$work/cfn-validate.js" "${files[@]}"); fi
  python3 - "$label" "${#files[@]}" "$ours" "$lint" "$cv" "$work" "$set" <<'PY'
import collections, json, os, sys
label, count, ours_s, lint_s, cv_s, work, root = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6], sys.argv[7]
rel = lambda f: os.path.relpath(os.path.abspath(f), os.path.abspath(root))
ours = {rel(f["file"]): any(p["severity"] == "error" for p in f["findings"]) or bool(f.get("unreadable")) for f in json.load(open(f"{work}/ours.json"))}
lint = collections.defaultdict(bool)
for m in json.load(open(f"{work}/lint.json")):
    if m["Level"] == "Error": lint[rel(m["Filename"])] = True
cv = {rel(l.split("\t")[0]): l.split("\t")[1].strip() == "rejects" for l in open(f"{work}/cv.tsv") if "\t" in l}
has_cv = bool(cv)
print(f"## {label}: {count} templates\n")
print("| Tool | Wall (s) | ÷ validate | Rejects |\n|---|---:|---:|---:|")
print(f"| Templates `validate` | {ours_s:.2f} | 1× | {sum(ours.values())} |")
print(f"| cfn-lint | {lint_s:.2f} | {lint_s / ours_s:.1f}× | {sum(lint[f] for f in ours)} |")
if has_cv: print(f"| cloudformation-validate (Node) | {float(cv_s):.2f} | {float(cv_s) / ours_s:.1f}× | {sum(cv.get(f, False) for f in ours)} |")
print()
def show(title, names):
    print(f"{title}: {len(names)}" + ("" if not names else "\n\n" + "\n".join(f"- `{n}`" for n in sorted(names))) + "\n")
others = (lambda f: lint[f] and cv.get(f, False)) if has_cv else (lambda f: lint[f])
show("We reject, " + ("both others accept" if has_cv else "cfn-lint accepts"), [f for f in ours if ours[f] and not lint[f] and not (has_cv and cv.get(f, False))])
show(("Both others reject" if has_cv else "cfn-lint rejects") + ", we accept", [f for f in ours if not ours[f] and others(f)])
show("cfn-lint alone rejects", [f for f in ours if lint[f] and not ours[f] and not (has_cv and cv.get(f, False))])
if has_cv: show("cloudformation-validate alone rejects", [f for f in ours if cv.get(f, False) and not ours[f] and not lint[f]])
PY
done
