// The two programs through the web pages in headless Chromium, each page live and never reloaded.
//
//   node tests/browser/programs.mjs <baseUrl> <sellerPhone> <managerPhone> [internalApiKey] [lang] [viewport] [screenshotDir]
//
// lang (ru, the default, or en) and viewport (desktop, the default, or phone) as in returns-flow.mjs: every state on the
// way is checked in that language, without sideways overflow, axe-core clean.
//
// Star Products: a seller logs in, creates a company and opens the Star Products tab of seller.html, which shows it
// not connected, with the history hidden (the API's 403 detail) and analytics not open (its 409 detail). The
// marketplace records one of its products as moderated (POST /api/internal/products with the X-Api-Key); the seller
// clicks Connect and the tab shows it connected, with the free days left and the last free day the API gives. A
// disconnect without a reason is refused in the form; with a reason (markup, shown as text) the tab shows it
// disconnected. Then the marketplace connects the seller itself (POST /api/internal/star-products/connect): the tab
// follows from the live event alone, and the history shows the system's connection and the seller's reason.
//
// Referral rewards: a manager logs in and opens referral.html from the "Where to?" step. The marketplace posts an
// earning (POST /api/internal/referral/earnings): the pending points and the ledger follow without a reload. A
// withdrawal above the balance shows the API's 409 detail in the form; after a correction credits points (its
// ledger entry, live, moves the balance), a withdrawal through the form goes through.
//
// Prints one JSON line ({ok, ...}) with what the pages showed and what the API answered, and exits 0 or 1; on failure
// screenshots of both pages are saved and their paths printed; with a screenshotDir, every checked state is pictured there.

import {
  checkPage, claim, finish, getWithToken, launch, liveTimeout, logIn, message, newContext, observe, postInternal, problemMessage,
  recordFailure, startRun, t, watchReloads,
} from './support.mjs';

const run = startRun('programs.mjs', ['baseUrl', 'sellerPhone', 'managerPhone', 'internalApiKey?', 'lang?', 'viewport?', 'screenshotDir?']);
const { base, started, steps, pageErrors, consoleErrors, result } = run;
const { sellerPhone, managerPhone, internalApiKey: internalKey = 'dev-internal-key', lang = 'ru', viewport = 'desktop', screenshotDir } = run.args;
const findings = [];
result.findings = findings;
/** Checks the page as it is now; the screenshot is named `<lang>-<viewport>-<label>`. */
const check = (page, label) => checkPage(page, `${lang}-${viewport}-${label}`, { lang, findings, screenshotDir });
const suffix = Date.now().toString(36);
// Markup in the reason: the history must show it as text, and the handler must never run.
const reason = `Fees are too high <img src=x onerror="window.__xss=1"> ${suffix}`;

function step(name, extra = {}) {
  steps.push({ name, atMs: Date.now() - started, ...extra });
}

/** What the Star Products tab shows now. */
async function starFacts(page) {
  return page.locator(t('panel-star-products')).evaluate(panel => {
    const node = name => panel.querySelector(`[data-test="${name}"]`);
    const visible = name => { const n = node(name); return !!n && !n.hidden && n.offsetParent !== null; };
    return {
      connected: node('star-status').dataset.connected,
      statusText: node('star-status').textContent,
      trialDaysLeft: Number(node('star-trial-days-left').dataset.value),
      trialEndsOn: node('star-trial-ends-on').dataset.value || null,
      feeRate: Number(node('star-fee-rate').dataset.value),
      connectVisible: visible('star-connect'),
      disconnectVisible: visible('star-disconnect'),
      historyNotice: visible('star-history-notice') ? node('star-history-notice').textContent : null,
      history: Array.from(panel.querySelectorAll('[data-test="star-history-entry"]'), e => ({
        action: e.dataset.action,
        text: e.textContent,
        reason: e.querySelector('[data-test="star-history-reason"]')?.textContent ?? null,
      })),
      analyticsNotice: visible('star-analytics-notice') ? node('star-analytics-notice').textContent : null,
      markupElements: panel.querySelectorAll('img').length,
    };
  });
}

/** Waits until the tab shows `connected` ('true' or 'false'). */
function starStatus(page, connected) {
  return page.locator(`${t('star-status')}[data-connected="${connected}"]`).waitFor({ timeout: liveTimeout });
}

let browser;
const pages = {};
try {
  browser = await launch();
  const seller = pages.seller = await (await newContext(browser, { lang, viewport })).newPage();
  const manager = pages.manager = await (await newContext(browser, { lang, viewport })).newPage();
  observe(seller, 'seller', pageErrors, consoleErrors);
  observe(manager, 'manager', pageErrors, consoleErrors);

  // 1. The seller: log in, create a company, open the Star Products tab with the live feed up.
  await logIn(seller, base, sellerPhone);
  await seller.locator(t('new-company-name')).fill(`Star Shop ${suffix}`);
  result.sellerEmail = `director-${suffix}-${sellerPhone}@example.com`;
  await seller.locator(t('new-company-email')).fill(result.sellerEmail);
  await seller.locator(t('new-company-password')).fill('correct horse battery');
  await Promise.all([seller.waitForURL(/seller\.html$/), seller.locator(t('create-company-submit')).click()]);
  await seller.locator(`${t('live-status')}[data-state="live"]`).waitFor({ timeout: liveTimeout });
  const sellerId = await claim(seller, 'ozon.seller.accessToken', 'company');
  if (!sellerId) throw new Error('The seller page token is not scoped to a company.');
  result.sellerId = sellerId;
  const sellerWatch = await watchReloads(seller);
  await seller.locator(t('tab-star-products')).click();
  await seller.locator(t('panel-star-products')).waitFor({ state: 'visible' });
  if (await seller.locator(t('panel-returns')).isVisible()) throw new Error('The returns panel stays visible beside the Star Products tab.');
  if (await seller.locator(t('tab-star-products')).getAttribute('aria-selected') !== 'true') throw new Error('The Star Products tab is not marked selected.');
  await starStatus(seller, 'false');
  await seller.locator(t('star-history-notice')).waitFor();
  await seller.locator(t('star-analytics-notice')).waitFor();
  const before = await starFacts(seller);
  result.starBefore = before;
  if (!before.connectVisible || before.disconnectVisible) throw new Error(`Before joining the tab shows ${JSON.stringify(before)}.`);
  await check(seller, 'star-not-connected');
  step('star products tab open');

  // The seller's own API answers, read with the page's token, are what the page must show.
  const sellerToken = () => seller.evaluate(() => localStorage.getItem('ozon.seller.accessToken'));
  const starApi = async path => getWithToken(base, `api/seller/star-products${path}`, await sellerToken());
  const historyBefore = await starApi('/history');
  const analyticsBefore = await starApi('/analytics?days=30');
  result.api = { statusBefore: (await starApi('')).body, historyBefore, analyticsBefore };
  if (historyBefore.status !== 403 || before.historyNotice !== problemMessage(lang, historyBefore.body)) {
    throw new Error(`The history notice reads "${before.historyNotice}"; the API answered ${historyBefore.status} ${JSON.stringify(historyBefore.body)}.`);
  }
  // Analytics are closed (409) until a while after the first connection: before it, the notice says so in words.
  if (analyticsBefore.status !== 409 || before.analyticsNotice !== message(lang, 'star.analyticsOpenAfterConnecting')) {
    throw new Error(`The analytics notice reads "${before.analyticsNotice}"; the API answered ${analyticsBefore.status} ${JSON.stringify(analyticsBefore.body)}.`);
  }

  // 2. A product passes moderation; the seller connects.
  const productId = `star-${suffix}`;
  await postInternal(base, internalKey, 'api/internal/products', { productId, sellerId, moderated: true });
  const connecting = Date.now();
  await seller.locator(t('star-connect')).click();
  await starStatus(seller, 'true');
  step('connected', { ms: Date.now() - connecting });
  await seller.locator(`${t('star-history-entry')}[data-action="Connect"]`).waitFor();
  await seller.locator(`${t('live-event')}[data-type="StarProductsConnected"]`).waitFor({ timeout: liveTimeout });
  const connected = await starFacts(seller);
  const statusConnected = (await starApi('')).body;
  result.starConnected = connected;
  result.api.statusConnected = statusConnected;
  if (!statusConnected.connected) throw new Error(`The API says the seller is not connected: ${JSON.stringify(statusConnected)}.`);
  if (connected.trialDaysLeft !== statusConnected.trialDaysLeft || connected.trialEndsOn !== statusConnected.trialEndsOn) {
    throw new Error(`The tab shows ${connected.trialDaysLeft} free days to ${connected.trialEndsOn}; the API ${statusConnected.trialDaysLeft} to ${statusConnected.trialEndsOn}.`);
  }
  if (connected.feeRate !== statusConnected.feeRate) throw new Error(`The tab shows the fee ${connected.feeRate}; the API ${statusConnected.feeRate}.`);
  if (connected.connectVisible || !connected.disconnectVisible || connected.historyNotice !== null) {
    throw new Error(`Once connected the tab shows ${JSON.stringify(connected)}.`);
  }
  await check(seller, 'star-connected');
  await sellerWatch.check('seller');

  // 3. Disconnecting needs a reason: the form refuses an empty one; with one, the tab shows the seller disconnected.
  await seller.locator(t('star-disconnect')).click();
  const form = seller.locator(t('star-disconnect-form'));
  await form.locator(t('star-disconnect-submit')).click();
  await form.locator(t('error')).waitFor();
  await check(seller, 'star-disconnect-form');
  if ((await starFacts(seller)).connected !== 'true') throw new Error('A disconnect without a reason went through.');
  await form.locator(t('star-disconnect-reason')).fill(reason);
  const disconnecting = Date.now();
  await form.locator(t('star-disconnect-submit')).click();
  await starStatus(seller, 'false');
  step('disconnected', { ms: Date.now() - disconnecting });
  await seller.locator(`${t('live-event')}[data-type="StarProductsDisconnected"]`).waitFor({ timeout: liveTimeout });
  await seller.locator(t('star-history-notice')).waitFor();
  const disconnected = await starFacts(seller);
  const statusDisconnected = (await starApi('')).body;
  result.starDisconnected = disconnected;
  result.api.statusDisconnected = statusDisconnected;
  if (statusDisconnected.connected || disconnected.trialDaysLeft !== statusDisconnected.trialDaysLeft) {
    throw new Error(`The tab shows ${JSON.stringify(disconnected)}; the API ${JSON.stringify(statusDisconnected)}.`);
  }
  if (!disconnected.connectVisible || disconnected.disconnectVisible || await form.isVisible()) throw new Error(`Once disconnected the tab shows ${JSON.stringify(disconnected)}.`);

  // 4. The marketplace connects the seller itself: only the live event can tell the page.
  const autoConnecting = Date.now();
  await postInternal(base, internalKey, 'api/internal/star-products/connect', { sellerId }, 200);
  await starStatus(seller, 'true');
  step('system connection shown live', { ms: Date.now() - autoConnecting });
  await seller.locator(`${t('star-history-entry')}[data-action="Disconnect"]`).waitFor();
  const reconnected = await starFacts(seller);
  const statusReconnected = (await starApi('')).body;
  result.starReconnected = reconnected;
  result.api.statusReconnected = statusReconnected;
  result.api.historyReconnected = (await starApi('/history')).body;
  if (reconnected.trialDaysLeft !== statusReconnected.trialDaysLeft || reconnected.trialEndsOn !== statusReconnected.trialEndsOn) {
    throw new Error(`After the system connection the tab shows ${reconnected.trialDaysLeft} to ${reconnected.trialEndsOn}; the API ${JSON.stringify(statusReconnected)}.`);
  }
  await check(seller, 'star-reconnected');
  if (reconnected.history.length !== 3 || reconnected.history[0].action !== 'Connect') {
    throw new Error(`The history shows ${JSON.stringify(reconnected.history)}.`);
  }
  if (reconnected.history[1].reason !== message(lang, 'star.historyReason').replace('{reason}', reason) || reconnected.markupElements !== 0) {
    throw new Error(`The history shows the reason as "${reconnected.history[1].reason}" (${reconnected.markupElements} elements).`);
  }
  await sellerWatch.check('seller');

  // 5. The manager opens referral.html from the "Where to?" step.
  await logIn(manager, base, managerPhone);
  await Promise.all([manager.waitForURL(/referral\.html$/), manager.locator(t('referral-side')).click()]);
  await manager.locator(`${t('live-status')}[data-state="live"]`).waitFor({ timeout: liveTimeout });
  await manager.locator(`${t('referral-pending')}[data-value="0"]`).waitFor();
  await manager.locator(t('ledger-empty')).waitFor();
  await check(manager, 'referral-empty');
  const managerId = await claim(manager, 'ozon.accessToken', 'sub');
  result.managerId = managerId;
  const managerWatch = await watchReloads(manager);
  step('referral page open');

  // 6. An earning arrives: the pending points and the ledger follow live.
  const earning = Date.now();
  const earningId = `earn-${suffix}`;
  await postInternal(base, internalKey, 'api/internal/referral/earnings',
    { earningId, managerId, points: 150, at: new Date(Date.now() - 60_000).toISOString() });
  await manager.locator(`${t('referral-pending')}[data-value="150"]`).waitFor({ timeout: liveTimeout });
  step('pending points shown live', { ms: Date.now() - earning });
  await manager.locator(`${t('ledger-entry')}[data-kind="Earned"]`).waitFor({ timeout: liveTimeout });
  const managerToken = await manager.evaluate(() => localStorage.getItem('ozon.accessToken'));
  const summary = (await getWithToken(base, 'api/referral/me', managerToken)).body;
  const ledger = (await getWithToken(base, 'api/referral/me/ledger', managerToken)).body;
  result.api.referral = summary;
  result.api.ledger = ledger;
  result.referral = await manager.evaluate(() => {
    const node = name => document.querySelector(`[data-test="${name}"]`);
    return {
      pending: Number(node('referral-pending').dataset.value),
      balance: Number(node('referral-balance').dataset.value),
      spend: Number(node('referral-spend').dataset.value),
      left: Number(node('referral-left').dataset.value),
      month: node('referral-month').dataset.value,
      nextRewardDate: node('referral-next-reward').dataset.value,
      ledger: Array.from(document.querySelectorAll('[data-test="ledger-entry"]'), row => ({
        sequence: Number(row.dataset.sequence),
        kind: row.dataset.kind,
        points: row.querySelector('[data-test="ledger-points"]').textContent,
      })),
    };
  });
  const shown = result.referral;
  if (shown.pending !== summary.pendingPoints || shown.balance !== summary.balance || shown.spend !== summary.qualifyingSpend
    || shown.left !== summary.leftToQualify || shown.month !== summary.month || shown.nextRewardDate !== summary.nextRewardDate) {
    throw new Error(`The referral page shows ${JSON.stringify(shown)}; the API ${JSON.stringify(summary)}.`);
  }
  if (shown.ledger.length !== ledger.length || shown.ledger[0].sequence !== ledger.at(-1).sequence) {
    throw new Error(`The ledger shows ${JSON.stringify(shown.ledger)}; the API ${JSON.stringify(ledger)}.`);
  }

  // 6b. The receipt of an order placed two months ago arrives only now, after that month's reward date: it becomes a
  //     visible correction of the open month, shown live in the page's corrections list.
  const lateOrder = `late-${suffix}`;
  const twoMonthsAgo = new Date(Date.now() - 62 * 86_400_000).toISOString();
  const order = status => ({
    orderId: lateOrder, managerId, status, at: twoMonthsAgo, items: [{ amount: 3000, kind: 'Regular' }],
    deliveryCost: 0, pointsUsed: 0, bonusesUsed: 0, legalEntity: false,
  });
  await postInternal(base, internalKey, 'api/internal/referral/orders', order('Placed'));
  await postInternal(base, internalKey, 'api/internal/referral/orders', order('Received'));
  const correction = manager.locator(`${t('referral-correction')}[data-order-id="${lateOrder}"]`);
  await correction.waitFor({ timeout: liveTimeout });
  result.referralCorrection = { reason: await correction.getAttribute('data-reason'), amount: Number(await correction.getAttribute('data-amount')), text: await correction.textContent() };
  if (result.referralCorrection.reason !== 'LateReceipt' || result.referralCorrection.amount !== 3000) {
    throw new Error(`The corrections list shows ${JSON.stringify(result.referralCorrection)}.`);
  }
  await check(manager, 'referral-correction');
  step('late receipt shown as a correction');

  // 7. A withdrawal above the balance: the form shows the API's 409 detail.
  await manager.locator(t('withdraw-points')).fill('10');
  await manager.locator(t('withdraw-submit')).click();
  const withdrawError = manager.locator(`${t('withdraw-form')} ${t('error')}`);
  await withdrawError.waitFor();
  result.withdrawError = await withdrawError.textContent();
  if (result.withdrawError !== message(lang, 'errors.insufficient-balance')) throw new Error(`The withdrawal form shows "${result.withdrawError}".`);
  await check(manager, 'referral-withdraw-refused');

  // 8. A correction credits 50 points (its ledger entry is the only event): the balance follows live; then 10 are
  //    withdrawn through the form, and the balance and the ledger show it.
  await postInternal(base, internalKey, 'api/internal/referral/corrections',
    { managerId, correctionId: `fix-${suffix}`, points: 50, note: 'Goodwill <b>credit</b>' }, 200);
  await manager.locator(`${t('referral-balance')}[data-value="50"]`).waitFor({ timeout: liveTimeout });
  await manager.locator(t('withdraw-submit')).click();
  await manager.locator(`${t('ledger-entry')}[data-kind="Withdrawn"]`).waitFor();
  await manager.locator(`${t('referral-balance')}[data-value="40"]`).waitFor();
  if (await withdrawError.isVisible()) throw new Error('The withdrawal error stayed after a withdrawal that went through.');
  const ledgerAfter = (await getWithToken(base, 'api/referral/me/ledger', managerToken)).body;
  result.api.ledgerAfter = ledgerAfter;
  result.ledgerKinds = await manager.locator(t('ledger-entry')).evaluateAll(rows => rows.map(row => row.dataset.kind));
  if (result.ledgerKinds.join() !== ledgerAfter.map(e => e.kind).reverse().join()) {
    throw new Error(`The ledger shows ${result.ledgerKinds}; the API ${ledgerAfter.map(e => e.kind)}.`);
  }
  if (await manager.locator(`${t('ledger')} b`).count() !== 0) throw new Error('The ledger shows the correction note as markup.');
  step('correction and withdrawal shown');
  await check(manager, 'referral-withdrawn');
  await managerWatch.check('manager');
  await sellerWatch.check('seller');
  if (pageErrors.length > 0) throw new Error(`A page threw: ${pageErrors.join(' | ')}`);

  if (findings.length > 0) throw new Error(`Page checks failed:\n${findings.join('\n')}`);

  Object.assign(result, { ok: true, reloaded: false });
} catch (error) {
  await recordFailure(result, error, pages, 'programs');
}

await finish(result, browser, { started, pageErrors, consoleErrors });
