// Runs AWS's offline validator, @aws/cloudformation-validate (bundled inside aws-cdk-lib >= 2.262), over template files
// with one engine, and prints one JSON object: each file's diagnostics as {ruleId, severity, message, path}.
//
//   node benchmarks/cloudformation-validate.js FILE...            # CDK_DIR: where aws-cdk-lib is installed
//                                                                 # (default ${TMPDIR:-/tmp}/templates-cdk-bench, as report.sh)
//   node benchmarks/cloudformation-validate.js --time N FILE...   # in process: after one warm-up pass over the files, N timed
//                                                                 # passes; prints {"msPerTemplate": median of the passes, …}
//
// Exits 3 with a message on stderr when the package cannot be found; a file the validator cannot read is reported as
// {"error": "..."} for that file.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

const cdkDir = process.env.CDK_DIR || path.join(process.env.TMPDIR || os.tmpdir(), "templates-cdk-bench");
const candidates = [
  path.join(cdkDir, "node_modules", "aws-cdk-lib", "node_modules", "@aws", "cloudformation-validate"),
  path.join(cdkDir, "node_modules", "@aws", "cloudformation-validate"),
];
const found = candidates.find((c) => fs.existsSync(path.join(c, "package.json")));
if (!found) {
  process.stderr.write(`@aws/cloudformation-validate not found under ${cdkDir} (npm install --prefix ${cdkDir} aws-cdk-lib@2.276.0 constructs@10)\n`);
  process.exit(3);
}
const { CompositeEngine, TemplateFile } = require(found);
const engine = new CompositeEngine();
let args = process.argv.slice(2);
if (args[0] === "--time") {
  // The in-process figure, comparable with BenchmarkDotNet's per-template time of `validate` (files read each pass, as
  // TemplateFile reads them; the engine and its schemas already warm).
  const passes = Number(args[1]);
  const files = args.slice(2);
  const once = () => { for (const file of files) engine.validateTemplate(new TemplateFile(file), { detailLevel: "STANDARD" }); };
  once();
  const times = [];
  for (let i = 0; i < passes; i++) {
    const start = process.hrtime.bigint();
    once();
    times.push(Number(process.hrtime.bigint() - start) / 1e6 / files.length);
  }
  times.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ msPerTemplate: times[Math.floor(times.length / 2)], passes, templates: files.length }) + "\n");
  engine.free();
  process.exit(0);
}
const result = {};
try {
  for (const file of args) {
    try {
      const report = engine.validateTemplate(new TemplateFile(file), { detailLevel: "STANDARD" });
      result[file] = report.diagnostics.map((d) => ({
        ruleId: d.ruleId,
        severity: String(d.severity),
        message: d.message,
        path: d.propertyPath ?? null,
        resource: d.entity?.id ?? d.entity?.name ?? null,
      }));
    } catch (error) {
      result[file] = { error: String(error) };
    }
  }
} finally {
  engine.free();
}
process.stdout.write(JSON.stringify(result) + "\n");
