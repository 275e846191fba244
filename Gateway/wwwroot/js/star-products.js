// The Star Products tab of the seller page: the company's place in the program (status, free days left and the last
// free day, connect, disconnect with a reason), its connection history, analytics over a chosen window and its
// certificates of services rendered. Everything is read when the tab is first shown; from then on the live events of
// the seller's connection keep it current without a reload. What an event carries is shown at once, and the status is
// read again after it: an event replayed on (re)connect may be days old (its free days left with it), and a re-read
// asked for after the newest event always ends with the current answer.

import { api, ApiError } from './api.js';
import { around, t } from './i18n.js';
import {
  $, el, formatCount, formatDate, formatInstant, formatMoney, formatPercent, invalidInput, onSubmit, roleName, serialReloader,
  toast,
} from './ui.js';

const StatusEvents = new Set(['StarProductsConnected', 'StarProductsDisconnected', 'StarProductsTrialEnded', 'StarProductsUpdated']);
const ConnectionEvents = new Set(['StarProductsConnected', 'StarProductsDisconnected']);
const CertificateEvent = 'StarProductsCertificateIssued';
const CorrectionEvent = 'StarProductsCertificateCorrected';
const Path = '/api/seller/star-products';

/**
 * Sets up the tab inside `panel`.
 * @param {HTMLElement} panel the tab panel holding the markup of seller.html
 * @param {object} options
 * @param {() => void} options.onSessionEnded called when the API answers 401 even after a refresh
 * @returns {{show: () => void, onEvent: (event: object) => void}}
 */
export function starProducts(panel, { onSessionEnded }) {
  const find = name => $(name, panel);
  const certificates = new Map();
  let started = false;
  /** The last status shown: the analytics notice names the day they open from it. */
  let status = null;

  showIntro('…');
  for (const option of find('star-analytics-days').options) option.textContent = t('star.windowDays', { count: Number(option.value) });

  /** An unexpected answer: shown in the card's notice (a 401 ends the session). */
  const failed = error => {
    if (error instanceof ApiError && error.status === 401) {
      onSessionEnded();
      return;
    }
    const notice = find('star-error');
    notice.textContent = error?.message || String(error);
    notice.hidden = false;
    if (!(error instanceof ApiError)) console.error(error);
  };

  const reloadStatus = serialReloader(async () => showStatus(await api('GET', Path)), failed);
  const reloadHistory = serialReloader(loadHistory, failed);
  const reloadAnalytics = serialReloader(loadAnalytics, failed);
  const reloadCertificates = serialReloader(async () => {
    for (const certificate of await api('GET', `${Path}/certificates`)) certificates.set(certificate.period, certificate);
    showCertificates();
  }, failed);

  // --- Status, connect and disconnect ------------------------------------------------------------------------

  /** The program's terms, with the fee rate in its place in the sentence. */
  function showIntro(fee) {
    const rate = find('star-fee-rate-text');
    rate.textContent = fee;
    find('star-intro').replaceChildren(...around('star.intro', 'fee', rate));
  }

  function showStatus(current) {
    status = current;
    const badge = find('star-status');
    badge.textContent = t(status.connected ? 'star.connected' : 'star.notConnected');
    badge.className = status.connected ? 'badge status ok' : 'badge off';
    badge.dataset.connected = String(status.connected);

    const left = find('star-trial-days-left');
    left.textContent = formatCount(status.trialDaysLeft);
    left.dataset.value = String(status.trialDaysLeft);

    const endsOn = find('star-trial-ends-on');
    endsOn.dataset.value = status.trialEndsOn ?? '';
    let hint;
    if (status.trialEndsOn) {
      endsOn.textContent = formatDate(status.trialEndsOn);
      hint = t('star.trial.endsHint');
    } else if (status.trialDaysLeft > 0 && !status.analyticsAvailableFrom) {
      // Never connected: analytics open a fixed time after the first connection, so their date is unset until then.
      endsOn.textContent = t('star.trial.notStarted');
      hint = t('star.trial.notStartedHint');
    } else if (status.trialDaysLeft > 0) {
      endsOn.textContent = t('star.trial.paused');
      hint = t('star.trial.pausedHint', { count: status.trialDaysLeft });
    } else {
      endsOn.textContent = t('star.trial.usedUp');
      hint = t('star.trial.usedUpHint');
    }
    find('star-trial-hint').textContent = hint;

    const fee = formatPercent(status.feeRate);
    find('star-fee-rate').textContent = fee;
    find('star-fee-rate').dataset.value = String(status.feeRate);
    showIntro(fee);
    find('star-moderated-products').textContent = formatCount(status.moderatedProducts);
    find('star-connected-since').textContent = status.connectedSince ? formatInstant(status.connectedSince) : '—';
    find('star-analytics-from').textContent = status.analyticsAvailableFrom
      ? formatInstant(status.analyticsAvailableFrom)
      : t('star.analyticsAfterFirstConnection');
    const analyticsNotice = find('star-analytics-notice');
    if (!analyticsNotice.hidden) analyticsNotice.textContent = analyticsClosed();

    // The moderation count can be older than the marketplace's feed: the server decides whether joining is allowed.
    find('star-moderation-hint').hidden = status.connected || status.moderatedProducts > 0;
    find('star-connect').hidden = status.connected;
    find('star-disconnect').hidden = !status.connected;
    if (!status.connected) toggleDisconnectForm(false);
  }

  find('star-connect').addEventListener('click', async event => {
    const button = event.currentTarget;
    button.disabled = true;
    find('star-error').hidden = true;
    try {
      showStatus(await api('POST', `${Path}/connect`));
      toast(t('star.connectedToast'));
      reloadHistory();
      reloadAnalytics();
    } catch (error) {
      failed(error);
    } finally {
      button.disabled = false;
    }
  });

  const disconnectForm = find('star-disconnect-form');

  function toggleDisconnectForm(open = disconnectForm.hidden) {
    disconnectForm.hidden = !open;
    find('star-disconnect').setAttribute('aria-expanded', String(open));
    if (open) {
      $('error', disconnectForm).hidden = true;
      find('star-disconnect-reason').focus();
    } else {
      disconnectForm.reset();
    }
  }

  find('star-disconnect').addEventListener('click', () => toggleDisconnectForm());
  find('star-disconnect-close').addEventListener('click', () => toggleDisconnectForm(false));

  onSubmit(disconnectForm, async data => {
    const reason = String(data.get('reason') ?? '').trim();
    if (!reason) throw invalidInput(t('star.disconnectReasonRequired'));
    find('star-error').hidden = true;
    showStatus(await api('POST', `${Path}/disconnect`, { reason }));
    toggleDisconnectForm(false);
    toast(t('star.disconnectedToast'));
    reloadHistory();
  });

  // --- Connection history (the API shows it only while connected) --------------------------------------------

  async function loadHistory() {
    const list = find('star-history');
    const notice = find('star-history-notice');
    let entries;
    try {
      entries = await api('GET', `${Path}/history`);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 403)) throw error;
      notice.textContent = error.message;
      notice.hidden = false;
      list.replaceChildren();
      return;
    }
    notice.hidden = true;
    list.replaceChildren(...entries.map(historyEntry));
    if (entries.length === 0) list.append(el('li', { class: 'empty' }, t('star.noHistory')));
  }

  function historyEntry(entry) {
    const connect = entry.action === 'Connect';
    const trial = entry.trialEndsOn
      ? t('star.historyTrialUntil', { date: formatDate(entry.trialEndsOn) })
      : t('star.historyTrialLeft', { count: entry.trialDaysLeft });
    return el('li', { dataset: { test: 'star-history-entry', action: entry.action } },
      el('div', { class: 'grow' },
        el('div', { class: 'title' },
          el('span', { class: connect ? 'badge status ok' : 'badge off' }, t(connect ? 'star.historyConnect' : 'star.historyDisconnect')),
          ' ',
          el('time', { datetime: entry.at }, formatInstant(entry.at))),
        el('div', { class: 'small muted' }, t('star.historyWho', { email: entry.email, role: roleName(entry.role), trial })),
        entry.reason
          ? el('div', { class: 'small', dataset: { test: 'star-history-reason' } }, t('star.historyReason', { reason: entry.reason }))
          : null));
  }

  // --- Analytics --------------------------------------------------------------------------------------------

  const windowSelect = find('star-analytics-days');
  windowSelect.addEventListener('change', () => reloadAnalytics());

  async function loadAnalytics() {
    const notice = find('star-analytics-notice');
    const box = find('star-analytics');
    let analytics;
    try {
      analytics = await api('GET', `${Path}/analytics?days=${encodeURIComponent(windowSelect.value)}`);
    } catch (error) {
      // Before day 14 of the program analytics are closed: the notice says when they open.
      if (!(error instanceof ApiError && error.status === 409)) throw error;
      notice.textContent = analyticsClosed();
      notice.hidden = false;
      box.hidden = true;
      return;
    }
    notice.hidden = true;
    box.hidden = false;
    box.dataset.days = String(analytics.days);
    find('star-analytics-share').textContent = formatPercent(analytics.activeCustomerShare);
    find('star-analytics-customers').textContent = t('star.analyticsCustomers', { buyers: analytics.buyers, viewers: analytics.viewers });
    find('star-analytics-turnover').textContent = formatMoney(analytics.turnover);
    find('star-analytics-views').textContent = formatCount(analytics.views);
    find('star-analytics-period').textContent =
      t('star.analyticsPeriod', { from: formatDate(analytics.from), to: formatDate(analytics.to) });
  }

  /** Why analytics are closed: they open a fixed time after the first connection, on the day the status names. */
  function analyticsClosed() {
    return status?.analyticsAvailableFrom
      ? t('star.analyticsOpensAt', { at: formatInstant(status.analyticsAvailableFrom) })
      : t('star.analyticsOpenAfterConnecting');
  }

  // --- Certificates -----------------------------------------------------------------------------------------

  function showCertificates(fresh) {
    const body = find('star-certificates');
    const rows = [...certificates.values()].sort((a, b) => String(b.from).localeCompare(String(a.from))).map(c =>
      el('tr', { class: c.period === fresh ? 'fresh' : '', dataset: { test: 'star-certificate', period: c.period, issued: String(c.issued) } },
        el('td', {}, t('star.period', { from: formatDate(c.from), to: formatDate(c.to) })),
        el('td', { class: 'num' }, formatCount(c.orders)),
        el('td', { class: 'num' }, formatCount(c.units)),
        el('td', { class: 'num' }, formatMoney(c.compensation)),
        el('td', { class: 'num', dataset: { test: 'star-certificate-fees' } }, formatMoney(c.fees),
          ...(c.corrections?.length
            ? [el('div', { class: 'small muted', dataset: { test: 'star-certificate-corrections' } },
                t('star.corrections', { amount: formatMoney(c.totalFees - c.fees), count: c.corrections.length }))]
            : [])),
        el('td', {}, el('span', { class: c.issued ? 'badge status ok' : 'badge status wait' }, t(c.issued ? 'star.issued' : 'star.periodOpen')))));
    if (rows.length === 0) {
      rows.push(el('tr', {}, el('td', { class: 'empty', colspan: '6' }, t('star.noCertificates'))));
    }
    body.replaceChildren(...rows);
  }

  return {
    /** The tab was shown: the first time, everything is read. */
    show() {
      if (started) return;
      started = true;
      reloadStatus();
      reloadHistory();
      reloadAnalytics();
      reloadCertificates();
    },

    /** A live event of the seller's connection; before the first show there is nothing to update. */
    onEvent(event) {
      if (!started) return;
      if (StatusEvents.has(event.type)) {
        if (typeof event.data?.connected === 'boolean') showStatus(event.data);
        reloadStatus();
        if (ConnectionEvents.has(event.type)) {
          reloadHistory();
          reloadAnalytics();
        }
      } else if (event.type === CertificateEvent && event.data?.period) {
        certificates.set(event.data.period, event.data);
        showCertificates(event.data.period);
      } else if (event.type === CorrectionEvent) {
        reloadCertificates();
      }
    },
  };
}
