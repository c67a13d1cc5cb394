// SPDX-License-Identifier: MIT
// schema-validate.js: validate JSON files against docs/cengine.schema.json with ajv (draft 2020-12,
// strict), one line per file: "valid FILE" or "invalid FILE: where what". Exit 1 when one is invalid.
//   NODE_PATH=<dir>/node_modules node tests/schema-validate.js SCHEMA FILE...
"use strict";
const fs = require("fs");
const Ajv2020 = require("ajv/dist/2020");
const [schemaFile, ...files] = process.argv.slice(2);
const ajv = new Ajv2020({ strict: true, strictRequired: false });
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, "utf8")));
let bad = 0;
for (const f of files) {
	const ok = validate(JSON.parse(fs.readFileSync(f, "utf8")));
	if (ok) {
		console.log("valid " + f);
	} else {
		bad++;
		const e = validate.errors[0];
		console.log("invalid " + f + ": " + (e.instancePath || "/") + " " + e.message + " " + JSON.stringify(e.params));
	}
}
process.exit(bad ? 1 : 0);
