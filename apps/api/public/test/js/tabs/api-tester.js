// API Tester: CRUD forms per entity, list paging/sort/filters, manual Authorization header.
import { h, field, withBusy } from '../ui.js';
import { isOk } from '../api.js';

const stamp = () => Date.now().toString(36);

// Drawing times must be in the future and close before the draw.
function tomorrowAt(hh, mm) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + 1);
  d.setUTCHours(hh, mm, 0, 0);
  return d.toISOString();
}

/**
 * Entity config. `path` is used for list/get/update/delete unless a specific
 * path overrides it; `note` tells the tester what the contract actually offers.
 */
const ENTITIES = {
  users: {
    label: 'Users',
    path: '/api/v1/users',
    sortFields: ['created_at', 'email'],
    filterFields: ['role', 'status', 'tier_code', 'email'],
    note: 'List and create need an admin token; get/update allow self or admin; delete is admin only (soft delete, 204).',
    example: () => ({
      email: `tester+${stamp()}@example.com`,
      password: 'Str0ng!Passw0rd',
      date_of_birth: '1990-05-01',
      state: 'TX',
      display_name: `Tester ${stamp()}`,
      role: 'user',
    }),
    updateExample: () => ({ display_name: `Updated Tester ${stamp()}` }),
  },
  activities: {
    label: 'Activities',
    path: '/api/v1/activities',
    sortFields: ['start_time', 'created_at'],
    filterFields: ['activity_type', 'start_date', 'end_date'],
    note: 'Lists the caller’s own activities. The contract has no create/update/delete for activities (they come from trackers), so those should answer 404/405.',
    example: () => ({
      activity_type: 'steps',
      start_time: new Date(Date.now() - 3600_000).toISOString(),
      end_time: new Date().toISOString(),
      metrics: { steps: 8000 },
    }),
    updateExample: () => ({ metrics: { steps: 9000 } }),
  },
  drawings: {
    label: 'Drawings',
    path: '/api/v1/drawings',
    createPath: '/api/v1/admin/drawings',
    updatePath: '/api/v1/admin/drawings',
    deletePath: '/api/v1/admin/drawings',
    sortFields: ['drawing_time', 'created_at'],
    filterFields: ['status', 'drawing_type'],
    note: 'Create/update go to /api/v1/admin/drawings (admin). There is no DELETE in the contract (use cancel), so delete is expected to fail.',
    example: () => ({
      drawing_type: 'daily',
      name: `Daily Drawing ${stamp()}`,
      description: 'Created from the test page',
      ticket_cost_points: 100,
      opens_at: new Date().toISOString(),
      ticket_sales_close: tomorrowAt(20, 55),
      drawing_time: tomorrowAt(21, 0),
      prizes: [
        {
          rank: 1,
          name: '$50 Amazon Gift Card',
          value_usd: 50,
          fulfillment_type: 'digital',
          sponsor_id: null,
        },
      ],
      eligibility: { user_type: 'all', min_account_age_days: 7 },
    }),
    updateExample: () => ({ description: `Updated from the test page ${stamp()}` }),
  },
  points: {
    label: 'Points',
    path: '/api/v1/points/transactions',
    sortFields: ['created_at'],
    filterFields: ['transaction_type', 'user_id'],
    note: 'Read-only ledger: list only (admins may filter[user_id]). Balance changes go through /admin/users/{id}/points/adjust.',
    example: () => ({ amount: 100, reason: 'Test adjustment' }),
    updateExample: () => ({ reason: 'Edited' }),
  },
};

const json = (value) => JSON.stringify(value, null, 2);

function render(container, ctx) {
  let entity = ENTITIES.users;
  let lastMeta = null;

  // --- Entity + auth override -------------------------------------------
  const entitySelect = h(
    'select',
    { testid: 'entity-select', onChange: () => selectEntity(entitySelect.value) },
    Object.entries(ENTITIES).map(([key, e]) => h('option', { value: key }, `${e.label} (${e.path})`)),
  );
  const note = h('p', { class: 'hint', testid: 'entity-note' });

  // Auto-filled with the stored token; the tester may edit it, or clear it to send none.
  const authInput = h('input', {
    type: 'text',
    testid: 'auth-override',
    placeholder: 'Bearer eyJ… (empty = no Authorization header)',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  let autoAuth = '';
  function syncAuth(force = false) {
    const t = ctx.tokens.get();
    const value = t?.access_token ? `Bearer ${t.access_token}` : '';
    if (force || authInput.value === autoAuth) authInput.value = value;
    autoAuth = value;
  }
  ctx.tokens.onChange(() => syncAuth());
  syncAuth(true);
  const authReset = h(
    'button',
    { type: 'button', class: 'btn btn-secondary', testid: 'auth-reset', onClick: () => syncAuth(true) },
    'Use stored token',
  );

  const send = (method, path, opts = {}) =>
    ctx.call(method, path, { ...opts, headers: { Authorization: authInput.value.trim() } });

  // --- List ------------------------------------------------------------
  const page = h('input', {
    type: 'number',
    min: '1',
    value: '1',
    testid: 'list-page',
    inputmode: 'numeric',
  });
  const perPage = h('input', {
    type: 'number',
    min: '1',
    max: '100',
    value: '20',
    testid: 'list-per-page',
    inputmode: 'numeric',
  });
  const sort = h('input', { type: 'text', testid: 'list-sort', autocomplete: 'off' });
  const filterKeys = h('datalist', { id: 'filter-key-options' });
  const filterRows = h('div', { class: 'filter-rows', testid: 'filter-rows' });
  const pageInfo = h(
    'span',
    { class: 'muted', testid: 'page-info', 'aria-live': 'polite' },
    'No list loaded',
  );
  const prevButton = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-secondary',
      testid: 'page-prev',
      disabled: true,
      onClick: () => goPage(-1),
    },
    '← Previous',
  );
  const nextButton = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-secondary',
      testid: 'page-next',
      disabled: true,
      onClick: () => goPage(1),
    },
    'Next →',
  );
  const listButton = h('button', { type: 'submit', class: 'btn', testid: 'list-button' }, 'List All');

  function addFilterRow(key = '', value = '') {
    const row = h(
      'div',
      { class: 'filter-row' },
      field(
        'Filter field',
        h('input', {
          type: 'text',
          list: 'filter-key-options',
          value: key,
          class: 'filter-key',
          autocomplete: 'off',
        }),
      ),
      field('Value', h('input', { type: 'text', value, class: 'filter-value', autocomplete: 'off' })),
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-ghost filter-remove',
          'aria-label': 'Remove filter',
          onClick: () => {
            row.remove();
            numberFilterRows();
          },
        },
        '✕',
      ),
    );
    filterRows.append(row);
    numberFilterRows();
  }
  // Stable, index-based testids (filter-key-0, filter-value-0, filter-remove-0, ...).
  function numberFilterRows() {
    filterRows.querySelectorAll('.filter-row').forEach((row, i) => {
      row.querySelector('.filter-key').dataset.testid = `filter-key-${i}`;
      row.querySelector('.filter-value').dataset.testid = `filter-value-${i}`;
      row.querySelector('.filter-remove').dataset.testid = `filter-remove-${i}`;
    });
  }

  function listQuery() {
    const query = { page: page.value, per_page: perPage.value, sort: sort.value.trim() };
    filterRows.querySelectorAll('.filter-row').forEach((row) => {
      const key = row.querySelector('.filter-key').value.trim();
      if (key) query[`filter[${key}]`] = row.querySelector('.filter-value').value;
    });
    return query;
  }

  async function list() {
    const result = await send('GET', entity.path, { query: listQuery() });
    lastMeta = isOk(result) && result.body?.meta ? result.body.meta : null;
    updatePager();
  }

  function updatePager() {
    if (!lastMeta) {
      pageInfo.textContent = 'No pagination data';
      prevButton.disabled = nextButton.disabled = true;
      return;
    }
    const { page: p = 1, total_pages: pages = 1, total = 0 } = lastMeta;
    pageInfo.textContent = `Page ${p} of ${pages} · ${total} total`;
    prevButton.disabled = p <= 1;
    nextButton.disabled = p >= pages;
  }

  function goPage(delta) {
    if (!lastMeta) return;
    page.value = String(Math.max(1, (lastMeta.page || 1) + delta));
    const button = delta < 0 ? prevButton : nextButton;
    withBusy(button, list).then(updatePager); // withBusy re-enables; recompute from meta
  }

  const listForm = h(
    'form',
    {
      class: 'card',
      novalidate: true,
      testid: 'list-form',
      onSubmit: (e) => {
        e.preventDefault();
        withBusy(listButton, list);
      },
    },
    h('h3', {}, 'List'),
    h(
      'div',
      { class: 'grid' },
      field('Page', page),
      field('Per page (max 100)', perPage),
      field('Sort', sort, 'e.g. -created_at,email'),
    ),
    filterKeys,
    filterRows,
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'button', class: 'btn btn-secondary', testid: 'filter-add', onClick: () => addFilterRow() },
        '+ Add filter',
      ),
      listButton,
    ),
    h('div', { class: 'pager' }, prevButton, pageInfo, nextButton),
  );

  // --- Get / Create / Update / Delete ------------------------------------
  const idInput = (testid) =>
    h('input', { type: 'text', testid, placeholder: 'UUID', autocomplete: 'off', spellcheck: 'false' });
  const getId = idInput('get-id');
  const updateId = idInput('update-id');
  const deleteId = idInput('delete-id');
  const createBody = h('textarea', { rows: '12', testid: 'create-body', spellcheck: 'false', class: 'code' });
  const updateBody = h('textarea', { rows: '5', testid: 'update-body', spellcheck: 'false', class: 'code' });

  const getButton = h('button', { type: 'submit', class: 'btn', testid: 'get-button' }, 'Get');
  const createButton = h('button', { type: 'submit', class: 'btn', testid: 'create-button' }, 'Create');
  const updateButton = h('button', { type: 'submit', class: 'btn', testid: 'update-button' }, 'Update');
  const deleteButton = h(
    'button',
    { type: 'submit', class: 'btn btn-danger', testid: 'delete-button' },
    'Delete',
  );

  const withId = (input, fn) => () => {
    const id = input.value.trim();
    if (!id) {
      input.focus();
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    input.removeAttribute('aria-invalid');
    return fn(encodeURIComponent(id));
  };

  const doGet = withId(getId, (id) => send('GET', `${entity.path}/${id}`));
  const doUpdate = withId(updateId, (id) =>
    send('PUT', `${entity.updatePath ?? entity.path}/${id}`, { body: updateBody.value }),
  );
  const doDelete = withId(deleteId, (id) => send('DELETE', `${entity.deletePath ?? entity.path}/${id}`));

  async function doCreate() {
    // Raw textarea text is sent as is, so malformed JSON can be tested too (expect 400).
    const result = await send('POST', entity.createPath ?? entity.path, { body: createBody.value });
    const b = result.body;
    const id = b && typeof b === 'object' ? (b.id ?? b.user_id ?? b.data?.id) : null;
    // Carry the new id into the other forms: create → get → update → delete.
    if (isOk(result) && id) [getId, updateId, deleteId].forEach((input) => (input.value = id));
  }

  const form = (testid, title, button, action, ...fields) =>
    h(
      'form',
      {
        class: 'card',
        novalidate: true,
        testid,
        onSubmit: (e) => {
          e.preventDefault();
          withBusy(button, action);
        },
      },
      h('h3', {}, title),
      ...fields,
      h('div', { class: 'actions' }, button),
    );

  const newExample = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-secondary',
      testid: 'create-example',
      onClick: () => (createBody.value = json(entity.example())),
    },
    'New example',
  );

  container.append(
    h('h2', {}, 'API Tester'),
    h(
      'div',
      { class: 'card' },
      h(
        'div',
        { class: 'grid' },
        field('Entity', entitySelect),
        h(
          'div',
          { class: 'auth-field' },
          field(
            'Authorization header',
            authInput,
            'Filled from the stored login; edit to override, clear to send none.',
          ),
          authReset,
        ),
      ),
      note,
    ),
    listForm,
    h(
      'div',
      { class: 'grid grid-2' },
      form('get-form', 'Get by ID', getButton, doGet, field('ID', getId)),
      form('delete-form', 'Delete', deleteButton, doDelete, field('ID', deleteId)),
    ),
    form('create-form', 'Create', createButton, doCreate, field('JSON body', createBody), newExample),
    form(
      'update-form',
      'Update',
      updateButton,
      doUpdate,
      field('ID', updateId),
      field('JSON body', updateBody),
    ),
  );

  function selectEntity(key) {
    entity = ENTITIES[key];
    note.textContent = entity.note;
    sort.placeholder = entity.sortFields.map((f, i) => (i === 0 ? `-${f}` : f)).join(',');
    filterKeys.replaceChildren(...entity.filterFields.map((f) => h('option', { value: f })));
    filterRows.replaceChildren();
    addFilterRow();
    page.value = '1';
    lastMeta = null;
    updatePager();
    createBody.value = json(entity.example());
    updateBody.value = json(entity.updateExample());
  }
  selectEntity('users');
}

export default { id: 'api-tester', title: 'API Tester', render };
