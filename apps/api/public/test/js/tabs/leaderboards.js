// Leaderboard viewer over GET /api/v1/leaderboards/{period}, live data only: any error is shown as the
// API's problem detail with an empty table. Own tier preselected (GET /users/me), medals for the top 3,
// own row highlighted, the ranks around mine, a name opens the public profile, a countdown to the next
// reset (GET /leaderboards) and an optional 60 s auto-refresh.
import { h, field, withBusy, setMessage, formatNumber } from '../ui.js';
import { isOk, errorMessage } from '../api.js';

const PERIODS = [
  ['daily', 'Daily'],
  ['weekly', 'Weekly'],
  ['monthly', 'Monthly'],
  ['alltime', 'All-time'],
];

// {M|F}-{age band}-{BEG|INT|ADV}: 2 × 5 × 3 = 30 tiers, plus the OPEN board.
const TIER_CODES = ['M', 'F'].flatMap((sex) =>
  ['18-29', '30-39', '40-49', '50-59', '60+'].flatMap((age) =>
    ['BEG', 'INT', 'ADV'].map((level) => `${sex}-${age}-${level}`),
  ),
);
const TIERS = [...TIER_CODES, 'OPEN'];
const MEDALS = { 1: '🥇', 2: '🥈', 3: '🥉' };
const REFRESH_MS = 60_000;

/** `1d 02:03:04` until an ISO instant. */
function countdown(iso, now = Date.now()) {
  const total = Math.max(0, Math.floor((new Date(iso).getTime() - now) / 1000));
  const pad = (n) => String(n).padStart(2, '0');
  const days = Math.floor(total / 86400);
  const rest = `${pad(Math.floor((total % 86400) / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  return days ? `${days}d ${rest}` : rest;
}

function render(container, ctx) {
  const period = h(
    'select',
    { testid: 'lb-period' },
    PERIODS.map(([value, label]) => h('option', { value }, label)),
  );
  period.value = 'weekly';
  const tier = h(
    'select',
    { testid: 'lb-tier' },
    TIERS.map((code) => h('option', { value: code }, code)),
  );
  tier.value = 'M-30-39-INT';
  const perPage = h('input', {
    type: 'number',
    min: '1',
    max: '100',
    value: '10',
    testid: 'lb-per-page',
    inputmode: 'numeric',
  });
  const loadButton = h('button', { type: 'submit', class: 'btn', testid: 'lb-load' }, 'Load leaderboard');
  const message = h('p', { testid: 'lb-message', hidden: true, role: 'status' });
  const summary = h('p', { class: 'muted', testid: 'lb-summary' });
  const myPosition = h('p', { testid: 'lb-my-position', hidden: true });
  const tbody = h('tbody', { testid: 'lb-rows' });
  const aroundBody = h('tbody', { testid: 'lb-around-rows' });
  const around = h('div', { testid: 'lb-around', hidden: true });
  const profile = h('div', { class: 'card', testid: 'lb-profile', hidden: true, 'aria-live': 'polite' });
  const resetIn = h('p', { class: 'muted', testid: 'lb-countdown' });
  const autoRefresh = h('input', { type: 'checkbox', testid: 'lb-auto-refresh' });
  let me = null; // { id, tier }
  let resets = {}; // period → next_reset_at
  let refreshTimer = null;
  const pageInfo = h('span', { class: 'muted', testid: 'lb-page-info', 'aria-live': 'polite' });
  const prev = h(
    'button',
    { type: 'button', class: 'btn btn-secondary', testid: 'lb-prev', disabled: true, onClick: () => go(-1) },
    '← Previous',
  );
  const next = h(
    'button',
    { type: 'button', class: 'btn btn-secondary', testid: 'lb-next', disabled: true, onClick: () => go(1) },
    'Next →',
  );
  let page = 1;
  let meta = null;
  let latest = 0; // the newest load: an older answer arriving later must not replace its board

  async function load() {
    const query = { tier: tier.value, page, per_page: perPage.value };
    const request = ++latest;
    const result = await ctx.call('GET', `/api/v1/leaderboards/${period.value}`, { query });
    if (request !== latest) return;
    if (!isOk(result)) {
      setMessage(message, `Could not load leaderboard: ${errorMessage(result)}`, 'error');
      summary.textContent = '';
      myPosition.hidden = true;
      around.hidden = true;
      tbody.replaceChildren();
      meta = null;
      updatePager();
      return;
    }
    setMessage(message, '', 'info');
    showBoard(result.body);
  }

  function showBoard(board) {
    const rankings = Array.isArray(board.rankings) ? board.rankings : [];
    summary.textContent = `${board.period ?? period.value} · ${board.tier_code ?? tier.value} · ${formatNumber(board.total_users ?? board.meta?.total)} users`;
    const mine = board.my_position;
    myPosition.hidden = !mine;
    myPosition.textContent = mine
      ? `Your position: #${mine.rank} with ${formatNumber(mine.points)} points`
      : '';
    tbody.replaceChildren(
      ...(rankings.length
        ? rankings.map((r) => row(r))
        : [h('tr', {}, h('td', { colspan: 4 }, 'No rankings for this period and tier'))]),
    );
    const aroundMe = Array.isArray(board.around_me) ? board.around_me : [];
    around.hidden = aroundMe.length === 0;
    aroundBody.replaceChildren(...aroundMe.map((r) => row(r, 'lb-around-row')));
    meta = board.meta ?? null;
    updatePager();
  }

  function row(r, testid = 'lb-row') {
    const own = me && r.user_id === me.id;
    const name = h(
      'button',
      { type: 'button', class: 'link', testid: 'lb-name', onClick: () => showProfile(r.user_id) },
      r.display_name || r.user_id,
    );
    return h(
      'tr',
      { testid, class: own ? 'highlight' : null, 'data-me': own ? 'true' : null },
      h('td', { class: 'num' }, `${MEDALS[r.rank] ?? ''} ${r.rank}`.trim()),
      h('td', {}, name),
      h('td', { class: 'num' }, formatNumber(r.points)),
      h('td', {}, r.tier_code ?? '—'),
    );
  }

  async function showProfile(userId) {
    const result = await ctx.call('GET', `/api/v1/users/${userId}/public`);
    profile.hidden = false;
    if (!isOk(result)) {
      profile.replaceChildren(h('p', {}, `Could not load the profile: ${errorMessage(result)}`));
      return;
    }
    const p = result.body;
    profile.replaceChildren(
      h('h3', {}, p.display_name),
      h('p', {}, `Tier ${p.tier_code ?? '—'} · ${formatNumber(p.total_points_earned)} points earned`),
      h('p', {}, `All-time rank in tier: ${p.alltime_rank ? `#${p.alltime_rank}` : 'not ranked'}`),
      h('p', { class: 'muted' }, `Member since ${new Date(p.member_since).toLocaleDateString()}`),
      h(
        'button',
        { type: 'button', class: 'btn btn-secondary', onClick: () => (profile.hidden = true) },
        'Close',
      ),
    );
  }

  function tickCountdown() {
    const at = resets[period.value];
    resetIn.textContent = at
      ? `Next reset in ${countdown(at)}`
      : period.value === 'alltime'
        ? 'All-time: never resets'
        : '';
  }

  async function loadResets() {
    const result = await ctx.api('GET', '/api/v1/leaderboards');
    if (isOk(result)) resets = Object.fromEntries(result.body.map((b) => [b.period, b.next_reset_at]));
    tickCountdown();
  }

  function updatePager() {
    const p = meta?.page ?? page;
    const pages = meta?.total_pages ?? 1;
    pageInfo.textContent = meta ? `Page ${p} of ${pages}` : '';
    prev.disabled = !meta || p <= 1;
    next.disabled = !meta || p >= pages;
  }

  function go(delta) {
    page = Math.max(1, (meta?.page ?? page) + delta);
    withBusy(delta < 0 ? prev : next, load).then(updatePager);
  }

  // A new period/tier starts again at page 1.
  const restart = () => {
    page = 1;
    tickCountdown();
    withBusy(loadButton, load);
  };
  autoRefresh.addEventListener('change', () => {
    clearInterval(refreshTimer);
    refreshTimer = autoRefresh.checked ? setInterval(() => load(), REFRESH_MS) : null;
  });
  // Past the reset the board starts over: fetch the new period's reset time, once per reset (a browser
  // clock ahead of the server's would otherwise refetch every second into the rate limit).
  let reloadedFor = null;
  setInterval(() => {
    const at = resets[period.value];
    if (at && new Date(at).getTime() <= Date.now() && reloadedFor !== at) {
      reloadedFor = at;
      loadResets().then(load);
    } else tickCountdown();
  }, 1000);
  period.addEventListener('change', restart);
  tier.addEventListener('change', restart);

  container.append(
    h('h2', {}, 'Leaderboards'),
    h(
      'form',
      {
        class: 'card',
        novalidate: true,
        testid: 'lb-form',
        onSubmit: (e) => {
          e.preventDefault();
          restart();
        },
      },
      h('div', { class: 'grid' }, field('Period', period), field('Tier', tier), field('Per page', perPage)),
      h('div', { class: 'actions' }, loadButton, h('label', {}, autoRefresh, ' Auto-refresh every 60 s')),
    ),
    h(
      'div',
      { class: 'card' },
      message,
      summary,
      resetIn,
      myPosition,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table', testid: 'lb-table' },
          h('caption', { class: 'sr-only' }, 'Leaderboard rankings'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col', class: 'num' }, 'Rank'),
              h('th', { scope: 'col' }, 'Display name'),
              h('th', { scope: 'col', class: 'num' }, 'Points'),
              h('th', { scope: 'col' }, 'Tier'),
            ),
          ),
          tbody,
        ),
      ),
      h('div', { class: 'pager' }, prev, pageInfo, next),
      h('div', {}, around),
    ),
    profile,
  );
  around.append(
    h('h3', {}, 'Around you'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table', testid: 'lb-around-table' },
        h('caption', { class: 'sr-only' }, 'The ranks around yours'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col', class: 'num' }, 'Rank'),
            h('th', { scope: 'col' }, 'Display name'),
            h('th', { scope: 'col', class: 'num' }, 'Points'),
            h('th', { scope: 'col' }, 'Tier'),
          ),
        ),
        aroundBody,
      ),
    ),
  );
  // Own tier preselected when signed in and in a tier; then show the board (or why there is none).
  ctx.api('GET', '/api/v1/users/me').then(async (result) => {
    if (isOk(result)) {
      me = { id: result.body.id, tier: result.body.profile?.tier_code ?? null };
      if (me.tier) tier.value = me.tier;
    }
    await loadResets();
    restart();
  });
}

export default { id: 'leaderboards', title: 'Leaderboards', render };
