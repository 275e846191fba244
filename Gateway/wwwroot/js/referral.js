// Referral rewards page, for the logged-in Ozon ID as a referral manager: this month's qualifying spend, pending points,
// balance and the next reward date, the late-order corrections of the month, the points ledger, a withdrawal form, and
// a live feed. The manager's events (ReferralSpendUpdated, ReferralSpendCorrected, ReferralMonthSettled,
// ReferralLedgerEntryAdded) update the page without a reload: what an event carries is shown at once, and the summary
// is read again after it, because an event replayed on (re)connect may be older than what is shown, and a re-read
// asked for after the newest event always ends with the current answer.

import { api, claims, logout, tokens, ApiError } from './api.js';
import { around, has, t } from './i18n.js';
import { startLive } from './live.js';
import {
  $, el, formatCount, formatDate, formatInstant, formatMoney, formatMonth, invalidInput, onSubmit, serialReloader, toast,
} from './ui.js';

const ozonId = claims()?.sub;

/** Ledger rows by sequence number; entries are immutable, so a row once shown never changes. */
const entries = new Map();
let newestSequence = 0;
let reloadSummary;
/** The withdrawal being asked for: its request id is sent again on a retry whose outcome was unknown, never twice applied. */
let withdrawal = null;

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
  reloadSummary = serialReloader(async () => showSummary(await api('GET', '/api/referral/me')), error => failed(error, $('referral-error')));
  onSubmit($('withdraw-form'), withdraw);
  startLive({
    list: $('live-feed'),
    status: $('live-status'),
    onSessionEnded: () => location.replace('index.html'),
    key: `referral.${ozonId}`,
    onEvent,
  });
  reloadSummary();
  loadLedger();
  loadProfile();
}

function onEvent(event) {
  switch (event.type) {
    case 'ReferralSpendUpdated':
      if (event.data?.managerId) showSummary(event.data);
      break;
    case 'ReferralLedgerEntryAdded':
      if (typeof event.data?.sequence === 'number') addEntry(event.data, true);
      break;
    case 'ReferralMonthSettled':
    case 'ReferralSpendCorrected':
      break;
    default:
      return;
  }
  reloadSummary();
}

/** An error answer: a 401 that survived a refresh ends the session; anything else shows in `notice`. */
function failed(error, notice) {
  if (error instanceof ApiError && error.status === 401) {
    location.replace('index.html');
    return;
  }
  notice.textContent = error?.message || String(error);
  notice.hidden = false;
  if (!(error instanceof ApiError)) console.error(error);
}

async function loadProfile() {
  try {
    $('masked-phone').textContent = (await api('GET', '/api/me')).maskedPhone;
  } catch (error) {
    failed(error, $('referral-error'));
  }
}

// --- Summary --------------------------------------------------------------------------------------------------

function showSummary(summary) {
  $('referral-error').hidden = true;
  $('referral-month').textContent = formatMonth(summary.month);
  $('referral-month').dataset.value = summary.month;
  setFigure('referral-pending', summary.pendingPoints, t('referral.points', { count: summary.pendingPoints }));
  $('referral-settled-on').replaceChildren(...around('referral.settledOn', 'date',
    el('span', { dataset: { test: 'referral-next-reward', value: summary.nextRewardDate ?? '' } }, formatDate(summary.nextRewardDate))));
  showBalance(summary.balance);
  setFigure('referral-spend', summary.qualifyingSpend, formatMoney(summary.qualifyingSpend));
  const left = $('referral-left');
  left.textContent = summary.leftToQualify > 0
    ? t('referral.leftToQualify', { amount: formatMoney(summary.leftToQualify) })
    : t('referral.qualifies');
  left.dataset.value = String(summary.leftToQualify);
  const progress = $('referral-progress');
  const needed = summary.qualifyingSpend + summary.leftToQualify;
  progress.hidden = !(needed > 0);
  progress.max = needed > 0 ? needed : 1;
  progress.value = Math.min(summary.qualifyingSpend, progress.max);
  const ends = $('referral-program-ends');
  ends.hidden = !summary.programEndsOn;
  ends.textContent = summary.programEndsOn
    ? t('referral.programEnds', { date: formatDate(summary.programEndsOn) })
    : '';
  showCorrections(summary.corrections ?? []);
}

/** Late orders of earlier months that changed this month's spend: what, how much, and why. */
function showCorrections(corrections) {
  $('referral-corrections-box').hidden = corrections.length === 0;
  $('referral-corrections').replaceChildren(...corrections.map(c => el('li', {
    dataset: { test: 'referral-correction', orderId: c.orderId, amount: String(c.amount), reason: c.reason },
  }, t(`referral.correction.${c.reason}`, {
    order: c.orderId, amount: formatMoney(Math.abs(c.amount)), orderMonth: formatMonth(c.orderMonth), month: formatMonth(c.month),
  }))));
}


function showBalance(balance) {
  setFigure('referral-balance', balance, t('referral.points', { count: balance }));
  $('referral-balance-rubles').textContent = t('referral.balanceRubles', { amount: formatMoney(balance) });
}

function setFigure(name, value, text) {
  const node = $(name);
  node.textContent = text;
  node.dataset.value = String(value);
}

// --- Ledger ---------------------------------------------------------------------------------------------------

async function loadLedger() {
  try {
    for (const entry of await api('GET', '/api/referral/me/ledger')) addEntry(entry, false);
    $('ledger-error').hidden = true;
    showLedgerCount();
  } catch (error) {
    failed(error, $('ledger-error'));
  }
}

/** Shows an entry in sequence order (newest first) unless it is shown; the newest entry's balance is the balance. */
function addEntry(entry, fresh) {
  if (entry.sequence > newestSequence) {
    newestSequence = entry.sequence;
    showBalance(entry.balanceAfter);
  }
  if (entries.has(entry.sequence)) return;
  const row = ledgerRow(entry, fresh);
  entries.set(entry.sequence, row);
  const body = $('ledger');
  body.querySelector(':scope > .empty-row')?.remove();
  const before = Array.from(body.children).find(other => Number(other.dataset.sequence) < entry.sequence);
  body.insertBefore(row, before ?? null);
  showLedgerCount();
}

function ledgerRow(entry, fresh) {
  const change = entry.balanceChange;
  return el('tr', { class: fresh ? 'fresh' : '', dataset: { test: 'ledger-entry', sequence: String(entry.sequence), kind: entry.kind } },
    el('td', {}, el('time', { datetime: entry.at }, formatInstant(entry.at))),
    el('td', { title: entry.key }, has(`referral.kind.${entry.kind}`) ? t(`referral.kind.${entry.kind}`) : entry.kind),
    el('td', {}, entry.month ? formatMonth(entry.month) : '—'),
    el('td', { class: 'num', dataset: { test: 'ledger-points' } }, formatCount(entry.points)),
    el('td', { class: `num ${change > 0 ? 'plus' : change < 0 ? 'minus' : 'muted'}` }, change > 0 ? `+${formatCount(change)}` : formatCount(change)),
    el('td', { class: 'num', dataset: { test: 'ledger-balance-after' } }, formatCount(entry.balanceAfter)),
    el('td', { class: 'small' }, entry.note ?? ''));
}

function showLedgerCount() {
  const body = $('ledger');
  $('ledger-count').textContent = t('referral.entries', { count: entries.size });
  if (entries.size === 0 && !body.querySelector('.empty-row')) {
    body.append(el('tr', { class: 'empty-row', dataset: { test: 'ledger-empty' } },
      el('td', { class: 'empty', colspan: '7' }, t('referral.noEntries'))));
  }
}

// --- Withdrawal -----------------------------------------------------------------------------------------------

async function withdraw(form) {
  const text = String(form.get('points') ?? '').trim();
  const points = Number(text);
  if (!/^\d+$/.test(text) || points < 1) throw invalidInput(t('referral.wholePoints'));
  if (withdrawal?.points !== points) withdrawal = { points, requestId: requestId() };
  let entry;
  try {
    entry = await api('POST', '/api/referral/me/withdraw', { points, requestId: withdrawal.requestId });
  } catch (error) {
    // Only when no answer came (or the server failed) may the withdrawal have happened: keep its id for the retry.
    if (!(error instanceof ApiError && (error.status === 0 || error.status >= 500))) withdrawal = null;
    throw error;
  }
  withdrawal = null;
  addEntry(entry, true);
  $('withdraw-form').reset();
  toast(t('referral.withdrawn', { count: entry.points, amount: formatMoney(entry.points) }));
  reloadSummary();
}

/** A random id for one withdrawal (the API's idempotency key). */
function requestId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return 'web-' + Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}
