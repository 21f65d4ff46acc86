// Tab registry: the order here is the order of the tab bar.
//
// To add a tab (one new file + one line here):
//   1. Create js/tabs/<name>.js with `export default {id, title, render(container, ctx)}`
//      - id: kebab-case; the tab button gets data-testid="tab-<id>", its panel "panel-<id>"
//      - render runs once, the first time the tab is opened (ctx is described in js/app.js)
//      - adminOnly: true shows the tab button to admins only
//   2. Add './<name>.js' to TAB_FILES below. Nothing else needs to change.
const TAB_FILES = [
  './api-tester.js',
  './auth.js',
  './points.js',
  './trackers.js',
  './leaderboards.js',
  './drawings.js',
  './reports.js',
  './data-controls.js',
  './admin.js',
];

// Resolved relative to this file; top-level await keeps app.js synchronous-looking.
export const TABS = (await Promise.all(TAB_FILES.map((file) => import(file)))).map(
  (module) => module.default,
);
