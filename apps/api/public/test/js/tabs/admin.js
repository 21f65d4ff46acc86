// Admin (admins only): sponsors; create a drawing with its prizes; move drawings along
// draft → scheduled → open → closed, cancel (refunds every ticket) and execute the draw (a beacon round
// that does not exist yet is the API's 409, shown as it says); each drawing's compliance report; prize
// fulfillments: W-9, ship (carrier, tracking), delivered, forfeit, re-draw of a forfeited prize, return to
// the sponsor; and the audit log of every admin action. What the API refuses is shown, never hidden.
import { h, fill, field, withBusy, setMessage, formatNumber, table } from '../ui.js';
import { isOk, errorMessage } from '../api.js';
import { badge, countdown, tickCountdowns, formatAddress } from './drawings.js';

const TYPES = ['daily', 'weekly', 'monthly', 'annual'];
const DRAWING_STATUSES = ['draft', 'scheduled', 'open', 'closed', 'completed', 'cancelled'];
const FULFILLMENT_STATUSES = [
  'pending',
  'winner_notified',
  'address_confirmed',
  'shipped',
  'delivered',
  'forfeited',
  'returned_to_sponsor',
];
/** The next status an admin can move a drawing to (the API's state machine decides; 409 otherwise). */
const NEXT_STATUS = { draft: 'scheduled', scheduled: 'open', open: 'closed' };
const NEXT_LABEL = { scheduled: 'Schedule', open: 'Open sales', closed: 'Close sales' };
const money = (usd) => `$${Number(usd).toLocaleString('en-US')}`;
const shortId = (id) => id?.slice(0, 8) ?? '';
const when = (iso) => (iso ? new Date(iso).toLocaleString() : '—');

/** `YYYY-MM-DDTHH:MM:SS` in local time, what a datetime-local input holds. */
function localInputValue(ms) {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const isoOf = (input) => (input.value ? new Date(input.value).toISOString() : '');

const emptyRow = (colspan, text) => h('tr', {}, h('td', { colspan, class: 'muted' }, text));

function button(label, testid, cls, fn) {
  const el = h('button', { type: 'button', class: cls, testid }, label);
  el.addEventListener('click', () => withBusy(el, fn));
  return el;
}

function render(container, ctx) {
  const message = h('p', { testid: 'admin-message', hidden: true, role: 'status' });
  const content = h('div', { hidden: true });

  // ---- sponsors
  let sponsors = [];
  const sponsorSelects = new Set();
  const sponsorOptions = (select) => {
    const chosen = select.value;
    fill(
      select,
      h('option', { value: '' }, 'no sponsor'),
      sponsors.map((s) => h('option', { value: s.id }, s.name)),
    );
    select.value = chosen;
  };
  async function loadSponsors() {
    const result = await ctx.api('GET', '/api/v1/admin/sponsors', { query: { per_page: 100 } });
    if (!isOk(result)) return setMessage(sponsorMessage, errorMessage(result), 'error');
    sponsors = result.body.data.filter((s) => s.is_active);
    sponsorSelects.forEach(sponsorOptions);
  }
  const sponsorName = h('input', { type: 'text', testid: 'admin-sponsor-name', maxlength: 120 });
  const sponsorEmail = h('input', { type: 'email', testid: 'admin-sponsor-email', maxlength: 254 });
  const sponsorSubmit = h(
    'button',
    { type: 'submit', class: 'btn btn-secondary', testid: 'admin-sponsor-create' },
    'Add sponsor',
  );
  const sponsorMessage = h('p', { testid: 'admin-sponsor-message', hidden: true, role: 'status' });
  const sponsorForm = h(
    'form',
    { class: 'form', testid: 'admin-sponsor-form' },
    h(
      'div',
      { class: 'actions' },
      field('Sponsor name', sponsorName),
      field('Contact email (optional)', sponsorEmail),
      sponsorSubmit,
    ),
    sponsorMessage,
  );
  sponsorForm.addEventListener('submit', (event) => {
    event.preventDefault();
    withBusy(sponsorSubmit, async () => {
      const body = { name: sponsorName.value };
      if (sponsorEmail.value.trim()) body.contact_email = sponsorEmail.value.trim();
      const result = await ctx.call('POST', '/api/v1/admin/sponsors', { body });
      if (!isOk(result)) return setMessage(sponsorMessage, errorMessage(result), 'error');
      setMessage(sponsorMessage, `Sponsor ${result.body.name} added.`, 'ok');
      sponsorName.value = '';
      sponsorEmail.value = '';
      await loadSponsors();
    });
  });

  // ---- create a drawing
  const now = Date.now();
  const dType = h(
    'select',
    { testid: 'admin-drawing-type' },
    TYPES.map((t) => h('option', { value: t }, t)),
  );
  const dName = h('input', { type: 'text', testid: 'admin-drawing-name', maxlength: 200, required: true });
  const dDescription = h('input', { type: 'text', testid: 'admin-drawing-description', maxlength: 2000 });
  const dCost = h('input', {
    type: 'number',
    min: 1,
    step: 1,
    value: '100',
    class: 'short',
    testid: 'admin-drawing-cost',
  });
  const dOpens = h('input', {
    type: 'datetime-local',
    step: 1,
    testid: 'admin-drawing-opens',
    value: localInputValue(now),
  });
  const dClose = h('input', {
    type: 'datetime-local',
    step: 1,
    testid: 'admin-drawing-close',
    value: localInputValue(now + 3_600_000),
  });
  const dTime = h('input', {
    type: 'datetime-local',
    step: 1,
    testid: 'admin-drawing-time',
    value: localInputValue(now + 3_900_000),
  });
  const dUserType = h(
    'select',
    { testid: 'admin-drawing-user-type' },
    h('option', { value: 'all' }, 'all members'),
    h('option', { value: 'premium' }, 'premium only'),
  );
  const dMinAge = h('input', {
    type: 'number',
    min: 0,
    step: 1,
    value: '0',
    class: 'short',
    testid: 'admin-drawing-min-age',
  });
  const prizeRows = h('tbody', { testid: 'admin-prizes' });

  function addPrizeRow() {
    const sponsor = h('select', { testid: 'admin-prize-sponsor' });
    sponsorSelects.add(sponsor);
    sponsorOptions(sponsor);
    const kind = h(
      'select',
      { testid: 'admin-prize-type' },
      h('option', { value: 'physical' }, 'physical'),
      h('option', { value: 'digital' }, 'digital'),
    );
    const code = h('input', {
      type: 'text',
      testid: 'admin-prize-code',
      maxlength: 200,
      placeholder: 'gift-card code (digital)',
    });
    const row = h(
      'tr',
      { testid: 'admin-prize' },
      h('td', { class: 'num', testid: 'admin-prize-rank' }),
      h(
        'td',
        {},
        h('input', { type: 'text', testid: 'admin-prize-name', maxlength: 200, 'aria-label': 'Prize name' }),
      ),
      h(
        'td',
        {},
        h('input', {
          type: 'number',
          min: 0,
          step: 0.01,
          class: 'short',
          testid: 'admin-prize-value',
          'aria-label': 'Value (USD)',
        }),
      ),
      h('td', {}, kind),
      h('td', {}, sponsor),
      h('td', {}, code),
      h(
        'td',
        {},
        button('Remove', 'admin-prize-remove', 'btn btn-small btn-ghost', async () => {
          sponsorSelects.delete(sponsor);
          row.remove();
          numberPrizes();
        }),
      ),
    );
    prizeRows.append(row);
    numberPrizes();
  }
  // Ranks are the rows' order, 1..n without gaps (the API refuses anything else).
  const numberPrizes = () =>
    [...prizeRows.children].forEach(
      (row, i) => (row.querySelector('[data-testid="admin-prize-rank"]').textContent = String(i + 1)),
    );

  const createSubmit = h(
    'button',
    { type: 'submit', class: 'btn', testid: 'admin-drawing-create' },
    'Create drawing (draft)',
  );
  const createMessage = h('p', { testid: 'admin-create-message', hidden: true, role: 'status' });
  const createForm = h(
    'form',
    { class: 'form', testid: 'admin-drawing-form' },
    h(
      'div',
      { class: 'actions' },
      field('Type', dType),
      field('Name', dName),
      field('Ticket cost (points)', dCost),
    ),
    field('Description (optional)', dDescription),
    h(
      'div',
      { class: 'actions' },
      field('Opens', dOpens),
      field('Sales close', dClose),
      field('Drawing time', dTime),
    ),
    h(
      'div',
      { class: 'actions' },
      field('Who may enter', dUserType),
      field('Minimum account age (days)', dMinAge),
    ),
    h('h4', {}, 'Prizes'),
    table(['Rank', 'Name', 'Value (USD)', 'Fulfillment', 'Sponsor', 'Digital code', ''], prizeRows),
    h(
      'div',
      { class: 'actions' },
      button('Add prize', 'admin-prize-add', 'btn btn-secondary btn-small', async () => addPrizeRow()),
      createSubmit,
    ),
    createMessage,
  );
  createForm.addEventListener('submit', (event) => {
    event.preventDefault();
    withBusy(createSubmit, async () => {
      const prizes = [...prizeRows.children].map((row, i) => {
        const value = (id) => row.querySelector(`[data-testid="${id}"]`).value.trim();
        const prize = {
          rank: i + 1,
          name: value('admin-prize-name'),
          value_usd: Number(value('admin-prize-value')),
          fulfillment_type: value('admin-prize-type'),
          sponsor_id: value('admin-prize-sponsor') || null,
        };
        if (value('admin-prize-code')) prize.digital_code = value('admin-prize-code');
        return prize;
      });
      const body = {
        drawing_type: dType.value,
        name: dName.value,
        ticket_cost_points: Number(dCost.value),
        opens_at: isoOf(dOpens),
        ticket_sales_close: isoOf(dClose),
        drawing_time: isoOf(dTime),
        prizes,
        eligibility: { user_type: dUserType.value, min_account_age_days: Number(dMinAge.value) },
      };
      if (dDescription.value.trim()) body.description = dDescription.value.trim();
      const result = await ctx.call('POST', '/api/v1/admin/drawings', { body });
      if (!isOk(result)) return setMessage(createMessage, errorMessage(result), 'error');
      setMessage(createMessage, `Drawing “${result.body.name}” created as a draft: schedule it below.`, 'ok');
      await loadDrawings();
    });
  });

  // ---- drawings and their status actions
  const drawingsStatus = h(
    'select',
    { testid: 'admin-drawings-status' },
    h('option', { value: '' }, 'any'),
    DRAWING_STATUSES.map((s) => h('option', { value: s }, s)),
  );
  const drawingsBody = h('tbody', { testid: 'admin-drawings' });
  const drawingsMessage = h('p', { testid: 'admin-drawings-message', hidden: true, role: 'status' });
  const compliance = h('section', { class: 'card', testid: 'admin-compliance', hidden: true });

  async function loadDrawings() {
    const result = await ctx.api('GET', '/api/v1/drawings', {
      query: { 'filter[status]': drawingsStatus.value, sort: '-created_at', per_page: 50 },
    });
    if (!isOk(result)) return setMessage(drawingsMessage, errorMessage(result), 'error');
    fill(
      drawingsBody,
      ...(result.body.data.length ? result.body.data.map(drawingRow) : [emptyRow(6, 'No drawings')]),
    );
  }

  function drawingRow(d) {
    const actions = h('div', { class: 'actions' });
    const next = NEXT_STATUS[d.status];
    const act = async (label, method, path, body) => {
      const result = await ctx.call(method, path, body ? { body } : undefined);
      if (!isOk(result)) return setMessage(drawingsMessage, `${label}: ${errorMessage(result)}`, 'error');
      setMessage(drawingsMessage, `${label}: done (${d.name}).`, 'ok');
      await loadDrawings();
      await loadAudit();
    };
    if (next)
      actions.append(
        button(NEXT_LABEL[next], `admin-action-${next}`, 'btn btn-small', () =>
          act(NEXT_LABEL[next], 'PUT', `/api/v1/admin/drawings/${d.id}`, { status: next }),
        ),
      );
    if (d.status === 'closed')
      actions.append(
        button('Execute draw', 'admin-action-execute', 'btn btn-small', async () => {
          const result = await ctx.call('POST', `/api/v1/admin/drawings/${d.id}/execute`);
          if (!isOk(result)) return setMessage(drawingsMessage, `Execute: ${errorMessage(result)}`, 'error');
          setMessage(drawingsMessage, `Drawn: ${result.body.winners.length} winner(s) of ${d.name}.`, 'ok');
          await Promise.all([loadDrawings(), loadFulfillments(), loadAudit()]);
        }),
      );
    if (['draft', 'scheduled', 'open'].includes(d.status)) {
      // Cancelling refunds every ticket: a second click confirms.
      const cancel = h(
        'button',
        { type: 'button', class: 'btn btn-small btn-danger', testid: 'admin-action-cancel' },
        'Cancel',
      );
      cancel.addEventListener('click', () => {
        if (cancel.dataset.armed !== 'true') {
          cancel.dataset.armed = 'true';
          cancel.textContent = 'Really cancel? Refunds every ticket';
          return;
        }
        withBusy(cancel, () => act('Cancel', 'POST', `/api/v1/admin/drawings/${d.id}/cancel`));
      });
      actions.append(cancel);
    }
    actions.append(
      button('Compliance', 'admin-action-compliance', 'btn btn-small btn-ghost', () => showCompliance(d.id)),
    );
    return h(
      'tr',
      { testid: 'admin-drawing', 'data-id': d.id, 'data-status': d.status, 'data-name': d.name },
      h('td', {}, d.name),
      h('td', {}, d.drawing_type),
      h('td', {}, badge(d.status, 'admin-drawing-status')),
      h('td', { class: 'num' }, formatNumber(d.total_tickets)),
      h(
        'td',
        {},
        countdown(d, 'admin-drawing-countdown'),
        d.beacon_round ? h('small', { class: 'hint' }, ` beacon round ${d.beacon_round}`) : null,
      ),
      h('td', {}, actions),
    );
  }

  async function showCompliance(id) {
    const result = await ctx.call('GET', `/api/v1/admin/compliance/drawings/${id}`);
    compliance.hidden = false;
    if (!isOk(result)) return fill(compliance, h('p', { class: 'text-error' }, errorMessage(result)));
    const c = result.body;
    fill(
      compliance,
      h('h3', {}, `Compliance: ${c.name}`),
      h(
        'div',
        { class: 'cards' },
        stat('Total prize value (ARV)', money(c.total_prize_value_usd), 'compliance-total-value'),
        stat('Entries', formatNumber(c.entries.total), 'compliance-entries'),
        stat('Bought', formatNumber(c.entries.bought), 'compliance-bought'),
        stat('Free', formatNumber(c.entries.free), 'compliance-free'),
      ),
      h('p', { class: 'muted' }, `Excluded states: ${c.excluded_states.join(', ') || 'none'}`),
      h('h4', {}, 'Registrations'),
      h(
        'ul',
        { class: 'check-list', testid: 'compliance-registrations' },
        c.registrations.map((r) =>
          h(
            'li',
            {
              class: `check ${r.required ? 'text-error' : 'text-ok'}`,
              testid: 'compliance-registration',
              'data-state': r.state,
            },
            `${r.state}: ${r.required ? 'registration required' : 'not required'}${r.bond_required ? ' + bond' : ''}. ${r.reason}`,
          ),
        ),
      ),
      h('h4', {}, 'Winners'),
      table(
        ['Rank', 'Prize', 'Value', 'Winner', 'Ticket', 'Fulfillment'],
        h(
          'tbody',
          {},
          c.winners.length
            ? c.winners.map((w) =>
                h(
                  'tr',
                  { testid: 'compliance-winner' },
                  h('td', { class: 'num' }, String(w.prize_rank)),
                  h('td', {}, w.prize_name),
                  h('td', { class: 'num' }, money(w.value_usd)),
                  h('td', {}, w.display_name ?? shortId(w.user_id)),
                  h('td', { class: 'num' }, `#${w.ticket_number}`),
                  h('td', {}, w.fulfillment_status ? badge(w.fulfillment_status) : ''),
                ),
              )
            : [emptyRow(6, 'No winners yet')],
        ),
      ),
    );
  }

  const stat = (label, value, testid) =>
    h(
      'div',
      { class: 'stat-card' },
      h('span', { class: 'stat-label' }, label),
      h('span', { class: 'stat-value', testid }, value),
    );

  // ---- fulfillments
  const fStatus = h(
    'select',
    { testid: 'admin-fulfillments-status' },
    h('option', { value: '' }, 'any'),
    FULFILLMENT_STATUSES.map((s) => h('option', { value: s }, s.replace(/_/g, ' '))),
  );
  const fBody = h('tbody', { testid: 'admin-fulfillments' });
  const fMessage = h('p', { testid: 'admin-fulfillments-message', hidden: true, role: 'status' });

  async function loadFulfillments() {
    const result = await ctx.api('GET', '/api/v1/admin/fulfillments', {
      query: { 'filter[status]': fStatus.value, per_page: 100 },
    });
    if (!isOk(result)) return setMessage(fMessage, errorMessage(result), 'error');
    fill(
      fBody,
      ...(result.body.data.length ? result.body.data.map(fulfillmentRow) : [emptyRow(8, 'No fulfillments')]),
    );
  }

  function fulfillmentRow(f) {
    const act = async (label, method, path, body) => {
      const result = await ctx.call(method, path, body ? { body } : undefined);
      if (!isOk(result)) return setMessage(fMessage, `${label}: ${errorMessage(result)}`, 'error');
      setMessage(
        fMessage,
        `${label}: ${f.prize_name} is now ${result.body.status.replace(/_/g, ' ')}.`,
        'ok',
      );
      await Promise.all([loadFulfillments(), loadAudit()]);
    };
    const actions = h('div', { class: 'actions' });
    if (f.status === 'address_confirmed' && f.fulfillment_type === 'physical') {
      const carrier = h('input', {
        type: 'text',
        class: 'short',
        testid: 'admin-ship-carrier',
        placeholder: 'carrier',
        maxlength: 40,
        'aria-label': 'Carrier',
      });
      const tracking = h('input', {
        type: 'text',
        testid: 'admin-ship-tracking',
        placeholder: 'tracking number',
        maxlength: 80,
        'aria-label': 'Tracking number',
      });
      actions.append(
        carrier,
        tracking,
        button('Ship', 'admin-ship', 'btn btn-small', () =>
          act('Ship', 'POST', `/api/v1/admin/fulfillments/${f.id}/ship`, {
            carrier: carrier.value,
            tracking_number: tracking.value,
          }),
        ),
      );
    }
    if (f.status === 'shipped')
      actions.append(
        button('Mark delivered', 'admin-deliver', 'btn btn-small', () =>
          act('Delivered', 'PUT', `/api/v1/admin/fulfillments/${f.id}`, { status: 'delivered' }),
        ),
      );
    if (f.status === 'winner_notified')
      actions.append(
        button('Forfeit', 'admin-forfeit', 'btn btn-small btn-danger', () =>
          act('Forfeit', 'PUT', `/api/v1/admin/fulfillments/${f.id}`, { status: 'forfeited' }),
        ),
      );
    if (f.status === 'forfeited') {
      actions.append(
        button('Re-draw', 'admin-redraw', 'btn btn-small', async () => {
          const result = await ctx.call('POST', `/api/v1/admin/fulfillments/${f.id}/redraw`);
          if (!isOk(result)) {
            setMessage(fMessage, `Re-draw: ${errorMessage(result)}`, 'error');
          } else {
            setMessage(
              fMessage,
              `Re-drawn: ${f.prize_name} goes to ${shortId(result.body.user_id)} (notified).`,
              'ok',
            );
          }
          await Promise.all([loadFulfillments(), loadAudit()]);
        }),
        button('Return to sponsor', 'admin-return', 'btn btn-small btn-secondary', () =>
          act('Return', 'PUT', `/api/v1/admin/fulfillments/${f.id}`, { status: 'returned_to_sponsor' }),
        ),
      );
    }
    const w9 = f.w9_received_at
      ? h('span', { testid: 'admin-w9-received' }, `received ${when(f.w9_received_at)}`)
      : button('W-9 received', 'admin-w9', 'btn btn-small btn-secondary', () =>
          act('W-9', 'PUT', `/api/v1/admin/fulfillments/${f.id}/w9`, { received: true }),
        );
    return h(
      'tr',
      { testid: 'admin-fulfillment', 'data-id': f.id, 'data-status': f.status, 'data-drawing': f.drawing_id },
      h('td', {}, f.drawing_name),
      h('td', {}, `${f.prize_rank}. ${f.prize_name}`),
      h('td', { class: 'num' }, `${money(f.prize_value_usd)} ${f.fulfillment_type}`),
      h('td', { testid: 'admin-fulfillment-user' }, shortId(f.user_id)),
      h('td', {}, badge(f.status, 'admin-fulfillment-status')),
      h(
        'td',
        { testid: 'admin-fulfillment-address' },
        f.shipping_address ? formatAddress(f.shipping_address) : '—',
        f.tracking_number ? h('div', { class: 'hint' }, `${f.carrier} ${f.tracking_number}`) : null,
      ),
      h('td', {}, w9),
      h('td', {}, actions),
    );
  }

  // ---- audit log
  const auditBody = h('tbody', { testid: 'admin-audit' });
  const auditInfo = h('span', { class: 'muted', testid: 'admin-audit-page' });
  const auditPrev = button(
    'Previous',
    'admin-audit-prev',
    'btn btn-secondary',
    async () => ((auditPage -= 1), loadAudit()),
  );
  const auditNext = button(
    'Next',
    'admin-audit-next',
    'btn btn-secondary',
    async () => ((auditPage += 1), loadAudit()),
  );
  let auditPage = 1;

  async function loadAudit() {
    const result = await ctx.api('GET', '/api/v1/admin/audit-log', {
      query: { page: auditPage, per_page: 20 },
    });
    if (!isOk(result)) return fill(auditBody, emptyRow(5, errorMessage(result)));
    const { data, meta } = result.body;
    fill(
      auditBody,
      ...(data.length
        ? data.map((e) =>
            h(
              'tr',
              { testid: 'audit-entry', 'data-action': e.action, 'data-entity': e.entity_id },
              h('td', { class: 'muted' }, when(e.created_at)),
              h('td', {}, e.actor_id ? shortId(e.actor_id) : 'system'),
              h('td', { testid: 'audit-action' }, e.action),
              h('td', {}, `${e.entity_type} ${shortId(e.entity_id)}`),
              h('td', {}, change(e.before, e.after)),
            ),
          )
        : [emptyRow(5, 'No admin actions yet')]),
    );
    auditInfo.textContent = `Page ${meta.page} of ${Math.max(1, meta.total_pages)} (${formatNumber(meta.total)} entries)`;
    auditPrev.disabled = meta.page <= 1;
    auditNext.disabled = meta.page >= meta.total_pages;
  }

  /** The fields an action changed, before → after; the full snapshots on demand. */
  function change(before, after) {
    const keys = Object.keys({ ...before, ...after }).filter(
      (k) => JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k]),
    );
    const line = keys
      .slice(0, 4)
      .map((k) => `${k}: ${JSON.stringify(before?.[k] ?? null)} → ${JSON.stringify(after?.[k] ?? null)}`)
      .join('; ');
    return h(
      'details',
      {},
      h('summary', {}, line || 'no field changed'),
      h('pre', { class: 'code' }, JSON.stringify({ before, after }, null, 2)),
    );
  }

  async function load() {
    const admin = ctx.tokens.get()?.role === 'admin';
    content.hidden = !admin;
    if (!admin) return setMessage(message, 'Admins only: log in as an admin (Authentication tab).', 'info');
    setMessage(message, '');
    await loadSponsors();
    await Promise.all([loadDrawings(), loadFulfillments(), loadAudit()]);
  }

  drawingsStatus.addEventListener('change', loadDrawings);
  fStatus.addEventListener('change', loadFulfillments);
  ctx.tokens.onChange(() => ((auditPage = 1), (compliance.hidden = true), load()));
  setInterval(() => tickCountdowns(container), 1000);
  addPrizeRow();

  const refresh = button('Refresh', 'admin-refresh', 'btn btn-secondary', load);
  content.append(
    h('section', { class: 'card' }, h('h3', {}, 'Sponsors'), sponsorForm),
    h('section', { class: 'card' }, h('h3', {}, 'Create a drawing'), createForm),
    h(
      'section',
      { class: 'card' },
      h('h3', {}, 'Drawings'),
      h('div', { class: 'actions' }, field('Status', drawingsStatus)),
      drawingsMessage,
      table(['Name', 'Type', 'Status', 'Tickets', 'Next', 'Actions'], drawingsBody, 'admin-drawings-table'),
    ),
    compliance,
    h(
      'section',
      { class: 'card' },
      h('h3', {}, 'Prize fulfillment'),
      h('div', { class: 'actions' }, field('Status', fStatus)),
      fMessage,
      table(
        ['Drawing', 'Prize', 'Value', 'Winner', 'Status', 'Address', 'W-9', 'Actions'],
        fBody,
        'admin-fulfillments-table',
      ),
    ),
    h(
      'section',
      { class: 'card' },
      h('h3', {}, 'Audit log'),
      table(['When', 'Who', 'Action', 'What', 'Change'], auditBody, 'admin-audit-table'),
      h('div', { class: 'actions' }, auditPrev, auditInfo, auditNext),
    ),
  );
  container.append(h('h2', {}, 'Admin'), h('div', { class: 'actions' }, refresh), message, content);
  load();
}

export default { id: 'admin', title: 'Admin', adminOnly: true, render };
