// Test page entry: builds the tab bar from the registry, routes by URL hash
// (#api-tester, #auth, ...; `#drawings?fulfillment=…` opens a tab with parameters the tab reads from
// location.hash, as the winner email's claim link does) and hands each tab a shared context.
import { TABS } from './tabs/index.js';
import { api, getTokens, setTokens, clearTokens, onTokensChange } from './api.js';
import { createResponsePanel } from './response-panel.js';
import { h } from './ui.js';

const tabList = document.querySelector('[data-testid="tab-list"]');
const panelsRoot = document.getElementById('tab-panels');
const panel = createResponsePanel(document.getElementById('response-panel-root'));

/**
 * What every tab's render(container, ctx) receives:
 *   ctx.api(method, path, opts)   raw client (token added automatically)
 *   ctx.call(method, path, opts)  same, and shows the result in the response panel
 *   ctx.show(result, {note})      show any result in the response panel
 *   ctx.tokens.get/set/clear/onChange
 *   ctx.activate(tabId)           switch tab
 */
const ctx = {
  api,
  show: panel.show,
  async call(method, path, opts) {
    panel.loading(method, path);
    const result = await api(method, path, opts);
    panel.show(result);
    return result;
  },
  tokens: { get: getTokens, set: setTokens, clear: clearTokens, onChange: onTokensChange },
  activate,
};

const buttons = new Map();
const panels = new Map();
const rendered = new Set();

for (const tab of TABS) {
  const button = h(
    'button',
    {
      type: 'button',
      role: 'tab',
      id: `tab-${tab.id}`,
      class: 'tab',
      testid: `tab-${tab.id}`,
      'aria-controls': `panel-${tab.id}`,
      'aria-selected': 'false',
      tabindex: '-1',
      onClick: () => activate(tab.id),
    },
    tab.title,
  );
  const section = h('section', {
    role: 'tabpanel',
    id: `panel-${tab.id}`,
    class: 'tab-panel',
    testid: `panel-${tab.id}`,
    'aria-labelledby': `tab-${tab.id}`,
    hidden: true,
  });
  tabList.append(button);
  panelsRoot.append(section);
  buttons.set(tab.id, button);
  panels.set(tab.id, section);
}

function activate(route, { focus = false } = {}) {
  const id = route.split('?')[0];
  const tab = TABS.find((t) => t.id === id) ?? TABS[0];
  for (const [tabId, button] of buttons) {
    const selected = tabId === tab.id;
    button.setAttribute('aria-selected', String(selected));
    button.tabIndex = selected ? 0 : -1;
    panels.get(tabId).hidden = !selected;
  }
  // Render lazily, once: hidden tabs keep their state (forms, last results).
  if (!rendered.has(tab.id)) {
    rendered.add(tab.id);
    tab.render(panels.get(tab.id), ctx);
  }
  // The tab's parameters stay in the hash for the tab to read.
  if (location.hash.split('?')[0] !== `#${tab.id}`) history.replaceState(null, '', `#${tab.id}`);
  if (focus) buttons.get(tab.id).focus();
}

// Arrow keys move between tabs (WAI-ARIA tabs pattern).
tabList.addEventListener('keydown', (event) => {
  const ids = TABS.filter((t) => !buttons.get(t.id).hidden).map((t) => t.id);
  const current = ids.indexOf(document.activeElement?.id?.replace(/^tab-/, ''));
  if (current < 0) return;
  const moves = { ArrowRight: 1, ArrowLeft: -1, Home: -current, End: ids.length - 1 - current };
  if (!(event.key in moves)) return;
  event.preventDefault();
  activate(ids[(current + moves[event.key] + ids.length) % ids.length], { focus: true });
});

window.addEventListener('hashchange', () => activate(location.hash.slice(1)));

// Header badge: who is logged in, visible from every tab.
const authBadge = document.querySelector('[data-testid="auth-badge"]');
function updateAuthBadge(tokens) {
  authBadge.textContent = tokens?.access_token
    ? `${tokens.email ?? 'unknown'} (${tokens.role ?? '?'})`
    : 'Not logged in';
  authBadge.classList.toggle('badge-ok', Boolean(tokens?.access_token));
  // Admin-only tabs (`adminOnly: true` in the tab module) show for admins only.
  for (const tab of TABS.filter((t) => t.adminOnly)) {
    buttons.get(tab.id).hidden = tokens?.role !== 'admin';
  }
}
onTokensChange(updateAuthBadge);
updateAuthBadge(getTokens());

activate(location.hash.slice(1));
