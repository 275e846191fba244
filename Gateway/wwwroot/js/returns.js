// Return requests as the seller and customer pages show them. Each request is a row with its state and the actions
// the page's role may take now (from `allowedActions`); actions that need input open a small form in the row. Rows
// are keyed by request id and updated in place, so a live event or a reload of the list keeps open forms and what
// was typed in them. An older state of a request (an event that arrives after a newer answer) never replaces a newer one.

import { api } from './api.js';
import { has, t } from './i18n.js';
import { el, formatDeadline, formatInstant, formatMoney, formatRelative, onSubmit, roleName, showError, toast } from './ui.js';

/** Every status, in the order of the request's life (the filter select lists them so). */
export const Statuses = [
  'New', 'AwaitingClarificationWithSeller', 'PartialCompensationOffered', 'AwaitingClarification', 'PartialCompensationApproved',
  'Approved', 'RejectedBySeller', 'RejectedDisputeNotOpened', 'Overdue', 'CanceledByCustomer', 'CanceledDueToCustomerInaction',
  'DisputeOpened', 'RejectedByOzon', 'ReturnOnTheWay', 'ReceivedBySeller', 'RejectedAfterReceipt', 'RejectedByMutualConsent', 'Refund',
];

const DayMs = 24 * 60 * 60 * 1000;

const Tones = {
  Approved: 'ok', PartialCompensationApproved: 'ok', Refund: 'ok', ReturnOnTheWay: 'ok', ReceivedBySeller: 'ok',
  RejectedBySeller: 'bad', RejectedDisputeNotOpened: 'bad', Overdue: 'bad', RejectedByOzon: 'bad', RejectedAfterReceipt: 'bad',
  RejectedByMutualConsent: 'bad', CanceledByCustomer: 'bad', CanceledDueToCustomerInaction: 'bad',
  PartialCompensationOffered: 'wait', AwaitingClarification: 'wait', AwaitingClarificationWithSeller: 'wait', DisputeOpened: 'wait',
};

/** A status as people read it. */
export function statusLabel(status) {
  return status && has(`returns.status.${status}`) ? t(`returns.status.${status}`) : status ?? '';
}

/**
 * What each action posts. `fields` make an inline form; `confirm` makes a form without fields (one more click for
 * something that cannot be undone); the rest post at once.
 */
const Actions = {
  Approve: { path: 'approve' },
  Reject: {
    path: 'reject', tone: 'danger',
    fields: [
      { name: 'reason', required: true, maxlength: 1000 },
      { name: 'requireServiceCenterConclusion', type: 'checkbox' },
    ],
  },
  OfferCompensation: {
    path: 'offer-compensation',
    fields: [{ name: 'amount', type: 'number', required: true, min: '1', step: '0.01', money: true }],
  },
  Message: { path: 'messages', fields: [{ name: 'text', required: true, maxlength: 2000 }] },
  ReplyToDispute: { path: 'dispute-reply', fields: [{ name: 'text', required: true, maxlength: 2000 }] },
  AcceptCompensation: { path: 'accept-compensation' },
  RefuseCompensation: { path: 'refuse-compensation' },
  Cancel: { path: 'cancel', tone: 'danger', confirm: true },
  Ship: { path: 'ship', fields: [{ name: 'trackingNumber', required: true, maxlength: 100 }] },
  OpenDispute: { path: 'dispute', alwaysBody: true, fields: [{ name: 'topic', maxlength: 500 }] },
  ConfirmReceived: { path: 'received' },
  Refund: {
    path: 'refund', alwaysBody: true,
    fields: [{ name: 'deliveryCost', type: 'number', min: '0', step: '0.01', money: true }],
  },
  RejectRefund: { path: 'reject-refund', tone: 'danger', fields: [{ name: 'reason', required: true, maxlength: 1000 }] },
};

/** An action's words (`label`, and where it has them `submit`, `done`, `confirm`, its fields' labels) from the catalogue. */
function words(action, part) {
  const key = `returns.actions.${action}.${part}`;
  return has(key) ? t(key) : t(`returns.actions.${action}.label`);
}

/** The request summary a live event carries: `ReturnStatusChanged` wraps it in `request`, `ReturnUpdated` is it. */
export function summaryOfEvent(event) {
  if (event?.type === 'ReturnStatusChanged') return event.data?.request ?? null;
  if (event?.type === 'ReturnUpdated') return event.data ?? null;
  return null;
}

/** A full request (an action's answer) as a summary. */
function summaryOfView(view) {
  return { ...view, refundTotal: view.refund?.total ?? null };
}

/**
 * Orders two `updatedAt` instants: negative when `a` is older. The server writes 7 fractional digits; Date keeps
 * milliseconds, so the rest of the fraction breaks ties.
 */
function compareInstants(a, b) {
  const ms = (Date.parse(a) || 0) - (Date.parse(b) || 0);
  if (ms !== 0) return ms;
  const sub = value => Number((/\.\d{3}(\d*)/.exec(value ?? '')?.[1] ?? '').padEnd(4, '0').slice(0, 4));
  return sub(a) - sub(b);
}

/** A list of return requests in one `<ul>`, acting in `role` ('Seller' or 'Customer'). */
export class ReturnsList {
  /**
   * @param {HTMLElement} list the <ul> the rows go in
   * @param {object} options
   * @param {'Seller'|'Customer'} options.role the role this page acts in
   * @param {string} options.emptyText shown when there are no requests
   * @param {(summary: object) => void} [options.onChanged] called after an action of this page changed a request
   */
  constructor(list, { role, emptyText, onChanged }) {
    this.list = list;
    this.role = role;
    this.emptyText = emptyText;
    this.onChanged = onChanged;
    this.rows = new Map();
    this.showEmpty();
    setInterval(() => { for (const row of this.rows.values()) this.renderDueHint(row); }, 60_000);
  }

  /** Shows exactly these requests in this order; rows already shown are updated in place (their forms stay open). */
  show(summaries) {
    const ids = new Set(summaries.map(s => s.id));
    for (const [id, row] of this.rows) {
      if (!ids.has(id)) {
        row.element.remove();
        this.rows.delete(id);
      }
    }
    let previous = null;
    for (const summary of summaries) {
      let row = this.rows.get(summary.id);
      if (row) this.apply(row, summary);
      else row = this.create(summary);
      if (previous) previous.after(row.element);
      else this.list.prepend(row.element);
      previous = row.element;
    }
    this.showEmpty();
  }

  /** Applies a state of a shown request unless the row already shows a newer one; false when it is not shown. */
  update(summary) {
    const row = summary && this.rows.get(summary.id);
    if (!row) return false;
    this.apply(row, summary);
    return true;
  }

  showEmpty() {
    let empty = this.list.querySelector(':scope > .empty');
    if (this.rows.size === 0 && !empty) {
      empty = el('li', { class: 'empty', dataset: { test: 'returns-empty' } }, this.emptyText);
      this.list.append(empty);
    } else if (this.rows.size > 0 && empty) {
      empty.remove();
    }
  }

  create(summary) {
    const cells = {
      product: el('div', { class: 'title', dataset: { test: 'return-product' } }),
      order: el('div', { class: 'small muted', dataset: { test: 'return-order' } }),
      quantity: el('span', { dataset: { test: 'return-quantity' } }),
      price: el('span', { dataset: { test: 'return-price' } }),
      status: el('span', { dataset: { test: 'return-status' } }),
      nextActor: el('span', { dataset: { test: 'return-next-actor' } }),
      due: el('time', { dataset: { test: 'return-due' } }),
      dueHint: el('div', { class: 'small due-hint', dataset: { test: 'return-due-hint' } }),
      note: el('div', { class: 'small muted', dataset: { test: 'return-note' } }),
    };
    const actions = el('div', { class: 'return-actions', dataset: { test: 'return-actions' } });
    const error = el('div', { class: 'notice error', role: 'alert', dataset: { test: 'error' }, hidden: true });
    const slot = el('div', { class: 'return-form-slot' });
    const detailsBody = el('div', { class: 'return-details-body', dataset: { test: 'return-details-body' } });
    const details = el('details', { class: 'return-details', dataset: { test: 'return-details' } },
      el('summary', {}, t('returns.details')), detailsBody);
    const element = el('li', { class: 'return', dataset: { test: 'return' } },
      el('div', { class: 'return-main' },
        el('div', { class: 'cell product' }, cells.product, cells.order, cells.note),
        el('div', { class: 'cell', dataset: { label: t('returns.columns.quantity') } }, cells.quantity),
        el('div', { class: 'cell', dataset: { label: t('returns.columns.price') } }, cells.price),
        el('div', { class: 'cell', dataset: { label: t('returns.columns.status') } }, cells.status),
        el('div', { class: 'cell', dataset: { label: t('returns.columns.next') } }, cells.nextActor),
        el('div', { class: 'cell', dataset: { label: t('returns.columns.due') } }, cells.due, cells.dueHint)),
      actions, error, slot, details);
    const row = {
      summary: null, element, cells, actions, error, slot, details, detailsBody, actionsKey: null, form: null, view: null, offer: null,
    };
    details.addEventListener('toggle', () => { if (details.open) this.loadDetails(row); });
    this.rows.set(summary.id, row);
    this.apply(row, summary, true);
    return row;
  }

  /** Renders `summary` into the row, unless it is older than what the row shows. */
  apply(row, summary, force = false) {
    if (!force && row.summary && compareInstants(summary.updatedAt, row.summary.updatedAt) < 0) return;
    const changed = !row.summary || row.summary.updatedAt !== summary.updatedAt;
    row.summary = summary;
    const { cells, element } = row;
    element.dataset.returnId = summary.id;
    element.dataset.status = summary.status;
    element.dataset.updatedAt = summary.updatedAt ?? '';
    cells.product.textContent = summary.productName ?? '';
    cells.order.textContent = t(summary.quality === 'Improper' ? 'returns.orderLineImproper' : 'returns.orderLineProper',
      { order: summary.orderId, line: summary.lineId });
    cells.quantity.textContent = String(summary.quantity ?? '');
    cells.price.textContent = formatMoney(summary.price);
    cells.price.dataset.value = String(summary.price ?? '');
    cells.status.textContent = statusLabel(summary.status);
    cells.status.className = `badge status ${Tones[summary.status] ?? ''}`;
    cells.status.dataset.status = summary.status;
    cells.status.title = summary.disputeStage ? t(`returns.disputeStage.${summary.disputeStage}`) : '';
    const next = summary.nextActor ?? '';
    cells.nextActor.textContent = next ? (next === this.role ? t('returns.nextYou') : roleName(next)) : '—';
    cells.nextActor.dataset.actor = next;
    cells.nextActor.className = next === this.role ? 'mine' : '';
    cells.due.textContent = summary.dueAt ? formatDeadline(summary.dueAt) : '—';
    cells.due.dateTime = summary.dueAt ?? '';
    cells.due.dataset.at = summary.dueAt ?? '';
    this.renderDueHint(row);
    const notes = [];
    if (summary.trackingNumber) notes.push(t('returns.tracking', { number: summary.trackingNumber }));
    if (typeof summary.refundTotal === 'number') notes.push(t('returns.refundNote', { amount: formatMoney(summary.refundTotal) }));
    cells.note.textContent = notes.join(' · ');
    cells.note.hidden = notes.length === 0;
    this.renderActions(row);
    if (changed) {
      if (this.role === 'Customer' && summary.status === 'PartialCompensationOffered') {
        this.loadOffer(row);
      } else {
        row.offer?.remove();
        row.offer = null;
      }
      if (row.details.open) this.loadDetails(row);
    }
  }

  /**
   * The time left, as a hint under the deadline; under a day left for whoever acts next, the row says so, in words as
   * well as in colour. Time passes while the page stays open: the list renders it again every minute.
   */
  renderDueHint(row) {
    const { cells, element, summary } = row;
    cells.dueHint.textContent = summary.dueAt ? formatRelative(summary.dueAt) : '';
    cells.dueHint.hidden = !summary.dueAt;
    const left = summary.dueAt ? Date.parse(summary.dueAt) - Date.now() : NaN;
    const soon = left < DayMs;
    element.classList.toggle('due-soon', soon);
    element.dataset.dueSoon = String(soon);
    if (soon) cells.dueHint.textContent = t(left > 0 ? 'returns.dueSoon' : 'returns.duePassed', { left: cells.dueHint.textContent });
  }

  renderActions(row) {
    const allowed = (row.summary.allowedActions?.[this.role] ?? []).filter(a => Actions[a]);
    const key = allowed.join(',');
    if (key === row.actionsKey) return;
    row.actionsKey = key;
    row.actions.replaceChildren(...allowed.map(action => {
      const definition = Actions[action];
      const button = el('button', {
        type: 'button',
        class: definition.tone === 'danger' ? 'small-button danger-soft' : 'small-button',
        dataset: { test: 'return-action', action },
      }, words(action, 'label'));
      button.addEventListener('click', () => {
        if (definition.fields || definition.confirm) this.toggleForm(row, action);
        else this.act(row, action, undefined, button);
      });
      return button;
    }));
    row.actions.hidden = allowed.length === 0;
    // A form for an action the status no longer allows is closed.
    if (row.form && !allowed.includes(row.form.dataset.action)) this.closeForm(row);
  }

  toggleForm(row, action) {
    const open = row.form?.dataset.action;
    this.closeForm(row);
    if (open === action) return;
    const definition = Actions[action];
    const inputs = (definition.fields ?? []).map(field => {
      const input = el('input', {
        name: field.name,
        type: field.type ?? 'text',
        required: field.required,
        maxlength: field.maxlength,
        min: field.min,
        step: field.step,
        inputmode: field.money ? 'decimal' : undefined,
        autocomplete: 'off',
        dataset: { test: `return-field-${field.name}` },
      });
      return field.type === 'checkbox'
        ? el('label', { class: 'check' }, input, el('span', {}, t(`returns.fields.${field.name}`)))
        : el('label', {}, t(`returns.fields.${field.name}`), input);
    });
    const form = el('form', { class: 'return-form', novalidate: true, dataset: { test: 'return-form', action } },
      el('div', { class: 'notice error', role: 'alert', dataset: { test: 'error' }, hidden: true }),
      definition.confirm ? el('p', { class: 'small' }, words(action, 'confirm')) : null,
      ...inputs,
      el('div', { class: 'row' },
        el('button', { type: 'submit', class: definition.tone === 'danger' ? 'danger-solid' : '', dataset: { test: 'return-submit' } },
          words(action, 'submit')),
        el('button', { type: 'button', class: 'secondary', dataset: { test: 'return-form-close' }, onclick: () => this.closeForm(row) }, t('common.close'))));
    onSubmit(form, async data => {
      await this.act(row, action, bodyOf(definition, data, form));
    });
    row.form = form;
    row.slot.append(form);
    form.querySelector('input:not([type=checkbox])')?.focus();
  }

  closeForm(row) {
    row.form?.remove();
    row.form = null;
  }

  /** Posts an action; errors show in the open form, or in the row for a button without a form. */
  async act(row, action, body, button) {
    const definition = Actions[action];
    row.error.hidden = true;
    if (button) button.disabled = true;
    try {
      const view = await api('POST', `/api/returns/${row.summary.id}/${definition.path}`, body);
      this.closeForm(row);
      const summary = summaryOfView(view);
      this.apply(row, summary);
      toast(words(action, 'done'));
      this.onChanged?.(summary);
    } catch (error) {
      if (!button) throw error;
      row.error.textContent = error?.message || String(error);
      row.error.hidden = false;
      if (error?.name !== 'ApiError') console.error(error);
    } finally {
      if (button) button.disabled = false;
    }
  }

  /** The full request for the state the row shows: fetched once per state, however many ask at the same time. */
  view(row) {
    const updatedAt = row.summary.updatedAt;
    if (row.view?.updatedAt !== updatedAt) {
      const loading = api('GET', `/api/returns/${row.summary.id}`);
      row.view = { updatedAt, loading };
      loading.catch(() => { if (row.view?.loading === loading) row.view = null; });
    }
    return row.view.loading;
  }

  /** The customer must see the amount offered before accepting or refusing it. */
  async loadOffer(row) {
    try {
      const view = await this.view(row);
      const offer = view.compensationOffers?.at(-1);
      row.offer?.remove();
      if (!offer || offer.outcome !== 'Pending' || row.summary.status !== 'PartialCompensationOffered') return;
      row.offer = el('div', { class: 'notice info offer', dataset: { test: 'return-offer', amount: String(offer.amount) } },
        t(offer.by === 'Marketplace' ? 'returns.offerByMarketplace' : 'returns.offerBySeller', { amount: formatMoney(offer.amount) }));
      row.actions.before(row.offer);
    } catch (error) {
      showError(error);
    }
  }

  async loadDetails(row) {
    try {
      renderDetails(row.detailsBody, await this.view(row));
    } catch (error) {
      row.detailsBody.replaceChildren(el('div', { class: 'notice error' }, error?.message ?? String(error)));
    }
  }
}

/** The JSON body of an action's form. */
function bodyOf(definition, data, form) {
  if (!definition.fields) return undefined;
  const body = {};
  for (const field of definition.fields) {
    if (field.type === 'checkbox') {
      body[field.name] = form.elements[field.name].checked;
      continue;
    }
    const text = String(data.get(field.name) ?? '').trim();
    if (text === '') continue;
    body[field.name] = field.money ? Number(text.replace(',', '.')) : text;
  }
  return Object.keys(body).length > 0 || definition.alwaysBody ? body : undefined;
}

function renderDetails(box, view) {
  const facts = el('dl', { class: 'facts' });
  const fact = (name, value) => {
    if (value === null || value === undefined || value === '') return;
    facts.append(el('dt', {}, name), el('dd', {}, value));
  };
  fact(t('returns.facts.reason'), view.reason);
  fact(t('returns.facts.quality'), t(view.quality === 'Improper' ? 'returns.quality.Improper' : 'returns.quality.Proper'));
  fact(t('returns.facts.comment'), view.comment);
  fact(t('returns.facts.created'), formatInstant(view.createdAt));
  fact(t('returns.facts.processedBy'), view.processedBy ? roleName(view.processedBy) : null);
  fact(t('returns.facts.trackingNumber'), view.trackingNumber);
  if (view.rejection) {
    fact(t('returns.facts.rejection'), t(view.rejection.serviceCenterConclusionRequired ? 'returns.rejectionWithConclusion' : 'returns.rejection',
      { reason: view.rejection.reason }));
  }
  if (view.dispute) {
    const topic = view.dispute.topic || t(`returns.disputeStage.${view.dispute.stage}`);
    fact(t('returns.facts.dispute'), view.dispute.decidedFor
      ? t('returns.disputeDecided', { topic, party: roleName(view.dispute.decidedFor) })
      : topic);
  }
  if (view.refund) {
    fact(t('returns.facts.refund'), view.refund.deliveryCost
      ? t('returns.refundWithDelivery', { total: formatMoney(view.refund.total), delivery: formatMoney(view.refund.deliveryCost) })
      : formatMoney(view.refund.total));
  }
  for (const note of view.notes ?? []) fact(t('returns.facts.note'), note);

  const photos = (view.photos ?? []).filter(url => /^https?:\/\//i.test(url));
  const photoList = photos.length === 0 ? null : el('div', { class: 'photos' }, ...photos.map((url, i) =>
    el('a', { href: url, target: '_blank', rel: 'noopener noreferrer nofollow' }, t('returns.photo', { number: i + 1 }))));

  const offers = (view.compensationOffers ?? []).map(o =>
    el('li', {}, t('returns.offerLine', {
      amount: formatMoney(o.amount), by: roleName(o.by), at: formatInstant(o.at), outcome: t(`returns.offerOutcome.${o.outcome}`),
    })));
  const history = (view.history ?? []).map(h =>
    el('li', { dataset: { test: 'return-history-entry', status: h.status } },
      el('strong', {}, statusLabel(h.status)), ` · ${roleName(h.by)} · ${formatInstant(h.at)}`, h.note ? ` · ${h.note}` : null));
  const messages = (view.messages ?? []).map(m =>
    el('li', { dataset: { test: 'return-message' } }, el('strong', {}, roleName(m.from)), ` · ${formatInstant(m.at)}: `, m.text));

  box.replaceChildren(...[
    facts,
    photoList,
    offers.length ? el('h3', {}, t('returns.offersTitle')) : null,
    offers.length ? el('ul', { class: 'plain' }, ...offers) : null,
    el('h3', {}, t('returns.historyTitle')),
    el('ul', { class: 'plain', dataset: { test: 'return-history' } }, ...history),
    messages.length ? el('h3', {}, t('returns.messagesTitle')) : null,
    messages.length ? el('ul', { class: 'plain', dataset: { test: 'return-messages' } }, ...messages) : null,
  ].filter(Boolean));
}

/**
 * Previous/next paging under a list. A click sets the page wanted and calls `onChange`, which loads it and hands the
 * answer (`{total, page, pageSize}`) to `render`.
 * @param {HTMLElement} box the pager's container (holds `[data-test=<prefix>-prev|next|page]`)
 */
export function pager(box, prefix, onChange) {
  const prev = box.querySelector(`[data-test="${prefix}-prev"]`);
  const next = box.querySelector(`[data-test="${prefix}-next"]`);
  const label = box.querySelector(`[data-test="${prefix}-page"]`);
  let page = 1;
  prev.addEventListener('click', () => { page = Math.max(1, page - 1); onChange(); });
  next.addEventListener('click', () => { page += 1; onChange(); });
  return {
    get page() { return page; },
    render(answer) {
      page = answer.page;
      const pages = Math.max(1, Math.ceil(answer.total / answer.pageSize));
      prev.disabled = page <= 1;
      next.disabled = page >= pages;
      label.textContent = t('common.pageOf', { page, pages, total: answer.total });
      box.hidden = pages === 1 && page === 1;
    },
    reset() { page = 1; },
  };
}
