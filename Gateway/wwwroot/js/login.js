// Login page: phone → code → choose a company (or the customer side), or create/add one.

import { api, request, claims, tokens, tokensOf, deviceId, refreshTokens, endSession, logout, ApiError } from './api.js';
import { t } from './i18n.js';
import { $, el, onSubmit, showError, roleName } from './ui.js';

const steps = ['step-phone', 'step-code', 'step-choose'];
let challenge = null;
let resendTimer = 0;

function show(step) {
  for (const name of steps) $(name).hidden = name !== step;
  $('loading').hidden = true;
  $('logout').hidden = step !== 'step-choose';
  const focus = { 'step-phone': 'phone', 'step-code': 'code' }[step];
  if (focus) $(focus).focus();
}

// --- Step 1: phone -------------------------------------------------------------------------------------------

onSubmit($('phone-form'), async form => {
  const phone = String(form.get('phone') ?? '').trim();
  const channel = String(form.get('channel') ?? 'Sms');
  const answer = await request('POST', '/api/auth/code', { phone, channel }, { auth: false });
  startChallenge(answer, channel);
  $('code').value = '';
  show('step-code');
});

/** Keeps the challenge and counts down to `resendAfter`, measured against the server's clock. */
function startChallenge(answer, channel) {
  const { data, headers } = answer;
  // The Date header has whole seconds: trust this device's clock unless it is clearly off.
  const serverNow = Date.parse(headers.get('Date') ?? '');
  const skewed = !Number.isNaN(serverNow) && Math.abs(serverNow - Date.now()) > 5000;
  const wait = Date.parse(data.resendAfter) - (skewed ? serverNow : Date.now());
  challenge = { id: data.challengeId, resendAt: Date.now() + Math.max(0, wait), channel: channel ?? challenge?.channel };
  $('code-sent-to').textContent = t(challenge.channel === 'Call' ? 'login.calling' : 'login.smsSent', { phone: data.maskedPhone ?? '' });
  tickResend();
}

function tickResend() {
  clearTimeout(resendTimer);
  const left = Math.ceil((challenge.resendAt - Date.now()) / 1000);
  $('resend').disabled = left > 0;
  $('resend-wait').textContent = left > 0 ? t('login.resendIn', { count: left }) : '';
  if (left > 0) resendTimer = setTimeout(tickResend, 500);
}

$('resend').addEventListener('click', async () => {
  const form = $('code-form');
  $('error', form).hidden = true;
  $('resend').disabled = true;
  try {
    startChallenge(await request('POST', '/api/auth/code/resend', { challengeId: challenge.id }, { auth: false }));
    $('code').value = '';
    $('code').focus();
  } catch (error) {
    showError(error, form);
    if (error instanceof ApiError && error.status === 429) {
      const retryAfter = Number(error.headers.get('Retry-After'));
      if (retryAfter > 0) challenge.resendAt = Date.now() + retryAfter * 1000;
    }
    tickResend();
  }
});

$('change-phone').addEventListener('click', () => {
  clearTimeout(resendTimer);
  challenge = null;
  show('step-phone');
});

// --- Step 2: code --------------------------------------------------------------------------------------------

$('code').addEventListener('input', event => {
  const input = event.target;
  input.value = input.value.replace(/\D/g, '').slice(0, 6);
  if (input.value.length === 6) $('code-form').requestSubmit();
});

onSubmit($('code-form'), async form => {
  const code = String(form.get('code') ?? '').trim();
  const answer = await api('POST', '/api/auth/login', { challengeId: challenge.id, code, deviceId: deviceId() }, { auth: false });
  tokens.store(answer);
  // A seller session left in this browser by another Ozon ID ends here.
  const seller = claims(tokensOf('seller').access);
  if (seller && seller.sub !== answer.ozonId) await endSession('seller');
  clearTimeout(resendTimer);
  showChoose(answer);
});

// --- Step 3: choose ------------------------------------------------------------------------------------------

function showChoose(answer) {
  const box = $('accounts');
  box.replaceChildren();
  const accounts = answer.accounts ?? [];
  for (const account of accounts) box.append(accountChoice(account));
  $('create-company').open = accounts.length === 0;
  $('error', $('step-choose')).hidden = true;
  show('step-choose');
}

function accountChoice(account) {
  const item = el('div', { class: 'choice', dataset: { test: 'account', companyId: account.companyId } });
  const enter = el('button', { type: 'button', dataset: { test: 'enter-company' } }, t('login.enter'));
  item.append(el('div', { class: 'head' },
    el('div', { class: 'grow' },
      el('div', { class: 'title', dataset: { test: 'account-company' } }, account.companyName),
      el('div', { class: 'small muted' }, roleName(account.role))),
    account.trusted ? enter : el('span', { class: 'badge', dataset: { test: 'password-needed' } }, t('login.passwordNeeded'))));

  enter.addEventListener('click', async () => {
    enter.disabled = true;
    try {
      await switchTo(account.companyId);
    } catch (error) {
      if (error instanceof ApiError && error.status === 403 && error.problem?.type?.endsWith('/password-required')) {
        enter.replaceWith(el('span', { class: 'badge', dataset: { test: 'password-needed' } }, t('login.passwordNeeded')));
        item.append(passwordForm());
      }
      showError(error, $('step-choose'));
    } finally {
      enter.disabled = false;
    }
  });

  if (!account.trusted) item.append(passwordForm());
  return item;
}

/** The first login to a seller account on this device: its email and password; the device is trusted after. */
function passwordForm() {
  const form = el('form', { dataset: { test: 'password-form' }, novalidate: true },
    el('div', { class: 'notice error', dataset: { test: 'error' }, role: 'alert', hidden: true }),
    el('p', { class: 'small muted' }, t('login.firstTimeHere')),
    el('div', { class: 'row' },
      el('label', {}, t('login.email'), el('input', { name: 'email', type: 'email', required: true, autocomplete: 'username', dataset: { test: 'password-email' } })),
      el('label', {}, t('login.password'), el('input', { name: 'password', type: 'password', required: true, autocomplete: 'current-password', dataset: { test: 'password-password' } })),
      el('button', { type: 'submit', dataset: { test: 'password-submit' } }, t('login.submit'))));
  onSubmit(form, async data => {
    const answer = await api('POST', '/api/auth/password',
      { email: String(data.get('email') ?? '').trim(), password: String(data.get('password') ?? ''), deviceId: deviceId() },
      { auth: false });
    await enterCompany(answer);
  });
  return form;
}

/** Enters a company of this Ozon ID (no password on a trusted device): a seller session beside the Ozon ID's own. */
async function switchTo(companyId) {
  await enterCompany(await api('POST', '/api/auth/switch', { companyId }));
}

async function enterCompany(sellerTokens) {
  await endSession('seller');
  tokensOf('seller').store(sellerTokens);
  location.assign('seller.html');
}

$('customer-side').addEventListener('click', () => location.assign('customer.html'));
$('referral-side').addEventListener('click', () => location.assign('referral.html'));

onSubmit($('create-company-form'), async form => {
  const created = await api('POST', '/api/companies', {
    name: String(form.get('name') ?? '').trim(),
    directorEmail: String(form.get('directorEmail') ?? '').trim(),
    password: String(form.get('password') ?? ''),
  });
  await switchTo(created.companyId);
});

onSubmit($('link-company-form'), async form => {
  const linked = await api('POST', '/api/me/companies/link', {
    email: String(form.get('email') ?? '').trim(),
    password: String(form.get('password') ?? ''),
  });
  await switchTo(linked.companyId);
});

$('logout').addEventListener('click', async () => {
  await logout();
  show('step-phone');
});

// --- Start: an existing session goes straight to the choice (a refresh also brings the accounts) -------------

(async () => {
  if (!tokens.refresh) {
    show('step-phone');
    return;
  }
  try {
    showChoose(await refreshTokens());
  } catch (error) {
    show('step-phone');
    if (!(error instanceof ApiError && error.status === 401)) showError(error, $('phone-form'));
  }
})();
