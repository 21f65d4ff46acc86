// The shared response panel: status, time, problem detail and highlighted JSON.
// There is exactly one on the page, so its data-testids are unique.
import { h } from './ui.js';

export function createResponsePanel(root) {
  const request = h('code', { class: 'response-request', testid: 'response-request' }, 'No request yet');
  const status = h('span', { class: 'badge', testid: 'response-status', 'aria-label': 'HTTP status' }, '—');
  const time = h(
    'span',
    { class: 'badge badge-muted', testid: 'response-time', 'aria-label': 'Response time' },
    '— ms',
  );
  const requestId = h('small', { class: 'muted', testid: 'response-request-id' });
  const error = h('div', { class: 'response-error', testid: 'response-error', role: 'alert', hidden: true });
  const body = h('code', { class: 'language-json', testid: 'response-body' });
  const headers = h('pre', { class: 'response-headers', testid: 'response-headers' });

  root.replaceChildren(
    h(
      'section',
      {
        class: 'response-panel card',
        testid: 'response-panel',
        'aria-labelledby': 'response-heading',
        'aria-live': 'polite',
      },
      h('div', { class: 'response-head' }, h('h2', { id: 'response-heading' }, 'Response'), status, time),
      request,
      requestId,
      error,
      h('pre', { class: 'response-body language-json', tabindex: '0' }, body),
      h('details', {}, h('summary', {}, 'Response headers'), headers),
    ),
  );

  function loading(method, path) {
    request.textContent = `${method} ${path}`;
    status.textContent = '…';
    status.className = 'badge badge-muted';
    time.textContent = '— ms';
    requestId.textContent = '';
    error.hidden = true;
    body.textContent = 'Loading…';
    root.setAttribute('aria-busy', 'true');
  }

  /** Shows an api() result: {status, ms, body, headers, method, url}. */
  function show(result, { note } = {}) {
    root.removeAttribute('aria-busy');
    request.textContent = `${result.method} ${result.url}`;
    status.textContent = String(result.status || 'ERR');
    status.className = `badge ${statusClass(result.status)}`;
    status.title = result.status === 0 ? 'Network error' : '';
    time.textContent = `${result.ms} ms`;
    const rid = result.headers?.['x-request-id'];
    requestId.textContent = rid ? `X-Request-Id: ${rid}` : '';

    showError(result, note);
    renderJson(body, result.body);
    headers.textContent = Object.entries(result.headers || {})
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n');
  }

  // Problem+json: surface `detail` (and per-field errors) above the raw body.
  function showError(result, note) {
    error.replaceChildren();
    const b = result.body;
    const failed = result.status === 0 || result.status >= 400;
    if (!failed && !note) {
      error.hidden = true;
      return;
    }
    error.className = failed ? 'response-error' : 'response-note';
    if (note) error.append(h('p', {}, note));
    if (failed) {
      const detail =
        b && typeof b === 'object' ? b.detail || b.message : typeof b === 'string' ? b.slice(0, 300) : '';
      const title = b && typeof b === 'object' && b.title ? b.title : `HTTP ${result.status}`;
      error.append(
        h('strong', {}, title),
        detail ? h('span', { testid: 'response-error-detail' }, ` — ${detail}`) : null,
      );
      if (b && Array.isArray(b.errors) && b.errors.length) {
        error.append(
          h(
            'ul',
            {},
            b.errors.map((e) =>
              h('li', {}, e.field ? `${e.field}: ${e.message}` : e.message || JSON.stringify(e)),
            ),
          ),
        );
      }
    }
    error.hidden = false;
  }

  return { show, loading };
}

function statusClass(code) {
  if (code >= 200 && code < 300) return 'badge-ok';
  if (code >= 300 && code < 400) return 'badge-info';
  if (code >= 400 && code < 500) return 'badge-warn';
  return 'badge-error'; // 5xx and network failures
}

/** Pretty JSON, highlighted by Prism when it loaded; plain text otherwise. */
export function renderJson(codeEl, value) {
  const text =
    value === null || value === undefined
      ? '(no content)'
      : typeof value === 'string'
        ? value
        : JSON.stringify(value, null, 2);
  const prism = window.Prism;
  if (prism?.highlight && prism.languages?.json && typeof value === 'object' && value !== null) {
    // Prism.highlight escapes the text itself, so innerHTML is safe here.
    codeEl.innerHTML = prism.highlight(text, prism.languages.json, 'json');
  } else {
    codeEl.textContent = text;
  }
}
