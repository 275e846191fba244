// Customer page: the caller's Ozon ID (phone masked), its delivered orders with a return form per line, its return
// requests (acted on, and kept current by live events), and a live feed of its events.

import { api, claims, logout, tokens, ApiError } from './api.js';
import { startLive } from './live.js';
import { ReturnsList, pager, summaryOfEvent } from './returns.js';
import { t } from './i18n.js';
import { $, el, formatInstant, formatMoney, invalidInput, onSubmit, serialReloader, showError, toast, roleName } from './ui.js';

const ozonId = claims()?.sub;
const ReturnsPageSize = 20;
const OrdersPageSize = 10;
/** Statuses that give the request's quantity back to its order line. */
const ReleasingStatuses = new Set(['CanceledByCustomer', 'CanceledDueToCustomerInaction', 'Overdue']);

let returns;
let returnsPager;
let reloadReturns;
let ordersPager;
let reloadOrders;
/** Order lines by `orderId/lineId`, kept across reloads so an open return form keeps what was typed in it. */
const lineRows = new Map();
const orderRows = new Map();

if (!tokens.refresh || !ozonId) {
  location.replace('index.html');
} else {
  start();
}

function start() {
  $('logout').addEventListener('click', async () => {
    await logout();
    location.assign('index.html');
  });
  startReturns();
  startOrders();
  startLive({
    list: $('live-feed'),
    status: $('live-status'),
    onSessionEnded: () => location.replace('index.html'),
    key: `customer.${ozonId}`,
    onEvent: event => {
      if (event.type === 'PhoneChanged') loadProfile();
      const summary = summaryOfEvent(event);
      if (summary) returnChanged(summary, event.type === 'ReturnStatusChanged');
    },
  });
  loadProfile();
}

async function loadProfile() {
  try {
    const me = await api('GET', '/api/me');
    $('masked-phone').textContent = me.maskedPhone;
    $('profile-phone').textContent = me.maskedPhone;
    const accounts = me.accounts ?? [];
    $('profile-companies').textContent = accounts.length === 0
      ? t('customer.noCompanies')
      : accounts.map(a => t('customer.companyWithRole', { company: a.companyName, role: roleName(a.role) })).join(', ');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      location.replace('index.html');
      return;
    }
    showError(error);
  }
}

/** Loads a page of a list into `render`, showing errors in the card's notice; a page past the end shows the last one. */
async function loadPage(path, page, pageSize, notice, render) {
  try {
    const answer = await api('GET', `${path}?page=${page}&pageSize=${pageSize}`);
    if (answer.items.length === 0 && answer.total > 0 && page > 1) {
      return loadPage(path, Math.ceil(answer.total / pageSize), pageSize, notice, render);
    }
    render(answer.items);
    notice.hidden = true;
    return answer;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) location.replace('index.html');
    notice.textContent = error.message;
    notice.hidden = false;
    throw error;
  }
}

// --- Return requests ------------------------------------------------------------------------------------------

function startReturns() {
  returns = new ReturnsList($('returns'), {
    role: 'Customer',
    emptyText: t('customer.noReturns'),
    onChanged: summary => { if (ReleasingStatuses.has(summary.status)) reloadOrders(); },
  });
  returnsPager = pager($('returns-pager'), 'returns', () => reloadReturns());
  reloadReturns = serialReloader(async () => returnsPager.render(
    await loadPage('/api/customer/returns', returnsPager.page, ReturnsPageSize, $('returns-error'), items => returns.show(items))), () => {});
  reloadReturns();
}

/** A request changed (live): a shown row takes its new state in place; one not shown is new, so the list is read again. */
function returnChanged(summary, statusChanged) {
  if (!returns) return;
  if (!returns.update(summary)) reloadReturns();
  // The order line gets the quantity back just after the status is written.
  if (statusChanged && ReleasingStatuses.has(summary.status)) setTimeout(reloadOrders, 1000);
}

// --- Delivered orders -----------------------------------------------------------------------------------------

function startOrders() {
  ordersPager = pager($('orders-pager'), 'orders', () => reloadOrders());
  reloadOrders = serialReloader(async () => ordersPager.render(
    await loadPage('/api/customer/orders', ordersPager.page, OrdersPageSize, $('orders-error'), showOrders)), () => {});
  $('orders-refresh').addEventListener('click', () => reloadOrders());
  reloadOrders();
}

function showOrders(orders) {
  const list = $('orders');
  const shown = new Set();
  const elements = orders.map(order => {
    shown.add(order.orderId);
    let row = orderRows.get(order.orderId);
    if (!row) {
      row = {
        element: el('li', { class: 'order', dataset: { test: 'order', orderId: order.orderId } }),
        head: el('div', { class: 'order-head' }),
        lines: el('ul', { class: 'order-lines' }),
      };
      row.element.append(row.head, row.lines);
      orderRows.set(order.orderId, row);
    }
    row.head.replaceChildren(
      el('span', { class: 'title' }, t('customer.order', { order: order.orderId })),
      el('span', { class: 'small muted' },
        t(order.crossBorder ? 'customer.deliveredCrossBorder' : 'customer.delivered', { at: formatInstant(order.deliveredAt) })));
    row.lines.replaceChildren(...order.lines.map(line => lineRow(order, line)));
    return row.element;
  });
  for (const [orderId] of orderRows) if (!shown.has(orderId)) orderRows.delete(orderId);
  if (elements.length === 0) elements.push(el('li', { class: 'empty', dataset: { test: 'orders-empty' } }, t('customer.noOrders')));
  list.replaceChildren(...elements);
}

function lineRow(order, line) {
  const key = `${order.orderId}/${line.lineId}`;
  let row = lineRows.get(key);
  if (!row) {
    row = createLineRow(order, line);
    lineRows.set(key, row);
  }
  row.name.textContent = line.name;
  row.facts.textContent = t('customer.lineFacts', { category: t(`categories.${line.category}`), price: formatMoney(line.price), quantity: line.quantity });
  row.returnable.textContent = line.returnableQuantity > 0
    ? t('customer.returnable', { count: line.returnableQuantity })
    : t('customer.nothingToReturn');
  row.returnable.dataset.quantity = String(line.returnableQuantity);
  row.quantity.max = String(line.returnableQuantity);
  if (Number(row.quantity.value) > line.returnableQuantity) row.quantity.value = String(Math.max(1, line.returnableQuantity));
  row.details.hidden = line.returnableQuantity <= 0;
  if (row.details.hidden) row.details.open = false;
  row.line = line;
  return row.element;
}

function createLineRow(order, line) {
  const quantity = el('input', { name: 'quantity', type: 'number', min: '1', step: '1', value: '1', required: true, dataset: { test: 'create-quantity' } });
  const form = el('form', { class: 'return-form', novalidate: true, dataset: { test: 'create-return-form' } },
    el('div', { class: 'notice error', role: 'alert', dataset: { test: 'error' }, hidden: true }),
    el('div', { class: 'row' },
      el('label', { class: 'narrow-field' }, t('customer.form.quantity'), quantity),
      el('label', {}, t('customer.form.quality'),
        el('select', { name: 'quality', required: true, dataset: { test: 'create-quality' } },
          el('option', { value: '' }, t('common.choose')),
          el('option', { value: 'Proper' }, t('customer.form.proper')),
          el('option', { value: 'Improper' }, t('customer.form.improper'))))),
    el('label', {}, t('customer.form.reason'), el('input', { name: 'reason', required: true, maxlength: '500', autocomplete: 'off', dataset: { test: 'create-reason' } })),
    el('label', {}, t('customer.form.photo'),
      el('input', { name: 'photo', type: 'url', required: true, maxlength: '2000', placeholder: 'https://…', autocomplete: 'off', dataset: { test: 'create-photo' } })),
    el('div', { class: 'row' }, el('button', { type: 'submit', dataset: { test: 'create-submit' } }, t('customer.form.submit'))));
  const details = el('details', { class: 'return-line', dataset: { test: 'return-line' } },
    el('summary', { dataset: { test: 'return-open' } }, t('customer.form.open')), form);
  const row = {
    name: el('div', { class: 'title', dataset: { test: 'line-name' } }),
    facts: el('div', { class: 'small muted', dataset: { test: 'line-facts' } }),
    returnable: el('div', { class: 'small', dataset: { test: 'line-returnable' } }),
    quantity,
    details,
    line,
  };
  row.element = el('li', { class: 'order-line', dataset: { test: 'order-line', orderId: order.orderId, lineId: line.lineId } },
    el('div', { class: 'grow' }, row.name, row.facts, row.returnable), details);

  onSubmit(form, async data => {
    const count = Number(data.get('quantity'));
    const quality = String(data.get('quality') ?? '');
    const reason = String(data.get('reason') ?? '').trim();
    const photo = String(data.get('photo') ?? '').trim();
    // The server checks everything again; these only save a round trip for the obvious.
    if (!Number.isInteger(count) || count < 1 || count > row.line.returnableQuantity) {
      throw invalidInput(t('customer.form.quantityRange', { max: row.line.returnableQuantity }));
    }
    if (!quality) throw invalidInput(t('customer.form.qualityRequired'));
    if (!reason) throw invalidInput(t('customer.form.reasonRequired'));
    if (!/^https?:\/\/\S+$/i.test(photo)) throw invalidInput(t('customer.form.photoInvalid'));
    const created = await api('POST', '/api/returns', {
      orderId: order.orderId, lineId: row.line.lineId, quantity: count, reason, quality, photos: [photo],
    });
    form.reset();
    details.open = false;
    toast(t('customer.created', { product: created.productName }));
    returnsPager.reset();
    await Promise.all([reloadReturns(), reloadOrders()]);
  });
  return row;
}
