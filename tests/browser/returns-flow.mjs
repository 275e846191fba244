// A return request through the web pages in headless Chromium, with the seller and the customer in separate browser
// contexts, both pages live and never reloaded.
//
//   node tests/browser/returns-flow.mjs <baseUrl> <customerPhone> <sellerPhone> [internalApiKey] [lang] [viewport] [screenshotDir]
//
// lang is ru (the default) or en, the browser's language; viewport is desktop (the default) or phone (375×812). Every
// page and state on the way is checked (checkPage): in that language, no sideways overflow, axe-core clean.
//
// The seller logs in, creates a company and stays on seller.html. The customer logs in; the marketplace records a
// delivered order for them (POST /api/internal/orders with the X-Api-Key); the customer opens customer.html and
// creates a return request from the order line. The seller's page shows the request without reloading; the seller
// offers a partial compensation, which the customer's page shows and the customer refuses; the seller approves; the
// customer's page shows Approved without reloading; the customer ships it through the row's inline form and the
// seller's page shows it on the way, with the tracking number. Finally the seller downloads the CSV
// report. The product name carries markup, which both pages must show as text. Prints one JSON line ({ok, ...}) and
// exits 0 or 1; on failure screenshots of both pages are saved and their paths printed; with a screenshotDir, every
// checked state is pictured there.

import {
  checkPage, claim, finish, launch, liveTimeout, logIn, message, newContext, observe, recordFailure, startRun, t, watchReloads,
} from './support.mjs';

const run = startRun('returns-flow.mjs', ['baseUrl', 'customerPhone', 'sellerPhone', 'internalApiKey?', 'lang?', 'viewport?', 'screenshotDir?']);
const { base, started, steps, pageErrors, consoleErrors, result } = run;
const { customerPhone, sellerPhone, internalApiKey: internalKey = 'dev-internal-key', lang = 'ru', viewport = 'desktop', screenshotDir } = run.args;
const findings = [];
result.findings = findings;
/** Checks the page as it is now; the screenshot is named `<lang>-<viewport>-<label>`. */
const check = (page, label) => checkPage(page, `${lang}-${viewport}-${label}`, { lang, findings, screenshotDir });
const suffix = Date.now().toString(36);
// Markup in the product name: the pages must show it as text, and the handler must never run.
const productName = `Kettle <img src=x onerror="window.__xss=1"> "steel" ${suffix}`;

function step(name, extra = {}) {
  steps.push({ name, atMs: Date.now() - started, ...extra });
}

/** The row of the request on a page, once it shows `status`. */
function row(page, returnId, status) {
  return page.locator(`${t('return')}[data-return-id="${returnId}"]${status ? `[data-status="${status}"]` : ''}`);
}

/** An instant as the pages write it in Moscow time (UTC+3 all year): `28.11.2026 21:00` in Russian, `28/11/2026 21:00` in English. */
function moscowTime(iso) {
  const at = new Date(Date.parse(iso) + 3 * 3_600_000);
  const two = n => String(n).padStart(2, '0');
  const date = [two(at.getUTCDate()), two(at.getUTCMonth() + 1), at.getUTCFullYear()].join(lang === 'ru' ? '.' : '/');
  return `${date} ${two(at.getUTCHours())}:${two(at.getUTCMinutes())}`;
}

async function rowFacts(locator) {
  return locator.evaluate(item => {
    const text = name => item.querySelector(`[data-test="${name}"]`)?.textContent ?? null;
    return {
      product: text('return-product'),
      quantity: text('return-quantity'),
      price: item.querySelector('[data-test="return-price"]')?.dataset.value ?? null,
      status: item.querySelector('[data-test="return-status"]')?.dataset.status ?? null,
      statusText: text('return-status'),
      nextActor: item.querySelector('[data-test="return-next-actor"]')?.dataset.actor ?? null,
      dueAt: item.querySelector('[data-test="return-due"]')?.dataset.at ?? null,
      note: text('return-note'),
      actions: Array.from(item.querySelectorAll('[data-test="return-action"]'), b => b.dataset.action),
      markupElements: item.querySelectorAll('img').length,
    };
  });
}

let browser;
const pages = {};
try {
  browser = await launch();
  // The seller's browser is in New York: deadlines must still read in Moscow time.
  const sellerContext = await newContext(browser, { lang, viewport, acceptDownloads: true, timezoneId: 'America/New_York' });
  const customerContext = await newContext(browser, { lang, viewport });
  const seller = pages.seller = await sellerContext.newPage();
  const customer = pages.customer = await customerContext.newPage();
  observe(seller, 'seller', pageErrors, consoleErrors);
  observe(customer, 'customer', pageErrors, consoleErrors);

  // 1. The seller: log in, create a company, land on seller.html with its live feed up and an empty returns list.
  await seller.goto(base);
  await seller.locator(t('step-phone')).waitFor({ state: 'visible' });
  await check(seller, 'login-phone');
  await logIn(seller, base, sellerPhone);
  await check(seller, 'login-choose');
  await seller.locator(t('new-company-name')).fill(`Returns Shop ${suffix}`);
  await seller.locator(t('new-company-email')).fill(`director-${suffix}-${sellerPhone}@example.com`);
  await seller.locator(t('new-company-password')).fill('correct horse battery');
  await Promise.all([seller.waitForURL(/seller\.html$/), seller.locator(t('create-company-submit')).click()]);
  await seller.locator(`${t('live-status')}[data-state="live"]`).waitFor({ timeout: liveTimeout });
  await seller.locator(t('returns-empty')).waitFor();
  await check(seller, 'seller-empty');
  const sellerId = await claim(seller, 'ozon.seller.accessToken', 'company');
  if (!sellerId) throw new Error('The seller page token is not scoped to a company.');
  result.sellerId = sellerId;
  const sellerWatch = await watchReloads(seller);
  step('seller page open');

  // 2. The customer logs in; the marketplace records the delivered order; then the customer side opens.
  await logIn(customer, base, customerPhone);
  const customerId = await claim(customer, 'ozon.accessToken', 'sub');
  result.customerId = customerId;
  const orderId = `ord-browser-${suffix}`;
  const recorded = await fetch(new URL('api/internal/orders', base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Api-Key': internalKey },
    body: JSON.stringify({
      orderId, customerId, sellerId, deliveredAt: new Date(Date.now() - 86_400_000).toISOString(), crossBorder: false,
      lines: [{ lineId: 'L1', productId: 'P1', name: productName, category: 'Other', price: 5000, quantity: 2, technicallyComplex: false }],
    }),
  });
  if (recorded.status !== 202) throw new Error(`POST /api/internal/orders answered ${recorded.status}: ${await recorded.text()}`);
  result.orderId = orderId;
  step('order recorded');

  await Promise.all([customer.waitForURL(/customer\.html$/), customer.locator(t('customer-side')).click()]);
  await customer.locator(`${t('live-status')}[data-state="live"]`).waitFor({ timeout: liveTimeout });
  const line = customer.locator(`${t('order-line')}[data-order-id="${orderId}"][data-line-id="L1"]`);
  await line.waitFor();
  const lineName = await line.locator(t('line-name')).textContent();
  if (lineName !== productName) throw new Error(`The order line shows "${lineName}", not the product name as text.`);
  const returnableBefore = await line.locator(t('line-returnable')).getAttribute('data-quantity');
  if (returnableBefore !== '2') throw new Error(`The line shows ${returnableBefore} returnable, not 2.`);
  await customer.locator(t('returns-empty')).waitFor();
  await check(customer, 'customer-orders');
  const customerWatch = await watchReloads(customer);
  step('customer page open');

  // 3. The customer creates the request from the order line's form.
  await line.locator(t('return-open')).click();
  const form = line.locator(t('create-return-form'));
  await form.locator(t('create-quantity')).fill('1');
  await form.locator(t('create-quality')).selectOption('Improper');
  await form.locator(t('create-reason')).fill('The lid does not close <b>at all</b>');
  await form.locator(t('create-photo')).fill('https://example.com/photos/lid.jpg');
  await check(customer, 'customer-create-form');
  const created = Date.now();
  await form.locator(t('create-submit')).click();
  const customerRow = customer.locator(`${t('return')}[data-status="New"]`);
  await customerRow.waitFor();
  const returnId = await customerRow.getAttribute('data-return-id');
  result.returnId = returnId;
  await customer.locator(`${t('order-line')}[data-order-id="${orderId}"] ${t('line-returnable')}[data-quantity="1"]`).waitFor();
  step('request created', { ms: Date.now() - created });

  // 4. The seller's page shows it, without reloading, with the seller's actions.
  await row(seller, returnId, 'New').waitFor({ timeout: liveTimeout });
  const sellerNew = await rowFacts(row(seller, returnId));
  result.sellerNew = sellerNew;
  step('seller sees the request', { ms: Date.now() - created });
  if (sellerNew.product !== productName || sellerNew.markupElements !== 0) throw new Error(`The seller row shows the product as "${sellerNew.product}" (${sellerNew.markupElements} elements).`);
  if (sellerNew.quantity !== '1' || Number(sellerNew.price) !== 5000) throw new Error(`The seller row shows ${JSON.stringify(sellerNew)}.`);
  if (sellerNew.nextActor !== 'Seller' || !sellerNew.dueAt) throw new Error(`The seller row shows next actor ${sellerNew.nextActor}, due ${sellerNew.dueAt}.`);
  for (const action of ['Approve', 'Reject', 'OfferCompensation', 'Message']) {
    if (!sellerNew.actions.includes(action)) throw new Error(`The seller row lacks ${action}: ${sellerNew.actions}.`);
  }
  // The deadline in Moscow time with the zone named («до 30.11.2026 12:24 МСК»), whatever the browser's zone; a New
  // request has under a day left, so its row is marked, and its hint never rounds up to a whole day.
  const dueText = await row(seller, returnId).locator(t('return-due')).textContent();
  const expectedDue = message(lang, 'common.deadline').replace('{at}', moscowTime(sellerNew.dueAt));
  if (dueText !== expectedDue) throw new Error(`The seller row's deadline reads "${dueText}", not "${expectedDue}".`);
  const dueHint = await row(seller, returnId).locator(t('return-due-hint')).textContent();
  const soonPrefix = message(lang, 'returns.dueSoon').split('{left}')[0];
  if (await row(seller, returnId).getAttribute('data-due-soon') !== 'true' || !dueHint.startsWith(soonPrefix) || /\b24\b/.test(dueHint)) {
    throw new Error(`The seller row of a New request is not marked as due within a day: "${dueHint}".`);
  }
  await sellerWatch.check('seller');

  // 5. The seller offers a partial compensation through the row's inline form; the customer sees the amount and
  //    refuses it; the seller's row follows.
  await row(seller, returnId).locator(`${t('return-action')}[data-action="OfferCompensation"]`).click();
  const offerForm = row(seller, returnId).locator(`${t('return-form')}[data-action="OfferCompensation"]`);
  await offerForm.locator(t('return-field-amount')).fill('1000');
  await check(seller, 'seller-offer-form');
  await offerForm.locator(t('return-submit')).click();
  await row(seller, returnId, 'PartialCompensationOffered').waitFor();
  if (await offerForm.count() !== 0) throw new Error('The offer form stayed open after the offer.');
  await row(customer, returnId, 'PartialCompensationOffered').waitFor({ timeout: liveTimeout });
  const offer = row(customer, returnId).locator(t('return-offer'));
  await offer.waitFor();
  if (Number(await offer.getAttribute('data-amount')) !== 1000) throw new Error(`The customer sees an offer of ${await offer.getAttribute('data-amount')}.`);
  const customerOffered = await rowFacts(row(customer, returnId));
  await check(customer, 'customer-offer');
  for (const action of ['AcceptCompensation', 'RefuseCompensation', 'Cancel']) {
    if (!customerOffered.actions.includes(action)) throw new Error(`The customer row lacks ${action}: ${customerOffered.actions}.`);
  }
  await row(customer, returnId).locator(`${t('return-action')}[data-action="RefuseCompensation"]`).click();
  await row(customer, returnId, 'AwaitingClarification').waitFor();
  await row(seller, returnId, 'AwaitingClarification').waitFor({ timeout: liveTimeout });
  step('offer made and refused');

  // 6. The seller lists only what needs the seller's action (the request does), and approves; the request leaves that
  //    list at once (the customer acts next), and the customer's page shows Approved without reloading.
  await seller.locator(t('returns-needs-action')).check();
  await row(seller, returnId, 'AwaitingClarification').waitFor();
  await check(seller, 'seller-needs-action');
  const approving = Date.now();
  await row(seller, returnId).locator(`${t('return-action')}[data-action="Approve"]`).click();
  await row(seller, returnId).waitFor({ state: 'detached' });
  step('approved request left the needs-my-action list');
  await row(customer, returnId, 'Approved').waitFor({ timeout: liveTimeout });
  const customerApproved = await rowFacts(row(customer, returnId));
  result.customerApproved = customerApproved;
  step('customer sees Approved', { ms: Date.now() - approving });
  const approvedText = message(lang, 'returns.status.Approved');
  if (customerApproved.statusText !== approvedText) throw new Error(`The customer row reads "${customerApproved.statusText}", not "${approvedText}".`);
  if (customerApproved.nextActor !== 'Customer') throw new Error(`The customer row shows next actor ${customerApproved.nextActor}.`);
  for (const action of ['Ship', 'Cancel']) {
    if (!customerApproved.actions.includes(action)) throw new Error(`The customer row lacks ${action}: ${customerApproved.actions}.`);
  }
  if (customerApproved.product !== productName || customerApproved.markupElements !== 0) throw new Error('The customer row does not show the product name as text.');
  await customerWatch.check('customer');

  // 7. The customer ships through the row's inline form; the seller's page shows the parcel on the way.
  const tracking = `RR${suffix.toUpperCase()}RU`;
  await row(customer, returnId).locator(`${t('return-action')}[data-action="Ship"]`).click();
  const shipForm = row(customer, returnId).locator(`${t('return-form')}[data-action="Ship"]`);
  await shipForm.locator(t('return-field-trackingNumber')).fill(tracking);
  await check(customer, 'customer-ship-form');
  await shipForm.locator(t('return-submit')).click();
  await row(customer, returnId, 'ReturnOnTheWay').waitFor();
  await row(seller, returnId, 'ReturnOnTheWay').waitFor({ timeout: liveTimeout });
  const sellerShipped = await rowFacts(row(seller, returnId));
  result.sellerShipped = sellerShipped;
  if (!sellerShipped.note?.includes(tracking)) throw new Error(`The seller row does not show the tracking number: ${sellerShipped.note}.`);
  if (!sellerShipped.actions.includes('ConfirmReceived')) throw new Error(`The seller row lacks ConfirmReceived: ${sellerShipped.actions}.`);
  step('seller sees the parcel on the way');

  // 8. The seller's CSV report downloads through a blob URL and holds the request.
  const [download] = await Promise.all([seller.waitForEvent('download'), seller.locator(t('returns-report')).click()]);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  const csv = Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '');
  result.csv = { filename: download.suggestedFilename(), url: download.url().slice(0, 5), lines: csv.trim().split('\n').length };
  result.csv.header = csv.split(/\r?\n/)[0];
  const onTheWay = lang === 'ru' ? message(lang, 'returns.status.ReturnOnTheWay') : 'ReturnOnTheWay';
  if (!csv.includes(returnId) || !csv.includes(onTheWay)) throw new Error(`The CSV lacks the request: ${csv.slice(0, 400)}`);
  step('CSV downloaded');

  // Both live feeds received the status changes; neither page reloaded or threw.
  const feedTypes = async page => page.locator(`${t('live-event')}[data-type="ReturnStatusChanged"]`).count();
  result.statusEvents = { seller: await feedTypes(seller), customer: await feedTypes(customer) };
  await sellerWatch.check('seller');
  await customerWatch.check('customer');
  if (pageErrors.length > 0) throw new Error(`A page threw: ${pageErrors.join(' | ')}`);

  // Both pages with the request's details open: checked, and (with a screenshot folder) pictured.
  for (const [who, page] of Object.entries(pages)) {
    await row(page, returnId).locator(t('return-details')).locator('summary').click();
    await row(page, returnId).locator(t('return-history')).waitFor();
    await check(page, `${who}-details`);
  }
  if (findings.length > 0) throw new Error(`Page checks failed:\n${findings.join('\n')}`);

  Object.assign(result, { ok: true, reloaded: false });
} catch (error) {
  await recordFailure(result, error, pages, 'returns');
}

await finish(result, browser, { started, pageErrors, consoleErrors });
