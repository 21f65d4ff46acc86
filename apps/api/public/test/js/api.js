// Shared API client and token store. Every tab calls the API through `api()`,
// so a token stored by the Authentication tab is sent from every tab.

export const TOKEN_KEY = 'fittrack.tokens';

const listeners = new Set();

/** The stored session `{access_token, refresh_token, expires_at, email, role}` or null. */
export function getTokens() {
  try {
    return JSON.parse(localStorage.getItem(TOKEN_KEY)) || null;
  } catch {
    return null; // corrupt value: behave as logged out
  }
}

export function setTokens(tokens) {
  localStorage.setItem(TOKEN_KEY, JSON.stringify(tokens));
  notify();
}

export function clearTokens() {
  localStorage.removeItem(TOKEN_KEY);
  notify();
}

/** Subscribe to token changes; returns an unsubscribe function. */
export function onTokensChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function notify() {
  const tokens = getTokens();
  listeners.forEach((fn) => fn(tokens));
}

// Another browser tab logging in or out should update this one too.
window.addEventListener('storage', (event) => {
  if (event.key === TOKEN_KEY) notify();
});

/** Reads a JWT's claims without verifying it (display only). */
export function decodeJwt(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = part + '='.repeat((4 - (part.length % 4)) % 4);
    return JSON.parse(atob(padded));
  } catch {
    return {};
  }
}

/** Turns a login/refresh response into the stored token shape. */
export function tokensFromResponse(body, fallbackEmail) {
  const claims = decodeJwt(body.access_token);
  const expiresAtMs = body.expires_in
    ? Date.now() + body.expires_in * 1000
    : claims.exp
      ? claims.exp * 1000
      : null;
  return {
    access_token: body.access_token,
    refresh_token: body.refresh_token ?? null,
    expires_at: expiresAtMs ? new Date(expiresAtMs).toISOString() : null,
    email: claims.email ?? fallbackEmail ?? null,
    role: claims.role ?? null,
  };
}

/**
 * Builds `path?query`. Empty values are skipped. Brackets are left readable
 * (`filter[role]=admin`) since they are legal in a query string.
 */
export function buildUrl(path, query = {}) {
  const parts = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    const k = encodeURIComponent(key).replace(/%5B/gi, '[').replace(/%5D/gi, ']');
    parts.push(`${k}=${encodeURIComponent(String(value))}`);
  }
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

/**
 * api(method, path, {query, body, headers}) -> {status, ms, body, headers, method, url}
 *
 * - Adds `Authorization: Bearer <token>` from the store, unless `headers`
 *   has its own Authorization key (an empty value then means "send none").
 * - `body` may be an object (sent as JSON) or a raw string (sent as is, so the
 *   tester can also send malformed JSON on purpose).
 * - Never throws: a network failure comes back as status 0.
 */
export async function api(method, path, { query, body, headers = {} } = {}) {
  const url = buildUrl(path, query);
  const sent = { Accept: 'application/json, application/problem+json' };

  const authKey = Object.keys(headers).find((k) => k.toLowerCase() === 'authorization');
  for (const [k, v] of Object.entries(headers)) {
    if (k !== authKey && v !== undefined && v !== null && v !== '') sent[k] = v;
  }
  if (authKey !== undefined) {
    if (headers[authKey]) sent.Authorization = headers[authKey];
  } else {
    const tokens = getTokens();
    if (tokens?.access_token) sent.Authorization = `Bearer ${tokens.access_token}`;
  }

  let payload;
  if (body !== undefined && body !== null && body !== '') {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    sent['Content-Type'] = 'application/json';
  }

  const started = performance.now();
  try {
    const res = await fetch(url, { method, headers: sent, body: payload, credentials: 'same-origin' });
    const text = await res.text();
    const ms = Math.round(performance.now() - started);
    return {
      status: res.status,
      ms,
      body: parseBody(text, res.headers.get('content-type')),
      headers: Object.fromEntries(res.headers.entries()),
      method,
      url,
    };
  } catch (err) {
    return {
      status: 0,
      ms: Math.round(performance.now() - started),
      body: { title: 'Network error', detail: String(err?.message ?? err) },
      headers: {},
      method,
      url,
    };
  }
}

function parseBody(text, contentType) {
  if (!text) return null; // e.g. 204 No Content
  if (contentType && contentType.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text; // claims JSON but isn't: show it raw
    }
  }
  return text;
}

/** The human message of a failed response (problem+json `detail` first). */
export function errorMessage(result) {
  const b = result.body;
  if (b && typeof b === 'object') return b.detail || b.title || b.message || `HTTP ${result.status}`;
  if (typeof b === 'string' && b.length < 300) return b || `HTTP ${result.status}`;
  return `HTTP ${result.status}`;
}

export const isOk = (result) => result.status >= 200 && result.status < 300;
