#!/usr/bin/env node
/**
 * Coverage by layer, from Jest's coverage/coverage-summary.json (npm run test:coverage). The layers cut
 * across the libs, so Jest's per-path thresholds cannot express them. Exits 1 when a layer's line
 * coverage is at or below its floor; the HTML report is coverage/index.html.
 */
const { readFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '../..');

const LAYERS = [
  {
    name: 'data layer',
    floor: 90,
    includes: (path) =>
      path.startsWith('libs/core/src/database/') ||
      path.startsWith('migrations/') ||
      path.endsWith('.repository.ts') ||
      path.includes('/entities/'),
  },
  {
    name: 'API layer',
    floor: 85,
    includes: (path) =>
      path.startsWith('apps/api/src/') ||
      path.startsWith('libs/core/src/http/') ||
      path.endsWith('.controller.ts') ||
      path.includes('/dto/'),
  },
  { name: 'overall', floor: 85, includes: () => true },
];

const METRICS = ['lines', 'statements', 'branches', 'functions'];

const summary = JSON.parse(readFileSync(join(ROOT, 'coverage/coverage-summary.json'), 'utf8'));
const files = Object.entries(summary)
  .filter(([path]) => path !== 'total')
  .map(([path, metrics]) => ({ path: relative(ROOT, path), metrics }));

let failed = false;
const rows = LAYERS.map(({ name, floor, includes }) => {
  const layerFiles = files.filter((file) => includes(file.path));
  const percent = (metric) => {
    const total = layerFiles.reduce((sum, file) => sum + file.metrics[metric].total, 0);
    const covered = layerFiles.reduce((sum, file) => sum + file.metrics[metric].covered, 0);
    return total ? (100 * covered) / total : 100;
  };
  const lines = percent('lines');
  const ok = lines > floor;
  failed ||= !ok;
  return {
    layer: name,
    files: layerFiles.length,
    ...Object.fromEntries(METRICS.map((metric) => [metric, `${percent(metric).toFixed(1)} %`])),
    'lines must exceed': `${floor} %`,
    result: ok ? 'ok' : 'TOO LOW',
  };
});
// eslint-disable-next-line no-console -- this script is a report
console.table(rows);
if (failed) {
  console.error('Coverage is below a layer floor (open coverage/index.html for the uncovered lines).');
  process.exit(1);
}
