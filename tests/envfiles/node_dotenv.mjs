// Reads [{name, text}] as JSON on stdin; prints {name: pairs} as Node's dotenv
// (js/node_modules, pinned in js/package.json) reads each text from a file.
// Run by tests/envfiles/generate.py.
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(new URL("../../js/package.json", import.meta.url));
const dotenv = require("dotenv");
const cases = JSON.parse(readFileSync(0, "utf8"));
const dir = mkdtempSync(join(tmpdir(), "envfiles-"));
const out = { version: require("dotenv/package.json").version, results: {} };
try {
  for (const { name, text } of cases) {
    const path = join(dir, `${name}.env`);
    writeFileSync(path, text, "utf8");
    // What config() does: read the file as UTF-8 and parse it.
    out.results[name] = dotenv.parse(readFileSync(path));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(out));
