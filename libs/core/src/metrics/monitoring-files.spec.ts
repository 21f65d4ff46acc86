import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Metrics } from './metrics';

const ROOT = join(__dirname, '../../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

const FUNCTIONS = new Set(['histogram_quantile', 'clamp_min', 'clamp_max', 'label_replace']);

/** Metric names a PromQL text uses: label matchers and groupings removed, functions skipped. */
function metricNames(promql: string): string[] {
  const bare = promql.replace(/\{[^}]*\}/g, ' ').replace(/\b(by|without|ignoring|on)\s*\([^)]*\)/g, ' ');
  const names = (bare.match(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g) ?? []).filter(
    (name) => !FUNCTIONS.has(name),
  );
  return [...new Set(names.map((name) => name.replace(/_(bucket|sum|count)$/, '')))];
}

/**
 * The alert rules and the dashboard are checked by promtool in CI (syntax, thresholds); this keeps them
 * pointing at metrics the app really exports, so renaming one breaks here rather than silently in Grafana.
 */
describe('monitoring files', () => {
  let exported: Set<string>;
  beforeAll(async () => {
    const metrics = new Metrics();
    exported = new Set((await metrics.registry.getMetricsAsJSON()).map((metric) => metric.name));
  });

  it('every alert rule names exported metrics and carries severity, summary and a runbook link', () => {
    const alerts = read('monitoring/prometheus/alerts.yml');
    const used = metricNames(alerts);
    expect(used.length).toBe(9);
    expect(used.filter((name) => !exported.has(name))).toEqual([]);
    const rules = alerts.split(/\n\s+- alert: /).slice(1);
    expect(rules).toHaveLength(10);
    for (const rule of rules) {
      expect(rule).toMatch(/\bexpr:/);
      expect(rule).toMatch(/\bfor: \d+m/);
      expect(rule).toMatch(/severity: (page|warn)/);
      expect(rule).toMatch(/summary: /);
      expect(rule).toMatch(/runbook: docs\/runbook\.md#[a-z-]+/);
    }
  });

  it('the dashboard is Grafana JSON whose every panel queries exported metrics', () => {
    const dashboard = JSON.parse(read('monitoring/grafana/fittrack-dashboard.json')) as {
      panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    };
    expect(dashboard.panels.length).toBeGreaterThan(10);
    for (const panel of dashboard.panels) {
      const used = panel.targets.flatMap((target) => metricNames(target.expr));
      expect({ panel: panel.title, missing: used.filter((name) => !exported.has(name)) }).toEqual({
        panel: panel.title,
        missing: [],
      });
    }
  });
});
