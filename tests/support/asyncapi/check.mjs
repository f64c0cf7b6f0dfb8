// Parse an AsyncAPI document with AsyncAPI's own parser and print its diagnostics as JSON lines:
// {"severity": "error"|"warning"|"info"|"hint", "code", "message", "path"}. Exit code 0 always; the caller judges.
import { readFileSync } from "node:fs";
import { Parser } from "@asyncapi/parser";

const SEVERITY = ["error", "warning", "info", "hint"];
const document = readFileSync(process.argv[2], "utf8");
const { diagnostics } = await new Parser().parse(document);
for (const d of diagnostics) {
  console.log(JSON.stringify({ severity: SEVERITY[d.severity], code: String(d.code), message: d.message,
                               path: d.path.join(".") }));
}
