// Runs AWS's offline validator, @aws/cloudformation-validate (bundled inside aws-cdk-lib >= 2.262), over template files
// with one engine, and prints one JSON object: each file's diagnostics as {ruleId, severity, message, path}.
//
//   node benchmarks/cloudformation-validate.js FILE...            # CDK_DIR: where aws-cdk-lib is installed
//                                                                 # (default ${TMPDIR:-/tmp}/templates-cdk-bench, as report.sh)
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
const result = {};
try {
  for (const file of process.argv.slice(2)) {
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
