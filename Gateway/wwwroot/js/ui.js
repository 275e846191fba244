// Small helpers the pages share: DOM, messages, formatting (from i18n.js), serialized reloads and tabs.

import { has, t } from './i18n.js';

export { formatCount, formatDate, formatDeadline, formatInstant, formatMoney, formatMonth, formatPercent, formatRelative } from './i18n.js';

/** The element marked `data-test="name"` inside `root`. */
export function $(name, root = document) {
  return root.querySelector(`[data-test="${name}"]`);
}

/** Creates an element: `el('li', {class: 'x', dataset: {test: 'y'}}, 'text', child)`. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  node.append(...children.filter(c => c !== undefined && c !== null && c !== false));
  return node;
}

let toastTimer = 0;

/** A short message at the bottom of the page; errors stay longer. */
export function toast(message, { error = false } = {}) {
  let box = document.getElementById('toast');
  if (!box) {
    box = el('div', { id: 'toast', role: 'status', 'aria-live': 'polite', dataset: { test: 'toast' } });
    document.body.append(box);
  }
  box.textContent = message;
  box.className = error ? 'error' : '';
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, error ? 8000 : 4000);
}

/** Shows an error in the form's own notice (`data-test="error"` inside it) or as a toast. */
export function showError(error, form) {
  const message = error?.message || String(error);
  const notice = form ? $('error', form) : null;
  if (notice) {
    notice.textContent = message;
    notice.hidden = false;
  } else {
    toast(message, { error: true });
  }
  if (!(error instanceof Error && error.name === 'ApiError')) console.error(error);
}

/** A check that failed before sending: `showError` shows it in the form like the server's own 400. */
export function invalidInput(message) {
  return Object.assign(new Error(message), { name: 'ApiError' });
}

/** Runs a form's submit handler with its button disabled and its notice cleared; errors are shown in the form. */
export function onSubmit(form, handler) {
  let busy = false;
  form.addEventListener('submit', async event => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    const notice = $('error', form);
    if (notice) notice.hidden = true;
    const buttons = form.querySelectorAll('button[type=submit], button:not([type])');
    buttons.forEach(b => { b.disabled = true; });
    try {
      await handler(new FormData(form));
    } catch (error) {
      showError(error, form);
    } finally {
      buttons.forEach(b => { b.disabled = false; });
      busy = false;
    }
  });
}

/** A role as people read it. */
export function roleName(role) {
  return role && has(`roles.${role}`) ? t(`roles.${role}`) : role ?? '';
}

/**
 * Serializes reloads of a list (or any view read from the API): a reload asked for while one runs runs once more after
 * it, so the view always ends up showing the newest answer, and a burst of live events costs at most two requests.
 */
export function serialReloader(reload, onError = showError) {
  let running = null;
  let again = false;
  const run = async () => {
    do {
      again = false;
      try {
        await reload();
      } catch (error) {
        onError(error);
      }
    } while (again);
    running = null;
  };
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = run();
    return running;
  };
}

/**
 * Tabs after the WAI-ARIA tabs pattern. `list` (role=tablist) holds buttons with role=tab, `data-tab` and
 * `aria-controls` naming their panel; a click, the arrow keys, Home and End choose one. The chosen tab is kept in the
 * address's #hash (replaced, not pushed), so a reload or a link opens it again. `onShow(name)` runs whenever a tab is
 * shown.
 */
export function tabs(list, onShow) {
  const all = Array.from(list.querySelectorAll('[role="tab"]'));
  const select = (tab, { focus = false, remember = true } = {}) => {
    for (const other of all) {
      const selected = other === tab;
      other.setAttribute('aria-selected', String(selected));
      other.tabIndex = selected ? 0 : -1;
      document.getElementById(other.getAttribute('aria-controls')).hidden = !selected;
    }
    if (focus) tab.focus();
    if (remember && location.hash !== `#${tab.dataset.tab}`) history.replaceState(history.state, '', `#${tab.dataset.tab}`);
    onShow?.(tab.dataset.tab);
  };
  const fromHash = () => all.find(tab => location.hash === `#${tab.dataset.tab}`);

  list.addEventListener('click', event => {
    const tab = event.target.closest('[role="tab"]');
    if (tab && all.includes(tab)) select(tab);
  });
  list.addEventListener('keydown', event => {
    const index = all.indexOf(document.activeElement);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: all.length - 1 }[event.key];
    if (index < 0 || next === undefined) return;
    event.preventDefault();
    select(all[(next + all.length) % all.length], { focus: true });
  });
  window.addEventListener('hashchange', () => {
    const tab = fromHash();
    if (tab) select(tab, { remember: false });
  });
  select(fromHash() ?? all.find(tab => tab.getAttribute('aria-selected') === 'true') ?? all[0], { remember: false });
}
