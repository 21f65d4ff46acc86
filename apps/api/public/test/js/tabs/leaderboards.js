// Leaderboard viewer. Until the leaderboards API exists (404), it shows
// clearly-labelled MOCK data generated client-side, deterministically per period+tier.
import { h, field, withBusy, setMessage, formatNumber } from '../ui.js';
import { isOk, errorMessage } from '../api.js';

const PERIODS = [
  ['daily', 'Daily'],
  ['weekly', 'Weekly'],
  ['monthly', 'Monthly'],
  ['alltime', 'All-time'],
];

// {M|F}-{age band}-{BEG|INT|ADV}: 2 × 5 × 3 = 30 tiers, plus the OPEN board.
export const TIER_CODES = ['M', 'F'].flatMap((sex) =>
  ['18-29', '30-39', '40-49', '50-59', '60+'].flatMap((age) =>
    ['BEG', 'INT', 'ADV'].map((level) => `${sex}-${age}-${level}`),
  ),
);
const TIERS = [...TIER_CODES, 'OPEN'];

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
  const mockBanner = h(
    'div',
    { class: 'mock-banner', testid: 'lb-mock-banner', role: 'note', hidden: true },
    'MOCK DATA — GET /api/v1/leaderboards returned 404, so these rankings are generated in the browser.',
  );
  const message = h('p', { testid: 'lb-message', hidden: true, role: 'status' });
  const summary = h('p', { class: 'muted', testid: 'lb-summary' });
  const myPosition = h('p', { testid: 'lb-my-position', hidden: true });
  const tbody = h('tbody', { testid: 'lb-rows' });
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

  async function load() {
    const query = { tier: tier.value, page, per_page: perPage.value };
    const result = await ctx.call('GET', `/api/v1/leaderboards/${period.value}`, { query });
    let board = null;
    if (result.status === 404) {
      board = mockLeaderboard(period.value, tier.value, page, Number(perPage.value) || 10);
      ctx.show(result, { note: 'Leaderboards API not available (404): showing MOCK data in the table.' });
    } else if (isOk(result)) {
      board = result.body;
    }
    mockBanner.hidden = !board?.mock;
    if (!board) {
      setMessage(message, `Could not load leaderboard: ${errorMessage(result)}`, 'error');
      tbody.replaceChildren();
      meta = null;
      updatePager();
      return;
    }
    setMessage(message, '', 'info');
    showBoard(board);
  }

  function showBoard(board) {
    const rankings = Array.isArray(board.rankings) ? board.rankings : [];
    summary.textContent = `${board.mock ? 'MOCK · ' : ''}${board.period ?? period.value} · ${board.tier_code ?? tier.value} · ${formatNumber(board.total_users ?? board.meta?.total)} users`;
    const mine = board.my_position;
    myPosition.hidden = !mine;
    myPosition.textContent = mine
      ? `Your position: #${mine.rank} with ${formatNumber(mine.points)} points`
      : '';
    tbody.replaceChildren(
      ...(rankings.length
        ? rankings.map((r) =>
            h(
              'tr',
              { testid: 'lb-row', class: mine && r.rank === mine.rank ? 'highlight' : null },
              h('td', { class: 'num' }, r.rank),
              h('td', {}, r.display_name ?? r.user_id ?? '—'),
              h('td', { class: 'num' }, formatNumber(r.points)),
              h('td', {}, r.tier_code ?? '—'),
            ),
          )
        : [h('tr', {}, h('td', { colspan: 4 }, 'No rankings for this period and tier'))]),
    );
    meta = board.meta ?? null;
    updatePager();
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
    withBusy(loadButton, load);
  };
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
      h('div', { class: 'actions' }, loadButton),
    ),
    h(
      'div',
      { class: 'card' },
      mockBanner,
      message,
      summary,
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
    ),
  );
  restart(); // show a board straight away (real or mock)
}

// --- Mock data -------------------------------------------------------------

// FNV-1a string hash -> seed, mulberry32 PRNG: same period+tier, same board.
function hash(text) {
  let x = 2166136261;
  for (let i = 0; i < text.length; i++) x = Math.imul(x ^ text.charCodeAt(i), 16777619);
  return x >>> 0;
}
function prng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Alex',
  'Sam',
  'Jordan',
  'Taylor',
  'Morgan',
  'Casey',
  'Riley',
  'Jamie',
  'Avery',
  'Quinn',
  'Drew',
  'Parker',
  'Reese',
  'Skyler',
  'Cameron',
  'Hayden',
];
const LAST = [
  'Runner',
  'Walker',
  'Lifter',
  'Stepper',
  'Climber',
  'Rower',
  'Cyclist',
  'Swimmer',
  'Hiker',
  'Sprinter',
];
const SCALE = { daily: 1000, weekly: 6000, monthly: 25000, alltime: 150000 };

/** Builds the whole board for period+tier, then returns the requested page in the API's shape. */
export function mockLeaderboard(period, tierCode, page, perPage) {
  const rand = prng(hash(`${period}|${tierCode}`));
  const total = 40 + Math.floor(rand() * 160);
  const scale = SCALE[period] ?? 5000;
  let points = Math.round(scale * (0.8 + rand() * 0.2));
  const all = [];
  for (let i = 0; i < total; i++) {
    const prev = all[i - 1];
    all.push({
      rank: prev && prev.points === points ? prev.rank : i + 1, // ties share a rank
      user_id: `mock-${hash(`${period}${tierCode}${i}`).toString(16)}`,
      display_name: `${FIRST[Math.floor(rand() * FIRST.length)]} ${LAST[Math.floor(rand() * LAST.length)]} ${i + 1}`,
      tier_code: tierCode === 'OPEN' ? TIER_CODES[Math.floor(rand() * TIER_CODES.length)] : tierCode,
      points,
    });
    points = Math.max(0, points - Math.floor((rand() * (2 * scale)) / total));
  }
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  const current = Math.min(Math.max(1, page), totalPages);
  return {
    mock: true,
    period,
    tier_code: tierCode,
    total_users: total,
    rankings: all.slice((current - 1) * perPage, current * perPage),
    my_position: null,
    around_me: [],
    meta: { page: current, per_page: perPage, total, total_pages: totalPages },
  };
}

export default { id: 'leaderboards', title: 'Leaderboards', render };
