// Report viewer for GET /api/v1/reports/summary (admin). Renders defensively:
// expected {counts: {...}, integrity: {checks: [{name, passed, details}], ok}, workflow: {...}}
// but tolerates a `data` wrapper, map-shaped checks and nested workflow objects.
import { h, withBusy, setMessage, toNumber, formatNumber, countsTable, findCounts } from '../ui.js';
import { isOk, errorMessage } from '../api.js';

// Card key -> candidate count keys (first match wins).
const CARDS = [
  ['users', 'Users', ['users', 'user']],
  ['activities', 'Activities', ['activities', 'activity']],
  ['drawings', 'Drawings', ['drawings', 'drawing']],
  ['tickets', 'Tickets', ['tickets', 'ticket', 'tickets_purchased']],
];

function render(container, ctx) {
  const loadButton = h('button', { type: 'button', class: 'btn', testid: 'reports-load' }, 'Load summary');
  const message = h('p', { testid: 'reports-message', hidden: true, role: 'status' });
  const cards = h('div', { class: 'cards', testid: 'report-cards' });
  const entities = h('div', { testid: 'report-entities' });
  const integrityStatus = h('p', { testid: 'report-integrity-status' });
  const integrityList = h('ul', { class: 'check-list', testid: 'report-integrity-list' });
  const workflow = h('div', { testid: 'report-workflow' });

  async function load() {
    const result = await ctx.call('GET', '/api/v1/reports/summary');
    if (!isOk(result)) {
      const hint =
        result.status === 401 || result.status === 403
          ? ' — needs an admin token (Authentication tab → Log in as admin).'
          : '';
      return setMessage(message, `Could not load summary: ${errorMessage(result)}${hint}`, 'error');
    }
    setMessage(message, `Loaded at ${new Date().toLocaleTimeString()}`, 'ok');
    const body =
      result.body?.data && typeof result.body.data === 'object' ? result.body.data : result.body || {};
    showSummary(body);
  }

  function showSummary(body) {
    const counts = findCounts(body);
    cards.replaceChildren(
      ...CARDS.map(([key, label, candidates]) => {
        const n =
          candidates.map((k) => toNumber(counts[k])).find((v) => v !== null && v !== undefined) ?? null;
        return h(
          'div',
          { class: 'stat-card', testid: `report-card-${key}` },
          h('span', { class: 'stat-label' }, label),
          h('span', { class: 'stat-value', testid: `report-card-${key}-value` }, formatNumber(n)),
        );
      }),
    );
    entities.replaceChildren(countsTable(counts, 'report-entity-table'));
    showIntegrity(body.integrity ?? body.integrity_checks ?? body.checks);
    showWorkflow(body.workflow ?? body.workflows ?? body.workflow_figures);
  }

  function showIntegrity(integrity) {
    const checks = normalizeChecks(integrity);
    const ok =
      typeof integrity?.ok === 'boolean'
        ? integrity.ok
        : checks.length
          ? checks.every((c) => c.passed)
          : null;
    integrityStatus.textContent =
      ok === null
        ? 'No integrity data in response'
        : ok
          ? 'All integrity checks passed'
          : 'Some integrity checks FAILED';
    integrityStatus.className = ok === null ? 'muted' : ok ? 'text-ok' : 'text-error';
    integrityList.replaceChildren(
      ...checks.map((c) =>
        h(
          'li',
          {
            class: c.passed ? 'check pass' : 'check fail',
            testid: 'report-integrity-item',
            'data-passed': String(c.passed),
          },
          h('span', { class: c.passed ? 'badge badge-ok' : 'badge badge-error' }, c.passed ? 'PASS' : 'FAIL'),
          ' ',
          h('strong', {}, c.name),
          c.details !== undefined && c.details !== null && c.details !== ''
            ? h(
                'span',
                { class: 'muted' },
                ` — ${typeof c.details === 'string' ? c.details : JSON.stringify(c.details)}`,
              )
            : null,
        ),
      ),
    );
  }

  function showWorkflow(data) {
    const figures = flatten(data);
    if (!figures.length)
      return workflow.replaceChildren(h('p', { class: 'muted' }, 'No workflow figures in response'));
    // Bars are relative to the largest numeric figure: a quick visual, not a chart.
    const max = Math.max(1, ...figures.map(([, v]) => (typeof v === 'number' ? v : 0)));
    workflow.replaceChildren(
      h(
        'dl',
        { class: 'bars' },
        figures.map(([name, value]) =>
          h(
            'div',
            { class: 'bar-row', 'data-name': name },
            h('dt', {}, name),
            h(
              'dd',
              {},
              typeof value === 'number'
                ? [bar((value / max) * 100), h('span', { class: 'bar-value' }, formatNumber(value))]
                : String(value),
            ),
          ),
        ),
      ),
    );
  }

  loadButton.addEventListener('click', () => withBusy(loadButton, load));

  container.append(
    h('h2', {}, 'Reports'),
    h('div', { class: 'actions' }, loadButton),
    message,
    cards,
    h(
      'div',
      { class: 'grid grid-2' },
      h('section', { class: 'card' }, h('h3', {}, 'Entities'), entities),
      h('section', { class: 'card' }, h('h3', {}, 'Integrity checks'), integrityStatus, integrityList),
    ),
    h('section', { class: 'card' }, h('h3', {}, 'Workflow'), workflow),
  );
  showSummary({}); // empty state: cards show "—" until loaded
  // Auto-load only for admins; others would just get a 403.
  if (ctx.tokens.get()?.role === 'admin') withBusy(loadButton, load);
  else setMessage(message, 'Click “Load summary” (needs an admin token).', 'info');
}

// Set through el.style (not a style attribute) so a strict CSP still allows it.
function bar(percent) {
  const el = h('span', { class: 'bar', 'aria-hidden': 'true' });
  el.style.width = `${Math.max(2, percent)}%`;
  return el;
}

/** Accepts {checks: [...]}, an array, or a map {name: bool | {passed, details}}. */
function normalizeChecks(integrity) {
  if (!integrity) return [];
  const list = Array.isArray(integrity)
    ? integrity
    : Array.isArray(integrity.checks)
      ? integrity.checks
      : null;
  if (list) {
    return list.map((c, i) => ({
      name: c.name ?? c.check ?? `check ${i + 1}`,
      passed: Boolean(c.passed ?? c.ok ?? c.pass ?? c.status === 'pass'),
      details:
        c.details ?? c.detail ?? c.message ?? (c.count !== undefined ? `count: ${c.count}` : undefined),
    }));
  }
  return Object.entries(integrity)
    .filter(([k]) => k !== 'ok')
    .map(([name, v]) =>
      typeof v === 'object' && v !== null
        ? { name, passed: Boolean(v.passed ?? v.ok), details: v.details ?? v.detail }
        : { name, passed: Boolean(v), details: undefined },
    );
}

/** {registrations: {total: 5, pending: 1}} -> [['registrations.total', 5], ['registrations.pending', 1]] */
function flatten(data, prefix = '') {
  if (data === null || data === undefined) return [];
  if (typeof data !== 'object') return [[prefix || 'value', data]];
  return Object.entries(data).flatMap(([k, v]) => {
    const name = prefix ? `${prefix}.${k}` : k;
    return v && typeof v === 'object' && !Array.isArray(v)
      ? flatten(v, name)
      : [[name, Array.isArray(v) ? JSON.stringify(v) : v]];
  });
}

export default { id: 'reports', title: 'Reports', render };
