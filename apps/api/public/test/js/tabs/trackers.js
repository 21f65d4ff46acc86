// Trackers: connect a fitness tracker through Terra's widget (the fake Terra's Approve page in development),
// see each connection's status and last sync, sync now, choose the primary, disconnect (after a
// confirmation), and the activity log: what each record counted as, its points, and on click the ledger
// entries that paid it and its raw metrics. Terra's widget sends the browser back here with
// `?connect=connected|denied|reconnect&provider=…` (the callback's redirect), which this tab reports.
import { h, field, withBusy, setMessage, formatNumber } from '../ui.js';
import { isOk, errorMessage } from '../api.js';

const PROVIDERS = [
  ['fitbit', 'Fitbit'],
  ['google_fit', 'Google Fit'],
  ['apple_health', 'Apple Health (mobile SDK)'],
];
const PROVIDER_NAMES = Object.fromEntries(PROVIDERS);
const PER_PAGE = 20;
const STATUS_BADGE = { ok: 'badge-ok', syncing: 'badge-info', pending: 'badge-muted', error: 'badge-error' };
const CONNECT_OUTCOMES = {
  connected: ['ok', (p) => `${p} connected; its first sync is on the way.`],
  denied: ['error', (p) => `Connecting ${p} was cancelled at the widget.`],
  reconnect: ['info', (p) => `${p} needs to be connected again.`],
};

function render(container, ctx) {
  const message = h('p', { testid: 'trackers-message', hidden: true, role: 'status' });
  const provider = h(
    'select',
    { testid: 'trackers-provider' },
    PROVIDERS.map(([value, label]) => h('option', { value }, label)),
  );
  const connect = h('button', { type: 'button', class: 'btn', testid: 'trackers-connect' }, 'Connect');
  const refresh = h(
    'button',
    { type: 'button', class: 'btn btn-secondary', testid: 'trackers-refresh' },
    'Refresh',
  );
  const sdkToken = h('pre', { class: 'code', testid: 'trackers-sdk-token', hidden: true });
  // Fake Terra only: hand the token over as the mobile SDK would (the API forwards it to the fake).
  const sdkConnect = h(
    'button',
    { type: 'button', class: 'btn btn-secondary', testid: 'trackers-sdk-connect', hidden: true },
    'Connect as the mobile SDK would (fake Terra)',
  );
  let pendingSdkToken = null;
  const connectionsBody = h('tbody', { testid: 'trackers-connections' });
  const activitiesBody = h('tbody', { testid: 'trackers-activities' });
  const pageInfo = h('span', { class: 'muted', testid: 'trackers-page' });
  const prev = h(
    'button',
    { type: 'button', class: 'btn btn-secondary', testid: 'trackers-prev' },
    'Previous',
  );
  const next = h('button', { type: 'button', class: 'btn btn-secondary', testid: 'trackers-next' }, 'Next');
  const detail = h('section', { class: 'card', testid: 'trackers-activity-detail', hidden: true });
  let page = 1;

  // ---- connect
  connect.addEventListener('click', () =>
    withBusy(connect, async () => {
      sdkToken.hidden = true;
      const result = await ctx.call('POST', `/api/v1/connections/${provider.value}/initiate`);
      if (!isOk(result)) return setMessage(message, `Could not start: ${errorMessage(result)}`, 'error');
      if (result.body.auth_url) {
        // Terra's widget (or the fake's Approve page) sends the browser back through our callback.
        setMessage(message, 'Opening the tracker widget…', 'loading');
        window.location.assign(result.body.auth_url);
        return;
      }
      // Apple Health is mobile-only: the token goes to Terra's SDK in the app, and data arrives by webhook.
      sdkToken.hidden = false;
      sdkToken.textContent = `Token for Terra's mobile SDK (valid ${result.body.expires_in} s):\n${result.body.sdk_token}`;
      pendingSdkToken = result.body.sdk_token;
      sdkConnect.hidden = false;
      setMessage(message, 'Hand this token to the mobile app to finish connecting Apple Health.', 'info');
    }),
  );

  sdkConnect.addEventListener('click', () =>
    withBusy(sdkConnect, async () => {
      const result = await ctx.call('POST', '/api/v1/connections/apple_health/fake-sdk-connect', {
        body: { sdk_token: pendingSdkToken },
      });
      if (!isOk(result)) return setMessage(message, `Could not connect: ${errorMessage(result)}`, 'error');
      sdkConnect.hidden = true;
      sdkToken.hidden = true;
      setMessage(message, 'Apple Health is connecting: Terra confirms by webhook…', 'loading');
      // The connection appears when the fake's auth webhook has been processed.
      for (let i = 0; i < 20; i++) {
        const list = await ctx.api('GET', '/api/v1/connections');
        if (isOk(list) && list.body.some((c) => c.provider === 'apple_health')) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      await loadConnections();
      setMessage(message, 'Apple Health connected.', 'ok');
    }),
  );

  // ---- connections
  async function loadConnections() {
    const result = await ctx.api('GET', '/api/v1/connections');
    if (!isOk(result)) {
      connectionsBody.replaceChildren();
      return setMessage(message, `Could not load connections: ${errorMessage(result)}`, 'error');
    }
    connectionsBody.replaceChildren(
      ...(result.body.length
        ? result.body.map(connectionRow)
        : [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No trackers connected'))]),
    );
  }

  function connectionRow(c) {
    const status = c.reconnect_required ? 'reconnect required' : c.sync_status;
    const badge = c.reconnect_required ? 'badge-warn' : (STATUS_BADGE[c.sync_status] ?? 'badge-muted');
    const actions = h('div', { class: 'actions' });
    const row = h(
      'tr',
      { testid: 'trackers-connection', 'data-provider': c.provider },
      h('td', {}, PROVIDER_NAMES[c.provider] ?? c.provider),
      h(
        'td',
        { testid: 'trackers-primary' },
        c.is_primary ? h('span', { class: 'badge badge-ok' }, 'primary') : '',
      ),
      h('td', {}, h('span', { class: `badge ${badge}`, testid: 'trackers-status' }, status)),
      h(
        'td',
        { testid: 'trackers-last-sync' },
        c.last_sync_at ? new Date(c.last_sync_at).toLocaleString() : 'never',
      ),
      h('td', { class: 'muted' }, c.last_error ?? ''),
      h('td', {}, actions),
    );
    actions.append(
      action('Sync now', `trackers-sync`, 'btn btn-small', async () => {
        const result = await ctx.call('POST', `/api/v1/connections/${c.provider}/sync`);
        if (!isOk(result)) {
          const wait = result.headers['retry-after'];
          return setMessage(
            message,
            `${errorMessage(result)}${wait ? ` (retry in ${wait} s)` : ''}`,
            'error',
          );
        }
        setMessage(message, `Sync of ${PROVIDER_NAMES[c.provider]} queued.`, 'ok');
        await pollAfterSync(c);
      }),
    );
    if (!c.is_primary)
      actions.append(
        action('Make primary', 'trackers-set-primary', 'btn btn-small btn-secondary', async () => {
          const result = await ctx.call('PUT', `/api/v1/connections/${c.provider}/set-primary`);
          if (!isOk(result)) return setMessage(message, errorMessage(result), 'error');
          await loadConnections();
        }),
      );
    actions.append(
      action('Disconnect', 'trackers-disconnect', 'btn btn-small btn-danger', async () =>
        confirmRemove(c, row),
      ),
    );
    return row;
  }

  function action(label, testid, cls, fn) {
    const button = h('button', { type: 'button', class: cls, testid }, label);
    button.addEventListener('click', () => withBusy(button, fn));
    return button;
  }

  // Disconnecting asks first, inline (no window.confirm): activities stay, another tracker becomes primary.
  function confirmRemove(c, row) {
    const name = PROVIDER_NAMES[c.provider] ?? c.provider;
    const confirmRow = h('tr', { testid: 'trackers-confirm' });
    const cancel = action('Cancel', 'trackers-confirm-cancel', 'btn btn-small btn-secondary', async () =>
      confirmRow.remove(),
    );
    const yes = action('Yes, disconnect', 'trackers-confirm-yes', 'btn btn-small btn-danger', async () => {
      const result = await ctx.call('DELETE', `/api/v1/connections/${c.provider}`);
      if (!isOk(result)) return setMessage(message, errorMessage(result), 'error');
      setMessage(message, `${name} disconnected; its activities stay.`, 'ok');
      await loadConnections();
    });
    confirmRow.append(
      h(
        'td',
        { colspan: 6 },
        `Disconnect ${name}? Its activities and points stay; another tracker becomes primary. `,
        yes,
        ' ',
        cancel,
      ),
    );
    row.after(confirmRow);
  }

  // A queued sync runs in the background: watch its connection until it settles (a few seconds at most).
  async function pollAfterSync(c) {
    const before = c.last_sync_at;
    for (let i = 0; i < 20; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const result = await ctx.api('GET', '/api/v1/connections');
      const now = isOk(result) ? result.body.find((x) => x.provider === c.provider) : null;
      if (
        !now ||
        (now.sync_status !== 'syncing' && now.last_sync_at !== before) ||
        now.sync_status === 'error'
      )
        break;
    }
    await loadConnections();
    await loadActivities();
  }

  // ---- activity log
  async function loadActivities() {
    const result = await ctx.api('GET', `/api/v1/activities?page=${page}&per_page=${PER_PAGE}`);
    if (!isOk(result))
      return setMessage(message, `Could not load activities: ${errorMessage(result)}`, 'error');
    const { data, meta } = result.body;
    activitiesBody.replaceChildren(
      ...(data.length
        ? data.map((a) =>
            h(
              'tr',
              { testid: 'trackers-activity', 'data-id': a.id, 'data-type': a.activity_type },
              h('td', {}, new Date(a.start_time).toLocaleString()),
              h('td', {}, a.activity_type),
              h('td', {}, PROVIDER_NAMES[a.provider] ?? a.provider),
              h('td', { testid: 'trackers-counted-as' }, countedAs(a)),
              h('td', { class: 'num', testid: 'trackers-activity-points' }, formatNumber(a.points_earned)),
              h(
                'td',
                {},
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn btn-small btn-ghost',
                    testid: 'trackers-activity-open',
                    onClick: () => showActivity(a.id),
                  },
                  'Details',
                ),
              ),
            ),
          )
        : [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No activities yet'))]),
    );
    pageInfo.textContent = `Page ${meta.page} of ${Math.max(1, meta.total_pages)} (${formatNumber(meta.total)} records)`;
    prev.disabled = meta.page <= 1;
    next.disabled = meta.page >= meta.total_pages;
  }

  /** What the record was counted as, from the API's own fields (the rules themselves stay on the server). */
  function countedAs(a) {
    const parts = [];
    if (a.activity_type === 'steps') parts.push(`${formatNumber(a.metrics?.steps)} steps`);
    else parts.push(`${formatNumber(a.duration_minutes)} min${a.intensity ? ` ${a.intensity}` : ''}`);
    if (a.activity_type === 'workout' && a.metrics?.workout_name) parts.push(a.metrics.workout_name);
    if (a.is_duplicate) parts.push('duplicate of the primary tracker: no points');
    return parts.join(' · ');
  }

  // How the rules price the record within its day: base × multiplier (rounded down) + bonus, and the cap.
  function breakdownLine(b) {
    if (!b)
      return h('p', { class: 'muted', testid: 'trackers-detail-breakdown' }, 'Not priced by the engine');
    const parts = [`base ${formatNumber(b.base)} × ${b.multiplier} = ${formatNumber(b.multiplied)}`];
    if (b.bonus) parts.push(`+ ${b.bonus} workout bonus`);
    if (b.capped) parts.push('Daily cap reached');
    if (b.no_pay_reason) parts.push(`pays 0: ${b.no_pay_reason.replace('_', ' ')}`);
    parts.push(`= ${formatNumber(b.points)} points`);
    return h('p', { testid: 'trackers-detail-breakdown' }, parts.join(' · '));
  }

  // The points breakdown: every ledger entry that refers to this record (earned, topped up, reversed), then
  // the record's metrics as the tracker reported them.
  async function showActivity(id) {
    const [activity, ledger] = await Promise.all([
      ctx.call('GET', `/api/v1/activities/${id}`),
      ctx.api('GET', '/api/v1/points/transactions?per_page=100'),
    ]);
    detail.hidden = false;
    if (!isOk(activity))
      return detail.replaceChildren(h('p', { class: 'text-error' }, errorMessage(activity)));
    const a = activity.body;
    const entries = isOk(ledger) ? ledger.body.data.filter((row) => row.reference_id === a.id) : [];
    detail.replaceChildren(
      h('h3', {}, `${a.activity_type} on ${new Date(a.start_time).toLocaleDateString()}`),
      h(
        'p',
        { testid: 'trackers-detail-points' },
        `${formatNumber(a.points_earned)} points · counted as ${countedAs(a)}`,
      ),
      breakdownLine(a.points_breakdown),
      h(
        'table',
        { class: 'table', testid: 'trackers-detail-ledger' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Entry', 'Amount', 'Day', 'Description'].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h(
          'tbody',
          {},
          entries.length
            ? entries.map((row) =>
                h(
                  'tr',
                  { testid: 'trackers-detail-entry' },
                  h('td', {}, row.transaction_type),
                  h('td', { class: 'num' }, (row.amount > 0 ? '+' : '') + formatNumber(row.amount)),
                  h('td', {}, row.earned_on ?? ''),
                  h('td', {}, row.description),
                ),
              )
            : h(
                'tr',
                {},
                h(
                  'td',
                  { colspan: 4, class: 'muted' },
                  isOk(ledger) ? 'No ledger entry among the latest 100' : errorMessage(ledger),
                ),
              ),
        ),
      ),
      h('h4', {}, 'Metrics'),
      h('pre', { class: 'code', testid: 'trackers-detail-metrics' }, JSON.stringify(a.metrics, null, 2)),
    );
  }

  async function load() {
    setMessage(message, '');
    if (!ctx.tokens.get()) return setMessage(message, 'Log in first (Authentication tab).', 'info');
    reportConnectOutcome();
    await loadConnections();
    await loadActivities();
  }

  // The widget's way back: report it once, then drop it from the address bar (a reload must not repeat it).
  function reportConnectOutcome() {
    const params = new URLSearchParams(window.location.search);
    const outcome = CONNECT_OUTCOMES[params.get('connect')];
    if (!outcome) return;
    const name = PROVIDER_NAMES[params.get('provider')] ?? 'The tracker';
    setMessage(message, outcome[1](name), outcome[0]);
    history.replaceState(null, '', `${window.location.pathname}${window.location.hash}`);
  }

  refresh.addEventListener('click', () => withBusy(refresh, load));
  prev.addEventListener('click', () => withBusy(prev, async () => ((page -= 1), loadActivities())));
  next.addEventListener('click', () => withBusy(next, async () => ((page += 1), loadActivities())));
  ctx.tokens.onChange(() => ((page = 1), (detail.hidden = true), load()));

  const table = (columns, body) =>
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            columns.map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        body,
      ),
    );

  container.append(
    h('h2', {}, 'Trackers'),
    h(
      'div',
      { class: 'actions' },
      field('Provider', provider, 'Opens Terra\u2019s widget (the fake Terra in development)'),
      connect,
      refresh,
    ),
    message,
    sdkToken,
    sdkConnect,
    h(
      'section',
      { class: 'card' },
      h('h3', {}, 'Connections'),
      table(['Tracker', 'Primary', 'Status', 'Last sync', 'Last error', ''], connectionsBody),
    ),
    h(
      'section',
      { class: 'card' },
      h('h3', {}, 'Activity log'),
      table(['Start', 'Type', 'Tracker', 'Counted as', 'Points', ''], activitiesBody),
      h('div', { class: 'actions' }, prev, pageInfo, next),
    ),
    detail,
  );
  load();
}

export default { id: 'trackers', title: 'Trackers', render };
