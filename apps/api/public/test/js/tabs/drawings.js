// Drawings: the list (filters by status and type) with a countdown to sales close and to the draw; a
// drawing's prizes, odds and the caller's tickets; buying tickets (with an Idempotency-Key, so a double
// submit buys once) and the free entry (no purchase necessary); results with "Verify in your browser",
// which recomputes the winners here with Web Crypto (js/fair-draw.js) from /verify and the ticket list;
// my tickets; my prizes and the address form that claims a physical one. A winner's claim link
// (`#drawings?fulfillment=<id>`, SWEEPSTAKES_CLAIM_URL) opens that prize's form.
import { h, fill, field, withBusy, setMessage, formatNumber, table } from '../ui.js';
import { isOk, errorMessage } from '../api.js';
import { verifyDrawing } from '../fair-draw.js';

const STATUSES = ['draft', 'scheduled', 'open', 'closed', 'completed', 'cancelled'];
const TYPES = ['daily', 'weekly', 'monthly', 'annual'];
const STATUS_BADGE = {
  draft: 'badge-muted',
  scheduled: 'badge-info',
  open: 'badge-ok',
  closed: 'badge-warn',
  completed: 'badge-muted',
  cancelled: 'badge-error',
};
const PER_PAGE = 20;

export const badge = (status, testid) =>
  h('span', { class: `badge ${STATUS_BADGE[status] ?? 'badge-muted'}`, testid }, status.replace(/_/g, ' '));

/** "2d 3h", "4m 05s": how long until `iso`. */
function until(iso) {
  const ms = new Date(iso).getTime() - Date.now();
  if (ms <= 0) return null;
  const s = Math.floor(ms / 1000);
  const [d, hr, m, sec] = [Math.floor(s / 86400), Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60, s % 60];
  if (d) return `${d}d ${hr}h`;
  if (hr) return `${hr}h ${String(m).padStart(2, '0')}m`;
  return `${m}m ${String(sec).padStart(2, '0')}s`;
}

/** What the drawing waits for next, for a countdown element (re-rendered every second). */
export function countdownText(d) {
  const left = (iso, label, due) => (until(iso) ? `${label} in ${until(iso)}` : due);
  switch (d.status) {
    case 'draft':
    case 'scheduled':
      return left(d.opens_at, 'Opens', 'Opening due');
    case 'open':
      return left(d.ticket_sales_close, 'Sales close', 'Sales close due');
    case 'closed':
      return left(d.drawing_time, 'Draw', 'Draw due');
    case 'completed':
      return 'Drawn';
    default:
      return 'Cancelled';
  }
}

/** A span the tab's timer keeps current. */
export function countdown(d, testid) {
  const times = {
    status: d.status,
    opens_at: d.opens_at,
    ticket_sales_close: d.ticket_sales_close,
    drawing_time: d.drawing_time,
  };
  return h('span', { class: 'countdown', testid, 'data-countdown': JSON.stringify(times) }, countdownText(d));
}

export function tickCountdowns(root) {
  for (const el of root.querySelectorAll('[data-countdown]')) {
    el.textContent = countdownText(JSON.parse(el.dataset.countdown));
  }
}

const when = (iso) => (iso ? new Date(iso).toLocaleString() : '—');
const money = (usd) => `$${Number(usd).toLocaleString('en-US')}`;
const shortId = (id) => id?.slice(0, 8) ?? '';

function emptyRow(colspan, text) {
  return h('tr', {}, h('td', { colspan, class: 'muted' }, text));
}

function render(container, ctx) {
  const message = h('p', { testid: 'drawings-message', hidden: true, role: 'status' });

  // ---- list
  const status = h(
    'select',
    { testid: 'drawings-filter-status' },
    h('option', { value: '' }, 'any'),
    STATUSES.map((s) => h('option', { value: s }, s)),
  );
  const type = h(
    'select',
    { testid: 'drawings-filter-type' },
    h('option', { value: '' }, 'any'),
    TYPES.map((s) => h('option', { value: s }, s)),
  );
  const load = h('button', { type: 'button', class: 'btn', testid: 'drawings-load' }, 'Load');
  const listBody = h('tbody', { testid: 'drawings-list' });
  const pageInfo = h('span', { class: 'muted', testid: 'drawings-page' });
  const prev = h(
    'button',
    { type: 'button', class: 'btn btn-secondary', testid: 'drawings-prev' },
    'Previous',
  );
  const next = h('button', { type: 'button', class: 'btn btn-secondary', testid: 'drawings-next' }, 'Next');
  let page = 1;

  async function loadList() {
    const result = await ctx.call('GET', '/api/v1/drawings', {
      query: {
        'filter[status]': status.value,
        'filter[drawing_type]': type.value,
        sort: 'drawing_time',
        page,
        per_page: PER_PAGE,
      },
    });
    if (!isOk(result)) {
      fill(listBody);
      return setMessage(message, `Could not load drawings: ${errorMessage(result)}`, 'error');
    }
    const { data, meta } = result.body;
    fill(
      listBody,
      ...(data.length
        ? data.map((d) =>
            h(
              'tr',
              { testid: 'drawing-row', 'data-id': d.id, 'data-status': d.status },
              h('td', { testid: 'drawing-name' }, d.name),
              h('td', {}, d.drawing_type),
              h('td', {}, badge(d.status, 'drawing-status')),
              h('td', { class: 'num' }, formatNumber(d.ticket_cost_points)),
              h('td', { class: 'num', testid: 'drawing-total' }, formatNumber(d.total_tickets)),
              h('td', {}, countdown(d, 'drawing-countdown')),
              h(
                'td',
                {},
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn btn-small',
                    testid: 'drawing-open',
                    onClick: () => openDrawing(d.id),
                  },
                  'Open',
                ),
              ),
            ),
          )
        : [emptyRow(7, 'No drawings match')]),
    );
    pageInfo.textContent = `Page ${meta.page} of ${Math.max(1, meta.total_pages)} (${formatNumber(meta.total)} drawings)`;
    prev.disabled = meta.page <= 1;
    next.disabled = meta.page >= meta.total_pages;
  }

  // ---- one drawing
  const detail = h('section', { class: 'card', testid: 'drawing-detail', hidden: true });
  // Outcome lines outlive the re-render that follows each purchase.
  const buyMessage = h('p', { testid: 'drawing-buy-message', hidden: true, role: 'status' });
  const freeMessage = h('p', { testid: 'drawing-free-message', hidden: true, role: 'status' });
  let current = null;
  // One key per intended purchase: a double submit or a retry after a network error buys once; a new
  // key after a success (or for another drawing).
  let purchaseKey = crypto.randomUUID();

  async function openDrawing(id) {
    const result = await ctx.call('GET', `/api/v1/drawings/${id}`);
    detail.hidden = false;
    if (!isOk(result)) return fill(detail, h('p', { class: 'text-error' }, errorMessage(result)));
    if (current?.id !== id) {
      purchaseKey = crypto.randomUUID();
      setMessage(buyMessage, '');
      setMessage(freeMessage, '');
    }
    current = result.body;
    renderDetail(current);
    if (current.status === 'completed') await loadResults(current);
  }

  function renderDetail(d) {
    const isStaff = ctx.tokens.get()?.role === 'admin';
    const quantity = h('input', {
      type: 'number',
      min: 1,
      max: 100,
      value: '1',
      class: 'short',
      testid: 'drawing-buy-quantity',
    });
    const cost = h('span', { class: 'muted', testid: 'drawing-buy-cost' });
    const updateCost = () => {
      const n = Number(quantity.value) || 0;
      cost.textContent = `${n} × ${formatNumber(d.ticket_cost_points)} = ${formatNumber(n * d.ticket_cost_points)} points`;
    };
    quantity.addEventListener('input', updateCost);
    updateCost();
    const buy = h('button', { type: 'submit', class: 'btn', testid: 'drawing-buy' }, 'Buy tickets');
    const keyLine = h(
      'small',
      { class: 'hint', testid: 'drawing-buy-key' },
      `Idempotency-Key: ${purchaseKey}`,
    );
    const buyForm = h(
      'form',
      { class: 'form', testid: 'drawing-buy-form' },
      h('div', { class: 'actions' }, field('Tickets', quantity), cost, buy),
      keyLine,
      buyMessage,
    );
    buyForm.addEventListener('submit', (event) => {
      event.preventDefault();
      withBusy(buy, async () => {
        const result = await ctx.call('POST', `/api/v1/drawings/${d.id}/tickets`, {
          body: { quantity: Number(quantity.value) },
          headers: { 'Idempotency-Key': purchaseKey },
        });
        if (!isOk(result)) return setMessage(buyMessage, errorMessage(result), 'error');
        const r = result.body;
        purchaseKey = crypto.randomUUID();
        await openDrawing(d.id);
        setMessage(
          buyMessage,
          `${r.replayed ? 'Already bought (same Idempotency-Key): ' : 'Bought '}tickets ` +
            `${r.tickets.map((t) => `#${t.ticket_number}`).join(', ')} for ${formatNumber(r.points_spent)} points; ` +
            `balance ${formatNumber(r.point_balance)}; you hold ${r.my_tickets}, odds ${r.odds}.`,
          'ok',
        );
        await loadTickets();
      });
    });

    const free = h(
      'button',
      { type: 'button', class: 'btn btn-secondary', testid: 'drawing-free-entry' },
      'Free entry',
    );
    free.addEventListener('click', () =>
      withBusy(free, async () => {
        const result = await ctx.call('POST', `/api/v1/drawings/${d.id}/free-entry`);
        if (!isOk(result)) return setMessage(freeMessage, errorMessage(result), 'error');
        const r = result.body;
        await openDrawing(d.id);
        setMessage(
          freeMessage,
          `Free ticket #${r.ticket.ticket_number}; you hold ${r.my_tickets}, odds ${r.odds}.`,
          'ok',
        );
        await loadTickets();
      }),
    );

    const entry =
      d.status !== 'open'
        ? h(
            'p',
            { class: 'muted', testid: 'drawing-entry-closed' },
            `Tickets are sold while the drawing is open (now ${d.status}).`,
          )
        : isStaff
          ? h('p', { class: 'muted', testid: 'drawing-entry-staff' }, 'Staff cannot enter drawings.')
          : h(
              'div',
              {},
              h('h4', {}, 'Buy tickets'),
              buyForm,
              h('h4', {}, 'No purchase necessary'),
              h(
                'p',
                { class: 'hint' },
                'One free ticket per person per drawing, with the same chance as a bought one.',
              ),
              h('div', { class: 'actions' }, free),
              freeMessage,
            );

    fill(
      detail,
      h('h3', { testid: 'drawing-detail-name' }, d.name),
      d.description ? h('p', {}, d.description) : null,
      h(
        'dl',
        { class: 'kv-list wide' },
        kv('Status', badge(d.status, 'drawing-detail-status')),
        kv('Next', countdown(d, 'drawing-detail-countdown')),
        kv('Opens', when(d.opens_at)),
        kv('Sales close', when(d.ticket_sales_close)),
        kv('Drawing time', when(d.drawing_time)),
        kv('Ticket cost', `${formatNumber(d.ticket_cost_points)} points`),
        kv('Tickets sold', h('span', { testid: 'drawing-detail-total' }, formatNumber(d.total_tickets))),
        kv('My tickets', h('span', { testid: 'drawing-my-tickets' }, formatNumber(d.my_tickets))),
        kv('My odds', h('span', { testid: 'drawing-odds' }, d.odds ?? 'no ticket yet')),
        kv('Odds if I buy one', h('span', { testid: 'drawing-odds-if-buy-one' }, d.odds_if_buy_one)),
        kv(
          'Eligibility',
          `${d.eligibility.user_type === 'premium' ? 'premium members' : 'all members'}, account at least ${d.eligibility.min_account_age_days} days old`,
        ),
        kv('Seed commitment', h('code', { testid: 'drawing-commitment' }, d.seed_commitment ?? '—')),
        kv('Beacon round', d.beacon_round ? `drand ${d.beacon_round}` : 'none (seed and ticket list only)'),
        kv(
          'Ticket list hash',
          h('code', { testid: 'drawing-tickets-hash' }, d.tickets_hash ?? 'published at sales close'),
        ),
      ),
      h('h4', {}, 'Prizes'),
      h(
        'ol',
        { testid: 'drawing-prizes' },
        d.prizes.map((p) =>
          h('li', { testid: 'drawing-prize' }, `${p.name} (${money(p.value_usd)}, ${p.fulfillment_type})`),
        ),
      ),
      entry,
      h('section', { testid: 'drawing-results', hidden: true }),
    );
  }

  const kv = (label, value) => h('div', { class: 'kv' }, h('dt', {}, label), h('dd', {}, value));

  // ---- results and the in-browser verification
  async function loadResults(d) {
    const section = detail.querySelector('[data-testid="drawing-results"]');
    const result = await ctx.api('GET', `/api/v1/drawings/${d.id}/results`);
    section.hidden = false;
    if (!isOk(result)) return fill(section, h('p', { class: 'text-error' }, errorMessage(result)));
    const r = result.body;
    const rows = new Map();
    const body = h(
      'tbody',
      {},
      r.winners.length
        ? r.winners.map((w) => {
            const row = h(
              'tr',
              { testid: 'result-winner', 'data-rank': w.prize_rank, 'data-ticket': w.ticket_number },
              h('td', { class: 'num' }, String(w.prize_rank)),
              h('td', {}, w.prize_name),
              h('td', { testid: 'result-winner-name' }, w.display_name ?? shortId(w.user_id)),
              h('td', { class: 'num', testid: 'result-winner-ticket' }, `#${w.ticket_number}`),
              h('td', { testid: 'result-verify-status' }, h('span', { class: 'muted' }, 'not checked')),
            );
            rows.set(w.prize_rank, row);
            return row;
          })
        : [emptyRow(5, 'No winners (no tickets)')],
    );
    const verify = h(
      'button',
      { type: 'button', class: 'btn', testid: 'drawing-verify' },
      'Verify in your browser',
    );
    const summary = h('div', { testid: 'drawing-verify-summary', hidden: true });
    verify.addEventListener('click', () => withBusy(verify, () => runVerification(d.id, rows, summary)));
    fill(
      section,
      h('h4', {}, 'Results'),
      r.you_won
        ? h('p', { class: 'message message-ok', testid: 'drawing-you-won' }, 'You won! See My prizes below.')
        : null,
      h(
        'p',
        { class: 'muted' },
        `Drawn ${when(r.completed_at)} from ${formatNumber(r.total_tickets)} tickets.`,
      ),
      table(['Rank', 'Prize', 'Winner', 'Ticket', 'Recomputed here'], body, 'drawing-winners'),
      h(
        'div',
        { class: 'actions' },
        verify,
        h(
          'small',
          { class: 'hint' },
          'Fetches /verify and the ticket list, then recomputes every winner with Web Crypto.',
        ),
      ),
      summary,
    );
  }

  async function runVerification(id, rows, summary) {
    summary.hidden = false;
    fill(summary, h('p', { class: 'message message-loading' }, 'Recomputing…'));
    const published = await ctx.call('GET', `/api/v1/drawings/${id}/verify`);
    if (!isOk(published)) return fill(summary, h('p', { class: 'text-error' }, errorMessage(published)));
    // The CSV comes back as text (the API client keeps non-JSON bodies as they are).
    const list = await ctx.api('GET', published.body.ticket_list);
    if (!isOk(list)) return fill(summary, h('p', { class: 'text-error' }, errorMessage(list)));
    let outcome;
    try {
      outcome = await verifyDrawing(published.body, String(list.body ?? ''));
    } catch (err) {
      return fill(
        summary,
        h('p', { class: 'message message-error', testid: 'verify-result' }, `Cannot verify: ${err.message}`),
      );
    }
    // The current winner of a re-drawn rank is its latest re-draw.
    const byRank = new Map(outcome.winners.map((w) => [w.prize_rank, w]));
    for (const redraw of outcome.redraws) byRank.set(redraw.prize_rank, redraw);
    for (const [rank, row] of rows) {
      const w = byRank.get(rank);
      const ok = Boolean(w?.match);
      const cell = row.querySelector('[data-testid="result-verify-status"]');
      row.dataset.match = String(ok);
      fill(
        cell,
        h('span', { class: `badge ${ok ? 'badge-ok' : 'badge-error'}` }, ok ? 'match' : 'mismatch'),
        w?.computed && !ok
          ? h('small', { class: 'hint' }, ` computed ticket #${w.computed.ticket_number}`)
          : null,
      );
    }
    fill(
      summary,
      h(
        'p',
        {
          class: `message message-${outcome.ok ? 'ok' : 'error'}`,
          testid: 'verify-result',
          'data-ok': String(outcome.ok),
        },
        outcome.ok
          ? 'Verified: every winner recomputed here matches the published result.'
          : 'Mismatch: what the API published does not recompute to these winners.',
      ),
      h(
        'ul',
        { class: 'check-list' },
        outcome.checks.map((c) =>
          h(
            'li',
            {
              class: `check ${c.ok ? 'text-ok' : 'text-error'}`,
              testid: 'verify-check',
              'data-check': c.check,
              'data-ok': String(c.ok),
            },
            `${c.ok ? '✓' : '✗'} ${c.check}: ${c.detail}`,
          ),
        ),
        outcome.redraws.map((r) =>
          h(
            'li',
            {
              class: `check ${r.match ? 'text-ok' : 'text-error'}`,
              testid: 'verify-check',
              'data-check': 'redraw',
              'data-ok': String(r.match),
            },
            `${r.match ? '✓' : '✗'} re-draw of rank ${r.prize_rank} (replaces #${r.replaces_ticket}): published #${r.published?.ticket_number ?? '—'}, computed #${r.computed?.ticket_number ?? '—'}`,
          ),
        ),
      ),
    );
  }

  // ---- my tickets
  const ticketsBody = h('tbody', { testid: 'my-tickets' });
  async function loadTickets() {
    const result = await ctx.api('GET', '/api/v1/tickets', { query: { per_page: 100 } });
    if (!isOk(result)) return fill(ticketsBody, emptyRow(5, errorMessage(result)));
    fill(
      ticketsBody,
      ...(result.body.data.length
        ? result.body.data.map((t) =>
            h(
              'tr',
              { testid: 'my-ticket', 'data-drawing': t.drawing_id, 'data-free': String(t.is_free) },
              h('td', {}, t.drawing_name ?? shortId(t.drawing_id)),
              h('td', { class: 'num' }, `#${t.ticket_number}`),
              h('td', {}, t.is_free ? 'free entry' : 'bought'),
              h('td', {}, t.drawing_status ? badge(t.drawing_status) : ''),
              h('td', {}, t.is_winner ? h('span', { class: 'badge badge-ok' }, 'winner') : ''),
            ),
          )
        : [emptyRow(5, 'No tickets yet')]),
    );
  }

  // ---- my prizes and the address form
  const prizesBody = h('tbody', { testid: 'my-fulfillments' });
  const claim = h('section', { class: 'card', testid: 'fulfillment-claim', hidden: true });
  const formMessage = h('p', { testid: 'address-message', hidden: true, role: 'status' });

  async function loadFulfillments() {
    const result = await ctx.api('GET', '/api/v1/fulfillments', { query: { per_page: 100 } });
    if (!isOk(result)) return fill(prizesBody, emptyRow(6, errorMessage(result)));
    fill(
      prizesBody,
      ...(result.body.data.length
        ? result.body.data.map((f) =>
            h(
              'tr',
              { testid: 'my-fulfillment', 'data-id': f.id },
              h('td', {}, f.drawing_name),
              h('td', {}, `${f.prize_name} (${money(f.prize_value_usd)})`),
              h('td', {}, badge(f.status, 'my-fulfillment-status')),
              h('td', {}, f.claim_deadline ? `claim by ${when(f.claim_deadline)}` : ''),
              h('td', {}, f.tracking_number ? `${f.carrier} ${f.tracking_number}` : ''),
              h(
                'td',
                {},
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn btn-small btn-ghost',
                    testid: 'my-fulfillment-open',
                    onClick: () => openClaim(f.id),
                  },
                  f.status === 'winner_notified' && f.fulfillment_type === 'physical'
                    ? 'Enter address'
                    : 'Details',
                ),
              ),
            ),
          )
        : [emptyRow(6, 'No prizes yet')]),
    );
  }

  async function openClaim(id) {
    const result = await ctx.call('GET', `/api/v1/fulfillments/${id}`);
    claim.hidden = false;
    setMessage(formMessage, '');
    if (!isOk(result))
      return fill(claim, h('p', { class: 'text-error', testid: 'fulfillment-error' }, errorMessage(result)));
    const f = result.body;
    const a = f.shipping_address ?? {};
    const input = (name, testid, attrs = {}) =>
      h('input', { type: 'text', name, testid, value: a[name] ?? '', ...attrs });
    const inputs = {
      name: input('name', 'address-name', { required: true, maxlength: 100, autocomplete: 'name' }),
      line1: input('line1', 'address-line1', {
        required: true,
        maxlength: 200,
        autocomplete: 'address-line1',
      }),
      line2: input('line2', 'address-line2', { maxlength: 200, autocomplete: 'address-line2' }),
      city: input('city', 'address-city', { required: true, maxlength: 100, autocomplete: 'address-level2' }),
      state: input('state', 'address-state', {
        required: true,
        maxlength: 2,
        class: 'short',
        autocomplete: 'address-level1',
      }),
      postal_code: input('postal_code', 'address-zip', {
        required: true,
        maxlength: 10,
        class: 'short',
        autocomplete: 'postal-code',
      }),
      phone: input('phone', 'address-phone', { maxlength: 20, autocomplete: 'tel' }),
    };
    const submit = h('button', { type: 'submit', class: 'btn', testid: 'address-submit' }, 'Confirm address');
    const form = h(
      'form',
      { class: 'form', testid: 'fulfillment-form' },
      field('Full name', inputs.name),
      field('Address line 1', inputs.line1),
      field('Address line 2', inputs.line2),
      h(
        'div',
        { class: 'actions' },
        field('City', inputs.city),
        field('State', inputs.state, 'e.g. IL'),
        field('ZIP', inputs.postal_code, '12345 or 12345-6789'),
      ),
      field('Phone (optional)', inputs.phone),
      submit,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      withBusy(submit, async () => {
        const body = {};
        for (const [key, el] of Object.entries(inputs)) if (el.value.trim()) body[key] = el.value.trim();
        const saved = await ctx.call('PUT', `/api/v1/fulfillments/${f.id}/address`, { body });
        if (!isOk(saved)) return setMessage(formMessage, errorMessage(saved), 'error');
        await openClaim(f.id);
        setMessage(formMessage, 'Address confirmed: the prize ships to it.', 'ok');
        await loadFulfillments();
      });
    });
    const canEdit = f.status === 'winner_notified' && f.fulfillment_type === 'physical';
    fill(
      claim,
      h(
        'h3',
        { testid: 'fulfillment-prize' },
        `${f.prize_name} (${money(f.prize_value_usd)}) from ${f.drawing_name}`,
      ),
      h(
        'dl',
        { class: 'kv-list wide' },
        kv('Status', badge(f.status, 'fulfillment-status')),
        kv('Claim by', when(f.claim_deadline)),
        kv(
          'Shipping to',
          f.shipping_address
            ? h('span', { testid: 'fulfillment-address' }, formatAddress(f.shipping_address))
            : '—',
        ),
        kv('Shipped', f.shipped_at ? `${when(f.shipped_at)} · ${f.carrier} ${f.tracking_number}` : '—'),
      ),
      canEdit
        ? form
        : h(
            'p',
            { class: 'muted', testid: 'fulfillment-no-form' },
            f.fulfillment_type === 'digital'
              ? 'A digital prize: its code was emailed to you.'
              : `Nothing to enter while the prize is ${f.status.replace(/_/g, ' ')}.`,
          ),
      formMessage,
    );
  }

  // The claim link's fulfillment: taken from the hash at once (switching tabs to log in rewrites the
  // hash), opened as soon as someone is logged in.
  let pendingClaim = null;
  async function openClaimFromLink() {
    const [tabId, query] = location.hash.slice(1).split('?');
    const id = tabId === 'drawings' ? new URLSearchParams(query ?? '').get('fulfillment') : null;
    if (id) {
      pendingClaim = id;
      history.replaceState(null, '', `${location.pathname}${location.search}#drawings`);
    }
    if (!pendingClaim) return;
    if (!ctx.tokens.get())
      return setMessage(
        message,
        'Log in (Authentication tab) to claim your prize: it opens here afterwards.',
        'info',
      );
    const claimed = pendingClaim;
    pendingClaim = null;
    await openClaim(claimed);
    claim.scrollIntoView({ block: 'start' });
  }

  async function loadAll() {
    setMessage(message, '');
    if (!ctx.tokens.get()) {
      setMessage(message, 'Log in first (Authentication tab).', 'info');
      return openClaimFromLink(); // keeps a claim link's prize for after the login
    }
    await loadList();
    await Promise.all([loadTickets(), loadFulfillments()]);
    await openClaimFromLink();
  }

  load.addEventListener('click', () => withBusy(load, async () => ((page = 1), loadList())));
  status.addEventListener('change', () => ((page = 1), loadList()));
  type.addEventListener('change', () => ((page = 1), loadList()));
  prev.addEventListener('click', () => withBusy(prev, async () => ((page -= 1), loadList())));
  next.addEventListener('click', () => withBusy(next, async () => ((page += 1), loadList())));
  ctx.tokens.onChange(() => {
    page = 1;
    detail.hidden = true;
    claim.hidden = true;
    current = null;
    loadAll();
  });
  window.addEventListener('hashchange', openClaimFromLink);
  setInterval(() => tickCountdowns(container), 1000);

  const refreshMine = h(
    'button',
    { type: 'button', class: 'btn btn-secondary btn-small', testid: 'my-refresh' },
    'Refresh',
  );
  refreshMine.addEventListener('click', () =>
    withBusy(refreshMine, () => Promise.all([loadTickets(), loadFulfillments()])),
  );

  container.append(
    h('h2', {}, 'Drawings'),
    h('div', { class: 'actions' }, field('Status', status), field('Type', type), load),
    message,
    table(['Name', 'Type', 'Status', 'Cost', 'Tickets', 'Next', ''], listBody, 'drawings-table'),
    h('div', { class: 'actions' }, prev, pageInfo, next),
    detail,
    h(
      'section',
      { class: 'card' },
      h('div', { class: 'actions' }, h('h3', {}, 'My tickets'), refreshMine),
      table(['Drawing', 'Ticket', 'Entry', 'Drawing status', ''], ticketsBody),
    ),
    h(
      'section',
      { class: 'card' },
      h('h3', {}, 'My prizes'),
      table(['Drawing', 'Prize', 'Status', 'Claim', 'Tracking', ''], prizesBody),
    ),
    claim,
  );
  loadAll();
}

export function formatAddress(a) {
  return [a.name, a.line1, a.line2, `${a.city}, ${a.state} ${a.postal_code}`, a.phone]
    .filter(Boolean)
    .join(' · ');
}

export default { id: 'drawings', title: 'Drawings', render };
