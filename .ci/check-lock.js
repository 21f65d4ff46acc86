#!/usr/bin/env node
// Every optional dependency in package-lock.json must have its own lock entry. npm writes a lock on one
// platform without the optional builds the registry did not serve there (e.g. only Linux builds of a
// native add-on), and `npm ci` on every other platform then refuses the lock as out of sync.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const lockPath = process.argv[2] || join(__dirname, '..', 'package-lock.json');
const { packages } = JSON.parse(readFileSync(lockPath, 'utf8'));

/** Node's lookup: the package's own node_modules, then each enclosing one up to the root. */
function resolves(from, name) {
  let dir = from;
  for (;;) {
    if (packages[`${dir ? `${dir}/` : ''}node_modules/${name}`]) return true;
    if (!dir) return false;
    const at = dir.lastIndexOf('node_modules/');
    dir = at <= 0 ? '' : dir.slice(0, at - 1);
  }
}

const missing = [];
for (const [path, entry] of Object.entries(packages)) {
  for (const name of Object.keys(entry.optionalDependencies ?? {})) {
    if (!resolves(path, name)) missing.push(`${name} (optional dependency of ${path || 'the root'})`);
  }
}
if (missing.length) {
  console.error(`package-lock.json lacks entries for:\n  ${missing.join('\n  ')}`);
  console.error(
    'Regenerate it where the registry serves every platform build, or pin (overrides) a version that has them all.',
  );
  process.exit(1);
}
console.error('package-lock.json: every optional dependency has its lock entry');
