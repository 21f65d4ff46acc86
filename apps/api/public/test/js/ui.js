// Tiny DOM helpers so tabs stay readable without a framework.
// Text is always set as text (never innerHTML), so API data can't inject markup.

/**
 * h('button', {class: 'btn', testid: 'x', onClick: fn}, 'Label')
 * Special keys: class, testid (-> data-testid), value, on<Event>. `true` -> empty attribute.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'testid') el.dataset.testid = value;
    else if (key === 'value') el.value = value;
    else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** Replaces `el`'s children by the same rules as h() (arrays flattened, null/false skipped). */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** A labelled control: the <label> wraps the input, so no ids are needed. */
export function field(label, control, hint) {
  return h(
    'label',
    { class: 'field' },
    h('span', { class: 'field-label' }, label),
    control,
    hint ? h('small', { class: 'hint' }, hint) : null,
  );
}

/** Disables the button while `fn` runs, so double clicks don't send twice. */
export async function withBusy(button, fn) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/** Shows a status line: kind is 'ok', 'error', 'info' or 'loading'. */
export function setMessage(el, text, kind = 'info') {
  el.textContent = text;
  el.className = `message message-${kind}`;
  el.hidden = !text;
}

/** Numbers from defensive report shapes: 5, "5", {total: 5}, {count: 5}. */
export function toNumber(value) {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !isNaN(Number(value))) return Number(value);
  if (value && typeof value === 'object') {
    for (const k of ['total', 'count', 'value']) if (typeof value[k] === 'number') return value[k];
  }
  return null;
}

export const formatNumber = (n) => (typeof n === 'number' ? n.toLocaleString('en-US') : '—');

/**
 * A table with a header row of `columns` (labels, or `{ label, class }`) and `body` (a tbody), scrollable
 * when wide.
 */
export function table(columns, body, testid) {
  const header = (c) => h('th', { scope: 'col', class: c.class }, c.label ?? c);
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', { class: 'table', testid }, h('thead', {}, h('tr', {}, columns.map(header))), body),
  );
}

/** Table of `{entity: count}`; nested objects are shown via toNumber or as JSON. */
export function countsTable(counts, testid) {
  const rows = Object.entries(counts || {}).map(([entity, value]) => {
    const n = toNumber(value);
    return h(
      'tr',
      { 'data-entity': entity },
      h('th', { scope: 'row' }, entity),
      h('td', { class: 'num' }, n !== null ? formatNumber(n) : JSON.stringify(value)),
    );
  });
  return table(
    ['Entity', { label: 'Count', class: 'num' }],
    h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 2 }, 'No counts in response'))),
    testid,
  );
}

/** Finds the per-entity counts object in whatever shape a summary/seed response has. */
export function findCounts(body) {
  if (!body || typeof body !== 'object') return {};
  const root = body.data && typeof body.data === 'object' && !Array.isArray(body.data) ? body.data : body;
  for (const key of ['counts', 'entity_counts', 'entities', 'created', 'seeded', 'stats', 'statistics']) {
    if (root[key] && typeof root[key] === 'object' && !Array.isArray(root[key])) return root[key];
  }
  // Fall back to the top-level numeric fields (e.g. `{users: 10, activities: 300}`).
  return Object.fromEntries(Object.entries(root).filter(([, v]) => toNumber(v) !== null));
}
