// Small DOM helpers the pages share.

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
  return { Director: 'Director', Administrator: 'Administrator', Employee: 'Employee' }[role] ?? role ?? '';
}
