// Authentication tester: register, verify, login, token panel, refresh, logout,
// role switch with seeded accounts, and the dev email log (to find verification tokens).
import { h, field, withBusy, setMessage } from '../ui.js';
import { isOk, errorMessage, tokensFromResponse } from '../api.js';

/** Seeded accounts (created by POST /api/v1/admin/seed). Dev/test only. */
export const SEEDED_ACCOUNTS = {
  admin: { email: 'admin@fittrack.local', password: 'FitTrack-Admin-2026!' },
  user: { email: 'user1@fittrack.local', password: 'FitTrack-User-2026!' },
  premium: { email: 'premium1@fittrack.local', password: 'FitTrack-User-2026!' },
};

const truncate = (token) =>
  token && token.length > 32 ? `${token.slice(0, 20)}…${token.slice(-8)}` : token || '—';

function render(container, ctx) {
  // --- Login + role switch ------------------------------------------------
  const loginEmail = h('input', { type: 'email', testid: 'login-email', autocomplete: 'username' });
  const loginPassword = h('input', {
    type: 'password',
    testid: 'login-password',
    autocomplete: 'current-password',
  });
  const loginButton = h('button', { type: 'submit', class: 'btn', testid: 'login-submit' }, 'Login');
  const loginMessage = h('p', { testid: 'login-message', hidden: true, role: 'status' });

  async function login(email, password) {
    const result = await ctx.call('POST', '/api/v1/auth/login', {
      body: { email, password },
      headers: { Authorization: '' },
    });
    if (isOk(result) && result.body?.access_token) {
      const tokens = tokensFromResponse(result.body, email);
      ctx.tokens.set(tokens);
      setMessage(loginMessage, `Logged in as ${tokens.email} (${tokens.role ?? 'unknown role'})`, 'ok');
    } else {
      setMessage(loginMessage, `Login failed: ${errorMessage(result)}`, 'error');
    }
    return result;
  }

  const loginForm = h(
    'form',
    {
      class: 'card',
      novalidate: true,
      testid: 'login-form',
      onSubmit: (e) => {
        e.preventDefault();
        withBusy(loginButton, () => login(loginEmail.value.trim(), loginPassword.value));
      },
    },
    h('h3', {}, 'Login'),
    h('div', { class: 'grid' }, field('Email', loginEmail), field('Password', loginPassword)),
    h('div', { class: 'actions' }, loginButton),
    loginMessage,
  );

  const roleButtons = Object.entries(SEEDED_ACCOUNTS).map(([role, account]) => {
    const button = h(
      'button',
      { type: 'button', class: 'btn btn-secondary', testid: `role-login-${role}`, title: account.email },
      `Log in as ${role}`,
    );
    button.addEventListener('click', () => {
      loginEmail.value = account.email;
      loginPassword.value = account.password;
      withBusy(button, () => login(account.email, account.password));
    });
    return button;
  });

  const roleCard = h(
    'div',
    { class: 'card', testid: 'role-switch' },
    h('h3', {}, 'Role switch'),
    h('p', { class: 'hint' }, 'Log in as a seeded account (run “Seed database” in Data Controls first).'),
    h('div', { class: 'actions' }, roleButtons),
  );

  // --- Token panel ----------------------------------------------------------
  const tokenAccess = h('code', { testid: 'token-access' });
  const tokenRefresh = h('code', { testid: 'token-refresh' });
  const tokenEmail = h('span', { testid: 'token-email' });
  const tokenRole = h('span', { testid: 'token-role' });
  const tokenExpiry = h('span', { testid: 'token-expiry' });
  const tokenStatus = h('p', { class: 'muted', testid: 'token-status' });
  const tokenMessage = h('p', { testid: 'token-message', hidden: true, role: 'status' });

  const copyButton = (testid, key) =>
    h(
      'button',
      {
        type: 'button',
        class: 'btn btn-ghost btn-small',
        testid,
        'aria-label': `Copy ${key}`,
        onClick: () => {
          const value = ctx.tokens.get()?.[key];
          if (value)
            navigator.clipboard?.writeText(value).then(
              () => setMessage(tokenMessage, 'Copied to clipboard', 'ok'),
              () => {},
            );
        },
      },
      'Copy',
    );

  function updateTokenPanel() {
    const t = ctx.tokens.get();
    tokenStatus.textContent = t?.access_token
      ? 'Token stored: every tab sends it as the Authorization header.'
      : 'No token stored. Log in to get one.';
    tokenAccess.textContent = truncate(t?.access_token);
    tokenAccess.title = t?.access_token ?? '';
    tokenRefresh.textContent = truncate(t?.refresh_token);
    tokenRefresh.title = t?.refresh_token ?? '';
    tokenEmail.textContent = t?.email ?? '—';
    tokenRole.textContent = t?.role ?? '—';
    updateCountdown();
  }

  function updateCountdown() {
    const t = ctx.tokens.get();
    if (!t?.expires_at) {
      tokenExpiry.textContent = '—';
      return;
    }
    const left = Math.round((new Date(t.expires_at).getTime() - Date.now()) / 1000);
    const at = new Date(t.expires_at).toLocaleTimeString();
    tokenExpiry.textContent =
      left > 0
        ? `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')} left (at ${at})`
        : `expired (at ${at})`;
    tokenExpiry.classList.toggle('text-error', left <= 0);
  }
  setInterval(updateCountdown, 1000);
  ctx.tokens.onChange(updateTokenPanel);

  const refreshButton = h(
    'button',
    { type: 'button', class: 'btn btn-secondary', testid: 'refresh-button' },
    'Refresh token',
  );
  refreshButton.addEventListener('click', () =>
    withBusy(refreshButton, async () => {
      const current = ctx.tokens.get();
      if (!current?.refresh_token) return setMessage(tokenMessage, 'No refresh token stored.', 'error');
      const result = await ctx.call('POST', '/api/v1/auth/refresh', {
        body: { refresh_token: current.refresh_token },
        headers: { Authorization: '' },
      });
      if (isOk(result) && result.body?.access_token) {
        ctx.tokens.set(tokensFromResponse(result.body, current.email));
        setMessage(tokenMessage, 'Tokens refreshed (the old refresh token no longer works).', 'ok');
      } else setMessage(tokenMessage, `Refresh failed: ${errorMessage(result)}`, 'error');
    }),
  );

  const logoutButton = h(
    'button',
    { type: 'button', class: 'btn btn-secondary', testid: 'logout-button' },
    'Logout',
  );
  logoutButton.addEventListener('click', () =>
    withBusy(logoutButton, async () => {
      const current = ctx.tokens.get();
      if (current?.access_token) {
        const result = await ctx.call('POST', '/api/v1/auth/logout', {
          body: current.refresh_token ? { refresh_token: current.refresh_token } : undefined,
        });
        // Clear locally whatever the server said: the point is to end this session here.
        setMessage(
          tokenMessage,
          isOk(result)
            ? 'Logged out.'
            : `Server logout failed (${errorMessage(result)}); local tokens cleared anyway.`,
          isOk(result) ? 'ok' : 'error',
        );
      } else setMessage(tokenMessage, 'Local tokens cleared.', 'ok');
      ctx.tokens.clear();
    }),
  );

  const protectedButton = h(
    'button',
    { type: 'button', class: 'btn', testid: 'protected-button' },
    'Test protected endpoint',
  );
  protectedButton.addEventListener('click', () =>
    withBusy(protectedButton, async () => {
      const result = await ctx.call('GET', '/api/v1/users/me');
      setMessage(
        tokenMessage,
        isOk(result) ? `GET /users/me → ${result.status}` : `GET /users/me failed: ${errorMessage(result)}`,
        isOk(result) ? 'ok' : 'error',
      );
    }),
  );

  const row = (label, value, extra) =>
    h('div', { class: 'kv' }, h('dt', {}, label), h('dd', {}, value, extra));
  const tokenCard = h(
    'div',
    { class: 'card', testid: 'token-panel' },
    h('h3', {}, 'Token'),
    tokenStatus,
    h(
      'dl',
      { class: 'kv-list' },
      row('Access token', tokenAccess, copyButton('token-copy-access', 'access_token')),
      row('Refresh token', tokenRefresh, copyButton('token-copy-refresh', 'refresh_token')),
      row('Email', tokenEmail),
      row('Role', tokenRole),
      row('Expires', tokenExpiry),
    ),
    h('div', { class: 'actions' }, protectedButton, refreshButton, logoutButton),
    tokenMessage,
  );

  // --- Register ---------------------------------------------------------------
  const regEmail = h('input', {
    type: 'email',
    testid: 'register-email',
    value: `tester+${Date.now().toString(36)}@example.com`,
    autocomplete: 'off',
  });
  const regPassword = h('input', {
    type: 'text',
    testid: 'register-password',
    value: 'Str0ng!Passw0rd',
    autocomplete: 'new-password',
  });
  const regDob = h('input', { type: 'date', testid: 'register-dob', value: '1990-05-01' });
  const regState = h('input', {
    type: 'text',
    testid: 'register-state',
    value: 'TX',
    maxlength: '2',
    autocomplete: 'off',
    class: 'short',
  });
  const regName = h('input', {
    type: 'text',
    testid: 'register-display-name',
    value: 'Test Tester',
    autocomplete: 'off',
  });
  const regButton = h('button', { type: 'submit', class: 'btn', testid: 'register-submit' }, 'Register');
  const regMessage = h('p', { testid: 'register-message', hidden: true, role: 'status' });

  async function register() {
    const body = {
      email: regEmail.value.trim(),
      password: regPassword.value,
      date_of_birth: regDob.value,
      state: regState.value.trim().toUpperCase(),
    };
    if (regName.value.trim()) body.display_name = regName.value.trim();
    const result = await ctx.call('POST', '/api/v1/auth/register', { body, headers: { Authorization: '' } });
    if (isOk(result)) {
      setMessage(
        regMessage,
        `${result.body?.message ?? 'Verification email sent'}. Check email: log in as admin, click “Read emails”, then “Use token” to verify.`,
        'ok',
      );
      if (!emailsTo.value) emailsTo.value = body.email;
    } else setMessage(regMessage, `Registration failed: ${errorMessage(result)}`, 'error');
  }

  const registerForm = h(
    'form',
    {
      class: 'card',
      novalidate: true,
      testid: 'register-form',
      onSubmit: (e) => {
        e.preventDefault();
        withBusy(regButton, register);
      },
    },
    h('h3', {}, 'Register'),
    h(
      'div',
      { class: 'grid' },
      field('Email', regEmail),
      field('Password', regPassword, '12+ chars, upper, lower, digit, symbol'),
      field('Date of birth', regDob),
      field('State', regState, 'US state code, e.g. TX'),
      field('Display name (optional)', regName),
    ),
    h('div', { class: 'actions' }, regButton),
    regMessage,
  );

  // --- Verify email -------------------------------------------------------------
  const verifyToken = h('input', {
    type: 'text',
    testid: 'verify-token',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const verifyButton = h('button', { type: 'submit', class: 'btn', testid: 'verify-submit' }, 'Verify email');
  const verifyMessage = h('p', { testid: 'verify-message', hidden: true, role: 'status' });
  const verifyForm = h(
    'form',
    {
      class: 'card',
      novalidate: true,
      testid: 'verify-form',
      onSubmit: (e) => {
        e.preventDefault();
        withBusy(verifyButton, async () => {
          const result = await ctx.call('POST', '/api/v1/auth/verify-email', {
            body: { token: verifyToken.value.trim() },
            headers: { Authorization: '' },
          });
          setMessage(
            verifyMessage,
            isOk(result)
              ? 'Email verified: the account is active, you can log in.'
              : `Verification failed: ${errorMessage(result)}`,
            isOk(result) ? 'ok' : 'error',
          );
        });
      },
    },
    h('h3', {}, 'Verify email'),
    field('Verification token', verifyToken),
    h('div', { class: 'actions' }, verifyButton),
    verifyMessage,
  );

  // --- Email log (admin, non-production) ----------------------------------------
  const emailsTo = h('input', {
    type: 'text',
    testid: 'emails-filter-to',
    autocomplete: 'off',
    placeholder: 'any recipient',
  });
  const emailsButton = h('button', { type: 'submit', class: 'btn', testid: 'emails-button' }, 'Read emails');
  const emailsMessage = h('p', { testid: 'emails-message', hidden: true, role: 'status' });
  const emailsList = h('ul', { class: 'email-list', testid: 'emails-list' });

  async function readEmails() {
    const result = await ctx.call('GET', '/api/v1/admin/emails', {
      query: { 'filter[to]': emailsTo.value.trim(), per_page: 20 },
    });
    emailsList.replaceChildren();
    if (!isOk(result)) {
      const hint =
        result.status === 401 || result.status === 403 ? ' — log in as admin first (Role switch).' : '';
      return setMessage(emailsMessage, `Could not read emails: ${errorMessage(result)}${hint}`, 'error');
    }
    const emails = Array.isArray(result.body)
      ? result.body
      : Array.isArray(result.body?.data)
        ? result.body.data
        : [];
    setMessage(
      emailsMessage,
      emails.length ? `${emails.length} email(s), newest first` : 'No emails found',
      'info',
    );
    emailsList.append(...emails.map(renderEmail));
  }

  function renderEmail(email) {
    const { links, tokens } = extractLinks(email);
    return h(
      'li',
      { class: 'email-item', testid: 'email-item' },
      h('div', {}, h('strong', { testid: 'email-subject' }, email.subject ?? '(no subject)')),
      h(
        'div',
        { class: 'muted' },
        'To: ',
        h('span', { testid: 'email-to' }, email.to ?? email.recipient ?? '?'),
        ' · ',
        h('time', { testid: 'email-created-at' }, email.created_at ?? ''),
      ),
      links.map((url) =>
        h(
          'div',
          { class: 'email-link' },
          h('a', { href: url, testid: 'email-link', target: '_blank', rel: 'noopener noreferrer' }, url),
        ),
      ),
      tokens.map((token) =>
        h(
          'div',
          { class: 'email-token' },
          h('code', { testid: 'email-token' }, token),
          ' ',
          h(
            'button',
            {
              type: 'button',
              class: 'btn btn-small btn-secondary',
              testid: 'email-use-token',
              onClick: () => {
                verifyToken.value = token;
                verifyToken.focus();
              },
            },
            'Use token',
          ),
        ),
      ),
    );
  }

  const emailsCard = h(
    'form',
    {
      class: 'card',
      novalidate: true,
      testid: 'emails-form',
      onSubmit: (e) => {
        e.preventDefault();
        withBusy(emailsButton, readEmails);
      },
    },
    h('h3', {}, 'Email log'),
    h(
      'p',
      { class: 'hint' },
      'GET /api/v1/admin/emails — needs an admin token; not available in production.',
    ),
    field('Recipient filter (filter[to])', emailsTo),
    h('div', { class: 'actions' }, emailsButton),
    emailsMessage,
    emailsList,
  );

  container.append(
    h('h2', {}, 'Authentication'),
    h('div', { class: 'grid grid-2' }, h('div', {}, loginForm, roleCard), tokenCard),
    h('div', { class: 'grid grid-2' }, registerForm, h('div', {}, verifyForm, emailsCard)),
  );
  updateTokenPanel();
}

/** Pulls URLs and `token=` values out of every string field of a logged email. */
export function extractLinks(email) {
  const text = Object.values(email || {})
    .filter((v) => typeof v === 'string')
    .join('\n');
  const links = [
    ...new Set(
      (text.match(/https?:\/\/[^\s"'<>]+/g) || []).map((u) =>
        u.replace(/&amp;/g, '&').replace(/[).,;]+$/, ''),
      ),
    ),
  ];
  const tokens = new Set();
  for (const url of links) {
    try {
      const t = new URL(url).searchParams.get('token');
      if (t) tokens.add(t);
    } catch {
      /* not a parseable URL: skip */
    }
  }
  // Also plain-text tokens such as "Verification token: abc123…".
  for (const m of text.matchAll(/token\s*[:=]\s*([A-Za-z0-9_\-.~]{16,})/gi)) tokens.add(m[1]);
  return { links, tokens: [...tokens] };
}

export default { id: 'auth', title: 'Authentication', render };
