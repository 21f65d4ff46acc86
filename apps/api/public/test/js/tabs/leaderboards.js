// Leaderboard viewer over GET /api/v1/leaderboards/{period}. Any error (404 while that API does not
// exist yet) is shown as the API's problem detail, with an empty table: never made-up rankings.
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
    if (!isOk(result)) {
      setMessage(message, `Could not load leaderboard: ${errorMessage(result)}`, 'error');
      summary.textContent = '';
      myPosition.hidden = true;
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
  restart(); // show the board (or why there is none) straight away
}

export default { id: 'leaderboards', title: 'Leaderboards', render };
