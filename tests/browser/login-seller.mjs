// Logs in through the web pages in headless Chromium and waits for a live event on the seller page.
//
//   node tests/browser/login-seller.mjs <baseUrl> <phone>
//
// Phone → dev SMS code → create a company → seller.html; then, without reloading, one invitation through the
// page's own form and one through the API with the page's token; both must appear in the live feed. Prints one
// JSON line ({ok, ...}) and exits 0 or 1; on failure a screenshot is saved and its path printed.
//
// The language: a German browser gets the pages in Russian (the default), an English one in English on its first
// visit; the RU/EN switch then chooses Russian, which sticks on reloads and on every other page.

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, liveTimeout, message, readCode, startRun, stepTimeout, t } from './support.mjs';

const run = startRun('login-seller.mjs', ['baseUrl', 'phone']);
const { base, started, steps, pageErrors, consoleErrors, result } = run;
const { phone } = run.args;

function step(name) {
  steps.push({ name, atMs: Date.now() - started });
}

let browser;
let page;
try {
  browser = await launch();
  const htmlLang = target => target.evaluate(() => document.documentElement.lang);

  // 0. Languages: German browser → Russian; English browser → English until the switch says Russian.
  const german = await browser.newPage({ locale: 'de-DE' });
  await german.goto(base);
  await german.locator(t('step-phone')).waitFor({ state: 'visible' });
  result.languages = { german: await htmlLang(german), germanTitle: await german.title() };
  await german.close();
  page = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: 'en-GB' });
  await page.goto(base);
  await page.locator(t('step-phone')).waitFor({ state: 'visible' });
  result.languages.english = await htmlLang(page);
  result.languages.englishHeading = await page.locator(`${t('step-phone')} h1`).textContent();
  await Promise.all([page.waitForEvent('load'), page.locator(t('lang-ru')).click()]);
  await page.locator(t('step-phone')).waitFor({ state: 'visible' });
  result.languages.switched = await htmlLang(page);
  result.languages.switchedHeading = await page.locator(`${t('step-phone')} h1`).textContent();
  result.languages.pressed = await page.locator(t('lang-ru')).getAttribute('aria-pressed');
  if (result.languages.german !== 'ru' || result.languages.english !== 'en' || result.languages.switched !== 'ru'
    || result.languages.switchedHeading !== message('ru', 'login.phoneTitle') || result.languages.englishHeading !== message('en', 'login.phoneTitle')) {
    throw new Error(`The languages were ${JSON.stringify(result.languages)}.`);
  }
  step('language chosen');

  // A browser keeping no storage for the page (localStorage throws): the switch's cookie still carries the choice.
  const noStorageContext = await browser.newContext({ locale: 'ru-RU' });
  await noStorageContext.addInitScript(() => Object.defineProperty(window, 'localStorage', {
    get() { throw new DOMException('Storage is off.', 'SecurityError'); },
  }));
  const noStorage = await noStorageContext.newPage();
  await noStorage.goto(base);
  await Promise.all([noStorage.waitForEvent('load'), noStorage.locator(t('lang-en')).click()]);
  await noStorage.locator(`${t('lang-en')}[aria-pressed="true"]`).waitFor({ timeout: stepTimeout }).catch(() => {});
  result.languages.withoutStorage = await htmlLang(noStorage);
  await noStorageContext.close();
  if (result.languages.withoutStorage !== 'en') throw new Error(`Without storage the switch to English did not stick: ${result.languages.withoutStorage}.`);
  step('language chosen without storage');

  page.setDefaultTimeout(stepTimeout);
  page.on('pageerror', error => pageErrors.push(String(error?.stack ?? error)));
  page.on('console', message => { if (message.type() === 'error') consoleErrors.push(message.text()); });

  // 1. Phone → code.
  await page.goto(base);
  await page.locator(t('step-phone')).waitFor({ state: 'visible' });
  step('login page');
  await page.locator(t('phone')).fill(`+${phone.replace(/^\+/, '')}`);
  await page.locator(t('channel-sms')).check({ force: true });
  await page.locator(t('get-code')).click();
  await page.locator(t('step-code')).waitFor({ state: 'visible' });
  const sentTo = (await page.locator(t('code-sent-to')).textContent()) ?? '';
  if (!sentTo.includes(phone.slice(-2))) throw new Error(`The code step names no masked phone: "${sentTo}".`);
  if (!(await page.locator(t('resend')).isDisabled())) throw new Error('"Get new code" is enabled before resendAfter.');
  step('code requested');

  // 2. The code (the page logs in as soon as six digits are typed).
  const code = await readCode(base, phone);
  await page.locator(t('code')).fill(code);
  await page.locator(t('step-choose')).waitFor({ state: 'visible' });
  const stored = await page.evaluate(() => ({
    accessToken: localStorage.getItem('ozon.accessToken'),
    refreshToken: localStorage.getItem('ozon.refreshToken'),
    deviceId: localStorage.getItem('ozon.deviceId'),
  }));
  if (!stored.accessToken || !stored.refreshToken || !stored.deviceId) throw new Error(`Tokens were not stored: ${JSON.stringify(Object.keys(stored).filter(k => !stored[k]))} missing.`);
  const accounts = await page.locator(t('account')).count();
  if (accounts !== 0) throw new Error(`A new phone shows ${accounts} accounts.`);
  step('logged in');

  // 3. Create a company through the page; it switches into it and opens the seller page.
  const suffix = Date.now().toString(36);
  const companyName = `Browser Shop ${suffix}`;
  await page.locator(t('new-company-name')).fill(companyName);
  await page.locator(t('new-company-email')).fill(`director-${suffix}-${phone}@example.com`);
  await page.locator(t('new-company-password')).fill('correct horse battery');
  await Promise.all([
    page.waitForURL(/seller\.html$/),
    page.locator(t('create-company-submit')).click(),
  ]);
  await page.locator(`${t('company-name')}:text-is("${companyName}")`).waitFor();
  await page.locator(t('member')).first().waitFor();
  const companyId = await page.evaluate(() => {
    const part = localStorage.getItem('ozon.seller.accessToken').split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part.padEnd(Math.ceil(part.length / 4) * 4, '='))).company;
  });
  if (!companyId) throw new Error('The seller page token is not scoped to a company.');
  result.companyId = companyId;
  result.companyName = companyName;
  result.languages.sellerPage = await htmlLang(page);
  if (result.languages.sellerPage !== 'ru') throw new Error(`The seller page opened in ${result.languages.sellerPage}, not the chosen Russian.`);
  step('seller page');

  // 4. The live connection is up (Resume answered).
  await page.locator(`${t('live-status')}[data-state="live"]`).waitFor({ timeout: liveTimeout });
  step('live connected');

  // From here on the page must not reload: a marker on window would vanish, and the navigation count would grow.
  await page.evaluate(() => { window.__ozonNoReload = true; });
  let navigations = 0;
  page.on('framenavigated', frame => { if (frame === page.mainFrame()) navigations += 1; });

  // 5a. An event caused by the page itself: invite through its form.
  const formEmail = `form-${suffix}@example.com`;
  await page.locator(t('invite-email')).fill(formEmail);
  await page.locator(t('invite-role')).selectOption('Employee');
  await page.locator(t('invite-submit')).click();
  await page.locator(t('invite-token')).waitFor();
  const formEvent = page.locator(`${t('live-event')}[data-type="InvitationCreated"]`, { hasText: formEmail });
  await formEvent.waitFor({ timeout: liveTimeout });
  step('live event from the form');

  // 5b. An event caused elsewhere: the same company invites through the API with the page's token.
  const apiEmail = `api-${suffix}@example.com`;
  const accessToken = await page.evaluate(() => localStorage.getItem('ozon.seller.accessToken'));
  const response = await fetch(new URL(`api/companies/${companyId}/invitations`, base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ email: apiEmail, role: 'Administrator' }),
  });
  if (response.status !== 201) throw new Error(`The API invitation answered ${response.status}: ${await response.text()}`);
  const apiEvent = page.locator(`${t('live-event')}[data-type="InvitationCreated"]`, { hasText: apiEmail });
  await apiEvent.waitFor({ timeout: liveTimeout });
  step('live event from the API');

  const stillSamePage = await page.evaluate(() => window.__ozonNoReload === true);
  if (!stillSamePage || navigations !== 0) throw new Error(`The page reloaded (marker ${stillSamePage}, ${navigations} navigations).`);

  const events = await page.locator(t('live-event')).evaluateAll(items => items.map(item => ({
    type: item.dataset.type,
    position: item.dataset.position,
    data: item.querySelector('[data-test="live-event-data"]')?.textContent ?? '',
  })));
  const newestFirst = events.length >= 2 && events[0].data.includes(apiEmail) && events[1].data.includes(formEmail);
  if (!newestFirst) throw new Error(`The feed is not newest first: ${JSON.stringify(events)}`);
  const positions = events.map(e => e.position);
  if (new Set(positions).size !== positions.length) throw new Error(`The feed shows an event twice: ${JSON.stringify(positions)}`);
  if (pageErrors.length > 0) throw new Error(`The page threw: ${pageErrors.join(' | ')}`);

  Object.assign(result, { ok: true, events, reloaded: false });
} catch (error) {
  result.error = String(error?.message ?? error);
  if (page) {
    result.url = page.url();
    result.screenshot = join(tmpdir(), `ozon-login-seller-${Date.now()}.png`);
    try {
      await page.screenshot({ path: result.screenshot, fullPage: true });
    } catch (screenshotError) {
      result.screenshot = `not taken: ${screenshotError?.message ?? screenshotError}`;
    }
  }
} finally {
  result.pageErrors = pageErrors;
  result.consoleErrors = consoleErrors;
  result.elapsedMs = Date.now() - started;
  await browser?.close().catch(() => {});
}

console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
