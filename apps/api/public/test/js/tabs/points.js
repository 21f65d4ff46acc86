// Points: the caller's balance, today's progress against the daily cap, and their ledger (sequence,
// balance_after, what each entry refers to). Admins also get the flag queue (approve / reject held
// activities) and a points adjustment form. Live data only: errors are shown, never papered over.
import { h, field, withBusy, setMessage, formatNumber } from '../ui.js';
import { isOk, errorMessage } from '../api.js';

const PER_PAGE = 20;

function render(container, ctx) {
  const message = h('p', { testid: 'points-message', hidden: true, role: 'status' });
  const refresh = h('button', { type: 'button', class: 'btn', testid: 'points-refresh' }, 'Refresh');
  const balance = h('span', { class: 'stat-value', testid: 'points-balance' }, '—');
  const lifetime = h('span', { class: 'stat-value', testid: 'points-total-earned' }, '—');
  const today = h('span', { class: 'stat-value', testid: 'points-today' }, '—');
  const progress = h('progress', {
    max: 1000,
    value: 0,
    testid: 'points-cap-progress',
    class: 'cap-progress',
  });
  const ledgerBody = h('tbody', { testid: 'points-ledger' });
  const pageInfo = h('span', { class: 'muted', testid: 'points-page' });
  const prev = h('button', { type: 'button', class: 'btn btn-secondary', testid: 'points-prev' }, 'Previous');
  const next = h('button', { type: 'button', class: 'btn btn-secondary', testid: 'points-next' }, 'Next');
  const detail = h('pre', { class: 'code', testid: 'points-reference', hidden: true });
  const adminSection = h('section', { class: 'card', testid: 'points-admin', hidden: true });
  let page = 1;

  async function loadBalance() {
    const result = await ctx.call('GET', '/api/v1/points/balance');
    if (!isOk(result))
      return setMessage(message, `Could not load the balance: ${errorMessage(result)}`, 'error');
    const b = result.body;
    balance.textContent = formatNumber(b.point_balance);
    lifetime.textContent = formatNumber(b.total_points_earned);
    today.textContent = `${formatNumber(b.today_earned)} / ${formatNumber(b.daily_cap)}`;
    progress.max = b.daily_cap;
    progress.value = Math.min(b.today_earned, b.daily_cap);
  }

  async function loadLedger() {
    const result = await ctx.api('GET', `/api/v1/points/transactions?page=${page}&per_page=${PER_PAGE}`);
    if (!isOk(result))
      return setMessage(message, `Could not load the ledger: ${errorMessage(result)}`, 'error');
    const { data, meta } = result.body;
    ledgerBody.replaceChildren(
      ...(data.length
        ? data.map((row) =>
            h(
              'tr',
              { testid: 'points-ledger-row', 'data-sequence': row.sequence },
              h('td', { class: 'num' }, String(row.sequence)),
              h(
                'td',
                {},
                h('span', { class: `badge badge-${row.amount >= 0 ? 'ok' : 'error'}` }, row.transaction_type),
              ),
              h('td', { class: 'num' }, (row.amount > 0 ? '+' : '') + formatNumber(row.amount)),
              h('td', { class: 'num', testid: 'points-balance-after' }, formatNumber(row.balance_after)),
              h('td', {}, row.earned_on ?? ''),
              h('td', {}, referenceCell(row)),
              h('td', {}, row.description),
              h('td', { class: 'muted' }, new Date(row.created_at).toLocaleString()),
            ),
          )
        : [h('tr', {}, h('td', { colspan: 8, class: 'muted' }, 'No entries yet'))]),
    );
    pageInfo.textContent = `Page ${meta.page} of ${Math.max(1, meta.total_pages)} (${formatNumber(meta.total)} entries)`;
    prev.disabled = meta.page <= 1;
    next.disabled = meta.page >= meta.total_pages;
  }

  // An activity reference opens the activity (its points and metrics); others just name what caused it.
  function referenceCell(row) {
    if (!row.reference_type) return '';
    const label = `${row.reference_type} ${row.reference_id?.slice(0, 8) ?? ''}`;
    if (row.reference_type !== 'activity') return h('span', { class: 'muted' }, label);
    return h(
      'button',
      {
        type: 'button',
        class: 'link',
        testid: 'points-reference-link',
        onClick: async () => {
          const result = await ctx.call('GET', `/api/v1/activities/${row.reference_id}`);
          detail.hidden = false;
          detail.textContent = isOk(result) ? JSON.stringify(result.body, null, 2) : errorMessage(result);
        },
      },
      label,
    );
  }

  async function load() {
    setMessage(message, '');
    if (!ctx.tokens.get()) return setMessage(message, 'Log in first (Authentication tab).', 'info');
    await loadBalance();
    await loadLedger();
    adminSection.hidden = ctx.tokens.get()?.role !== 'admin';
    if (!adminSection.hidden) await loadFlags();
  }

  // ---- admin: flag queue and adjustments
  const flagStatus = h(
    'select',
    { testid: 'flags-status' },
    ['open', 'approved', 'rejected'].map((s) => h('option', { value: s }, s)),
  );
  const flagsBody = h('tbody', { testid: 'flags-list' });
  const flagsMessage = h('p', { testid: 'flags-message', hidden: true, role: 'status' });

  async function loadFlags() {
    const result = await ctx.api('GET', `/api/v1/admin/activity-flags?filter[status]=${flagStatus.value}`);
    if (!isOk(result))
      return setMessage(flagsMessage, `Could not load flags: ${errorMessage(result)}`, 'error');
    setMessage(flagsMessage, '');
    flagsBody.replaceChildren(
      ...(result.body.data.length
        ? result.body.data.map((flag) =>
            h(
              'tr',
              { testid: 'flag-row' },
              h('td', {}, flag.activity?.activity_type ?? ''),
              h('td', {}, flag.user_id?.slice(0, 8) ?? ''),
              h('td', {}, (flag.reasons ?? []).map((r) => r.detail ?? r).join('; ')),
              h('td', {}, flag.status),
              h(
                'td',
                {},
                flag.status === 'open' ? [decide(flag, 'approve'), ' ', decide(flag, 'reject')] : '',
              ),
            ),
          )
        : [h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No flags'))]),
    );
  }

  function decide(flag, action) {
    const button = h(
      'button',
      { type: 'button', class: action === 'approve' ? 'btn' : 'btn btn-secondary', testid: `flag-${action}` },
      action === 'approve' ? 'Approve' : 'Reject',
    );
    button.addEventListener('click', () =>
      withBusy(button, async () => {
        const result = await ctx.call('POST', `/api/v1/admin/activity-flags/${flag.id}/${action}`);
        if (!isOk(result)) return setMessage(flagsMessage, errorMessage(result), 'error');
        await loadFlags();
      }),
    );
    return button;
  }

  const adjustUser = h('input', { type: 'text', testid: 'adjust-user', placeholder: 'user id (UUID)' });
  const adjustAmount = h('input', { type: 'number', step: 1, testid: 'adjust-amount' });
  const adjustReason = h('input', { type: 'text', testid: 'adjust-reason', maxlength: 200 });
  const adjustSubmit = h('button', { type: 'submit', class: 'btn', testid: 'adjust-submit' }, 'Adjust');
  const adjustMessage = h('p', { testid: 'adjust-message', hidden: true, role: 'status' });
  const adjustForm = h(
    'form',
    { class: 'form', testid: 'adjust-form' },
    field('User', adjustUser),
    field('Amount', adjustAmount, 'Negative to debit; the balance never goes below 0'),
    field('Reason', adjustReason),
    adjustSubmit,
    adjustMessage,
  );
  // One key per filled-in form: a double submit is one adjustment; a new one starts after success.
  let adjustKey = crypto.randomUUID();
  adjustForm.addEventListener('submit', (event) => {
    event.preventDefault();
    withBusy(adjustSubmit, async () => {
      const result = await ctx.call('POST', `/api/v1/admin/users/${adjustUser.value.trim()}/points/adjust`, {
        body: { amount: Number(adjustAmount.value), reason: adjustReason.value },
        headers: { 'Idempotency-Key': adjustKey },
      });
      if (!isOk(result)) return setMessage(adjustMessage, errorMessage(result), 'error');
      adjustKey = crypto.randomUUID();
      setMessage(adjustMessage, `Balance now ${formatNumber(result.body.point_balance)}`, 'ok');
    });
  });

  adminSection.append(
    h('h3', {}, 'Flagged activities (admin)'),
    h('div', { class: 'actions' }, field('Status', flagStatus)),
    flagsMessage,
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
            ['Type', 'User', 'Reasons', 'Status', ''].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        flagsBody,
      ),
    ),
    h('h3', {}, 'Adjust a user\u2019s points (admin)'),
    adjustForm,
  );

  flagStatus.addEventListener('change', loadFlags);
  refresh.addEventListener('click', () => withBusy(refresh, load));
  prev.addEventListener('click', () => withBusy(prev, async () => ((page -= 1), loadLedger())));
  next.addEventListener('click', () => withBusy(next, async () => ((page += 1), loadLedger())));
  ctx.tokens.onChange(() => ((page = 1), load()));

  container.append(
    h('h2', {}, 'Points'),
    h('div', { class: 'actions' }, refresh),
    message,
    h(
      'div',
      { class: 'cards' },
      h('div', { class: 'stat-card' }, h('span', { class: 'stat-label' }, 'Balance'), balance),
      h('div', { class: 'stat-card' }, h('span', { class: 'stat-label' }, 'Earned in all'), lifetime),
      h(
        'div',
        { class: 'stat-card' },
        h('span', { class: 'stat-label' }, 'Today / daily cap'),
        today,
        progress,
      ),
    ),
    h(
      'section',
      { class: 'card' },
      h('h3', {}, 'Ledger'),
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
              ['#', 'Type', 'Amount', 'Balance after', 'Day', 'Reference', 'Description', 'When'].map((c) =>
                h('th', { scope: 'col' }, c),
              ),
            ),
          ),
          ledgerBody,
        ),
      ),
      h('div', { class: 'actions' }, prev, pageInfo, next),
      detail,
    ),
    adminSection,
  );
  load();
}

export default { id: 'points', title: 'Points', render };
