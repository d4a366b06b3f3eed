// html-validate over every .html file of a built site, with the rules of
// .htmlvalidate.json beside this file. Prints each error as
//   FILE:LINE:COL  RULE  MESSAGE  (SELECTOR)
// then a count per rule, and exits 1 if there was any error.
//   node validate.mjs DIR
import { HtmlValidate, StaticConfigLoader } from 'html-validate';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HERE, SITE_DIR, htmlFiles } from './site.mjs';

const dir = path.resolve(process.argv[2] ?? SITE_DIR);
const config = JSON.parse(readFileSync(path.join(HERE, '.htmlvalidate.json'), 'utf8'));
const validator = new HtmlValidate(new StaticConfigLoader(config));

let files;
try {
	files = htmlFiles(dir);
} catch (err) {
	console.error(`html-validate: cannot read ${dir}: ${err.message}`);
	process.exit(1);
}
if (files.length === 0) {
	console.error(`html-validate: no .html files in ${dir}`);
	process.exit(1);
}

const perRule = new Map();
let errors = 0, warnings = 0;
for (const file of files) {
	const report = await validator.validateFile(path.join(dir, file));
	for (const result of report.results) {
		for (const m of result.messages) {
			const error = m.severity === 2;
			if (error) errors++; else warnings++;
			const key = m.ruleId ?? 'unknown';
			perRule.set(key, (perRule.get(key) ?? 0) + 1);
			const where = m.selector ? `  (${m.selector})` : '';
			console.log(`${file}:${m.line}:${m.column}  ${error ? 'error' : 'warning'}  ${key}  ${m.message}${where}`);
		}
	}
}

if (perRule.size) {
	console.log('html-validate: per rule (see https://html-validate.org/rules/RULE.html):');
	for (const [rule, n] of [...perRule].sort((a, b) => b[1] - a[1]))
		console.log(`  ${rule}: ${n}`);
}
console.log(`html-validate: ${files.length} files, ${errors} errors, ${warnings} warnings`);
process.exit(errors ? 1 : 0);
