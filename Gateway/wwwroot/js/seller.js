// Seller page: the company the token is scoped to, its people, invitations, and a live feed of its events.

import { api, claims, logout, tokens, useSide, ApiError } from './api.js';
import { startLive } from './live.js';
import { $, el, onSubmit, showError, toast, roleName } from './ui.js';

useSide('seller');
const me = claims() ?? {};
const companyId = me.company;
const myAccountId = me.account;
const myRole = me.role;
const manages = myRole === 'Director' || myRole === 'Administrator';

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
  startLive({
    list: $('live-feed'),
    status: $('live-status'),
    onSessionEnded: () => location.replace('index.html'),
    key: `seller.${companyId}`,
    onEvent: event => {
      // People changes show in the list at once too.
      if (event.type === 'MemberJoined' || event.type === 'AccountDeleted') loadCompany();
    },
  });
  loadCompany();
}

async function loadCompany() {
  try {
    const company = await api('GET', `/api/companies/${companyId}`);
    $('company-name').textContent = company.name;
    document.title = `${company.name} · Seller · OzonActors`;
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
      ? el('button', { type: 'button', class: 'danger', title: `Delete ${member.email}`, dataset: { test: 'delete-member' } }, 'Delete')
      : null;
    remove?.addEventListener('click', () => deleteMember(member, remove));
    list.append(el('li', { dataset: { test: 'member', accountId: member.accountId } },
      el('div', { class: 'grow' },
        el('div', { class: 'title', dataset: { test: 'member-email' } }, member.email, isMe ? el('span', { class: 'badge' }, 'you') : null),
        el('div', { class: 'small muted', dataset: { test: 'member-role' } }, roleName(member.role))),
      remove));
  }
  if (members.length === 0) list.append(el('li', { class: 'empty' }, 'No one here yet.'));
  $('members-count').textContent = `${members.length} ${members.length === 1 ? 'person' : 'people'}`;
}

async function deleteMember(member, button) {
  if (!confirm(`Delete the account ${member.email}? They lose access to this company.`)) return;
  button.disabled = true;
  try {
    await api('DELETE', `/api/companies/${companyId}/accounts/${member.accountId}`);
    toast(`${member.email} was deleted.`);
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
    el('div', {}, `Invitation for ${email} (${roleName(role)}) created. Give them this invitation code:`),
    el('code', { dataset: { test: 'invite-token' } }, invitation.token));
  result.hidden = false;
  $('invite-form').reset();
}
