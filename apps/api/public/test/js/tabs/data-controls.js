// Data controls: seed / reset the database (admin, non-production) and show statistics.
import { h, withBusy, setMessage, countsTable, findCounts } from '../ui.js';
import { isOk, errorMessage } from '../api.js';

function render(container, ctx) {
  const seedButton = h('button', { type: 'button', class: 'btn', testid: 'seed-button' }, 'Seed database');
  const resetButton = h(
    'button',
    { type: 'button', class: 'btn btn-danger', testid: 'reset-button' },
    'Reset database',
  );
  const loading = h(
    'p',
    { class: 'loading', testid: 'data-loading', role: 'status', hidden: true },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }),
    h('span', { class: 'loading-text' }),
  );
  const message = h('p', { testid: 'data-message', hidden: true, role: 'status' });
  const seedStats = h('div', { testid: 'seed-stats' });
  const statsButton = h(
    'button',
    { type: 'button', class: 'btn btn-secondary', testid: 'stats-refresh' },
    'Refresh statistics',
  );
  const stats = h('div', { testid: 'stats' });

  // Seeding can take a while: show a spinner and lock both buttons meanwhile.
  async function run(label, path) {
    loading.querySelector('.loading-text').textContent = `${label}…`;
    loading.hidden = false;
    setMessage(message, '', 'info');
    seedButton.disabled = resetButton.disabled = true;
    try {
      const result = await ctx.call('POST', path);
      if (isOk(result)) {
        const relogin =
          label === 'Reset' ? ' Tokens issued before the reset may no longer work: log in again.' : '';
        setMessage(message, `${label} done (HTTP ${result.status}).${relogin}`, 'ok');
        const counts = findCounts(result.body);
        seedStats.replaceChildren(h('h3', {}, `${label}: counts`), countsTable(counts, 'seed-stats-table'));
        await loadStats(false);
      } else {
        const hint =
          result.status === 401 || result.status === 403
            ? ' — needs an admin token (Authentication tab → Log in as admin).'
            : '';
        setMessage(message, `${label} failed: ${errorMessage(result)}${hint}`, 'error');
      }
    } finally {
      loading.hidden = true;
      seedButton.disabled = resetButton.disabled = false;
    }
  }

  // `show` false: keep the seed/reset response visible in the response panel.
  async function loadStats(show = true) {
    const result = show
      ? await ctx.call('GET', '/api/v1/reports/summary')
      : await ctx.api('GET', '/api/v1/reports/summary');
    stats.replaceChildren(
      isOk(result)
        ? countsTable(findCounts(result.body), 'stats-table')
        : h('p', { class: 'text-error' }, `Statistics unavailable: ${errorMessage(result)}`),
    );
  }

  seedButton.addEventListener('click', () => run('Seed', '/api/v1/admin/seed'));
  resetButton.addEventListener('click', () => {
    // Reset wipes every table: make the tester confirm.
    if (!window.confirm('Reset the database? This wipes ALL data, re-runs migrations and seeds again.')) {
      setMessage(message, 'Reset cancelled.', 'info');
      return;
    }
    run('Reset', '/api/v1/admin/reset');
  });
  statsButton.addEventListener('click', () => withBusy(statsButton, () => loadStats(true)));

  container.append(
    h('h2', {}, 'Data Controls'),
    h(
      'section',
      { class: 'card' },
      h(
        'p',
        { class: 'hint' },
        'Admin token required; these endpoints answer 404 in production. Seeded logins are in the Authentication tab.',
      ),
      h('div', { class: 'actions' }, seedButton, resetButton),
      loading,
      message,
      seedStats,
    ),
    h(
      'section',
      { class: 'card' },
      h('h3', {}, 'Statistics'),
      h('p', { class: 'hint' }, 'Counts per entity from GET /api/v1/reports/summary.'),
      h('div', { class: 'actions' }, statsButton),
      stats,
    ),
  );
  // Quietly prefill statistics for admins, leaving the response panel alone.
  if (ctx.tokens.get()?.role === 'admin') loadStats(false);
}

export default { id: 'data-controls', title: 'Data Controls', render };
