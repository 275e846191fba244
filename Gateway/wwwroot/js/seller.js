// Seller page: two tabs, the company's return requests (filtered, paged, acted on, kept current by live events) and
// its Star Products program; its people, invitations, and a live feed of its events.

import { api, claims, download, logout, saveBlob, tokens, useSide, ApiError } from './api.js';
import { startLive } from './live.js';
import { lang, t } from './i18n.js';
import { ReturnsList, Statuses, pager, statusLabel, summaryOfEvent } from './returns.js';
import { starProducts } from './star-products.js';
import { $, el, onSubmit, serialReloader, showError, tabs, toast, roleName } from './ui.js';

useSide('seller');
const me = claims() ?? {};
const companyId = me.company;
const myAccountId = me.account;
const myRole = me.role;
const manages = myRole === 'Director' || myRole === 'Administrator';
const ReturnsPageSize = 20;
let returns;
let returnsPager;
let reloadReturns;

if (!tokens.refresh || !companyId) {
  // Not logged in, or not inside a company: choose one first.
  location.replace('index.html');
} else {
  start();
}

function start() {
  $('role').textContent = roleName(myRole);
  $('role').hidden = !myRole;
  $('invite-card').hidden = !manages;
  for (const option of document.querySelectorAll('[data-director-only]')) option.hidden = option.disabled = myRole !== 'Director';
  $('logout').addEventListener('click', async () => {
    await logout();
    location.assign('index.html');
  });
  onSubmit($('invite-form'), invite);
  startReturns();
  const star = starProducts($('panel-star-products'), { onSessionEnded: () => location.replace('index.html') });
  tabs($('seller-tabs'), tab => { if (tab === 'star-products') star.show(); });
  startLive({
    list: $('live-feed'),
    status: $('live-status'),
    onSessionEnded: () => location.replace('index.html'),
    key: `seller.${companyId}`,
    onEvent: event => {
      // People changes show in the list at once too.
      if (event.type === 'MemberJoined' || event.type === 'AccountDeleted') loadCompany();
      const summary = summaryOfEvent(event);
      if (summary) returnChanged(summary);
      star.onEvent(event);
    },
  });
  loadCompany();
}

async function loadCompany() {
  try {
    const company = await api('GET', `/api/companies/${companyId}`);
    $('company-name').textContent = company.name;
    document.title = t('seller.titleWithCompany', { company: company.name });
    renderMembers(company.members ?? []);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      location.replace('index.html');
      return;
    }
    showError(error);
  }
}

function renderMembers(members) {
  const list = $('members');
  list.replaceChildren();
  const order = { Director: 0, Administrator: 1, Employee: 2 };
  members = [...members].sort((a, b) => (order[a.role] ?? 9) - (order[b.role] ?? 9) || a.email.localeCompare(b.email));
  for (const member of members) {
    const isMe = member.accountId === myAccountId;
    const mayDelete = manages && !isMe && (member.role !== 'Director' || myRole === 'Director');
    const remove = mayDelete
      ? el('button', {
        type: 'button', class: 'danger', 'aria-label': t('seller.deleteMemberNamed', { email: member.email }), dataset: { test: 'delete-member' },
      }, t('seller.deleteMember'))
      : null;
    remove?.addEventListener('click', () => deleteMember(member, remove));
    list.append(el('li', { dataset: { test: 'member', accountId: member.accountId } },
      el('div', { class: 'grow' },
        el('div', { class: 'title', dataset: { test: 'member-email' } }, member.email, isMe ? el('span', { class: 'badge' }, t('seller.you')) : null),
        el('div', { class: 'small muted', dataset: { test: 'member-role' } }, roleName(member.role))),
      remove));
  }
  if (members.length === 0) list.append(el('li', { class: 'empty' }, t('seller.noMembers')));
  $('members-count').textContent = t('seller.membersCount', { count: members.length });
}

async function deleteMember(member, button) {
  if (!confirm(t('seller.deleteMemberConfirm', { email: member.email }))) return;
  button.disabled = true;
  try {
    await api('DELETE', `/api/companies/${companyId}/accounts/${member.accountId}`);
    toast(t('seller.memberDeleted', { email: member.email }));
    await loadCompany();
  } catch (error) {
    showError(error);
    button.disabled = false;
  }
}

async function invite(form) {
  const email = String(form.get('email') ?? '').trim();
  const role = String(form.get('role') ?? 'Employee');
  const result = $('invite-result');
  result.hidden = true;
  const invitation = await api('POST', `/api/companies/${companyId}/invitations`, { email, role });
  result.replaceChildren(
    el('div', {}, t('seller.invitationCreated', { email, role: roleName(role) })),
    el('code', { dataset: { test: 'invite-token' } }, invitation.token));
  result.hidden = false;
  $('invite-form').reset();
}

// --- Returns --------------------------------------------------------------------------------------------------

function startReturns() {
  const filter = $('returns-status-filter');
  for (const status of Statuses) filter.append(el('option', { value: status }, statusLabel(status)));
  returns = new ReturnsList($('returns'), { role: 'Seller', emptyText: t('seller.noReturns'), onChanged: returnChanged });
  returnsPager = pager($('returns-pager'), 'returns', () => reloadReturns());
  // Errors show in the card's own notice.
  reloadReturns = serialReloader(async () => returnsPager.render(await loadReturns(returnsPager.page)), () => {});
  for (const control of [filter, $('returns-needs-action')]) {
    control.addEventListener('change', () => {
      returnsPager.reset();
      reloadReturns();
    });
  }
  $('returns-report').addEventListener('click', async event => {
    event.preventDefault();
    await downloadReport(event.currentTarget);
  });
  reloadReturns();
}

/** The list's filters as query parameters: the status chosen, and only the requests waiting for the seller if asked. */
function returnsFilter() {
  const query = new URLSearchParams();
  const status = $('returns-status-filter').value;
  if (status) query.set('status', status);
  if ($('returns-needs-action').checked) query.set('needsAction', 'true');
  return query;
}

/** Shows page `page` of the requests the filter matches, newest first. */
async function loadReturns(page) {
  const query = returnsFilter();
  query.set('page', String(page));
  query.set('pageSize', String(ReturnsPageSize));
  try {
    const answer = await api('GET', `/api/seller/returns?${query}`);
    // A page past the end (the last request of the last page went elsewhere): show the last page there is.
    if (answer.items.length === 0 && answer.total > 0 && page > 1) {
      return loadReturns(Math.ceil(answer.total / ReturnsPageSize));
    }
    returns.show(answer.items);
    $('returns-error').hidden = true;
    return answer;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) location.replace('index.html');
    $('returns-error').textContent = error.message;
    $('returns-error').hidden = false;
    throw error;
  }
}

/**
 * A request changed (live, or by this page's own action): a shown row takes its new state in place. A shown request
 * that left the filter (approved, so the customer acts next) and one not shown that entered it (new, or the seller's
 * turn again) make the page be read again; rows shown stay as they are, with their open forms.
 */
function returnChanged(summary) {
  if (!returns) return;
  const status = $('returns-status-filter').value;
  const needsAction = $('returns-needs-action').checked;
  const belongs = (!status || status === summary.status) && (!needsAction || summary.nextActor === 'Seller');
  if (returns.update(summary) !== belongs) reloadReturns();
}

/** Downloads the report of the requests the filter matches, in the page's language (its header, separator, numbers). */
async function downloadReport(link) {
  link.setAttribute('aria-busy', 'true');
  try {
    const query = returnsFilter();
    query.set('lang', lang);
    const { blob, filename } = await download(`/api/seller/returns/report.csv?${query}`);
    saveBlob(blob, filename ?? 'returns-report.csv');
  } catch (error) {
    showError(error);
  } finally {
    link.removeAttribute('aria-busy');
  }
}
