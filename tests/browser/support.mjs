// What the Chromium scripts share: launching the browser, logging in through index.html with the dev code, reading
// the pages' tokens, and watching that a page neither reloads nor runs markup taken from data.

import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const liveTimeout = 10_000;
export const stepTimeout = 15_000;

/** The selector of an element marked `data-test="name"`. */
export const t = name => `[data-test="${name}"]`;

/** Headless Chromium with the flags the tests run under. */
export function launch() {
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** A message of the pages' catalogue for `lang` (Gateway/wwwroot/i18n/<lang>.json), by its dotted key. */
export function message(lang, key) {
  const path = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'Gateway', 'wwwroot', 'i18n', `${lang}.json`);
  const value = key.split('.').reduce((node, part) => node?.[part], JSON.parse(readFileSync(path, 'utf8')));
  if (typeof value !== 'string') throw new Error(`No message ${key} in ${path}.`);
  return value;
}

/** What the pages show for a ProblemDetails answer: its type's message in the `lang` catalogue. */
export function problemMessage(lang, problem) {
  const code = String(problem?.type ?? '').replace('https://ozon-actors/errors/', '');
  return message(lang, `errors.${code}`);
}

/** The browser window sizes the pages are checked at: a desktop and a phone (iPhone X class, 375×812). */
export const Viewports = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 375, height: 812 },
};

/**
 * A browser context for a person who reads `lang` ('ru' or 'en') on `viewport` ('desktop' or 'phone'): the browser's
 * language (navigator.languages, and so the page's first-visit choice) is the language's, as a Russian or an English
 * browser would send it.
 */
export function newContext(browser, { lang = 'ru', viewport = 'desktop', ...options } = {}) {
  const size = Viewports[viewport];
  if (!size) throw new Error(`Unknown viewport ${viewport}.`);
  return browser.newContext({
    viewport: size,
    locale: lang === 'ru' ? 'ru-RU' : 'en-GB',
    isMobile: viewport === 'phone',
    hasTouch: viewport === 'phone',
    ...options,
  });
}

/**
 * Checks a page in the state it shows now, as `label`: it is in `lang` (the <html lang> the page set, and no message
 * key missing from that language's catalogue), nothing is wider than the window (no sideways scrolling), and axe-core
 * finds no serious or critical accessibility violation. Each finding goes into `findings`; with `screenshotDir` a
 * screenshot of the page is saved there as `<label>.png`.
 */
export async function checkPage(page, label, { lang, findings, screenshotDir }) {
  await page.evaluate(() => document.fonts?.ready);
  const state = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // Elements reaching past the window's right edge (scroll containers may scroll their content inside themselves).
    const overflowing = [];
    for (const node of document.body.querySelectorAll('*')) {
      const rect = node.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0 || rect.right <= width + 1) continue;
      if (node.closest('.table-wrap, [data-scroll]') && !node.matches('.table-wrap, [data-scroll]')) continue;
      overflowing.push(`${node.tagName.toLowerCase()}${node.dataset.test ? `[data-test=${node.dataset.test}]` : ''}${node.className ? `.${String(node.className).split(' ').join('.')}` : ''} right=${Math.round(rect.right)}`);
    }
    return {
      lang: document.documentElement.lang,
      scrollWidth: document.documentElement.scrollWidth,
      width,
      overflowing: overflowing.slice(0, 5),
      missing: Array.from(globalThis.ozonI18nMissing ?? []),
    };
  });
  if (state.lang !== lang) findings.push(`${label}: <html lang="${state.lang}">, expected ${lang}`);
  if (state.missing.length > 0) findings.push(`${label}: messages missing from the ${lang} catalogue: ${state.missing.join(', ')}`);
  if (state.scrollWidth > state.width || state.overflowing.length > 0) {
    findings.push(`${label}: wider than the window (${state.scrollWidth} > ${state.width}): ${state.overflowing.join('; ')}`);
  }
  for (const problem of await keyboardProblems(page)) findings.push(`${label}: ${problem}`);
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    return results.violations
      .filter(v => v.impact === 'serious' || v.impact === 'critical')
      .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`);
  });
  for (const violation of violations) findings.push(`${label}: axe ${violation}`);
  if (screenshotDir) {
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, `${label}.png`), fullPage: true });
  }
  return state;
}

/**
 * Walks the first stops of the keyboard's Tab order: each must show that it has the focus (an outline or a ring), and
 * no element may jump the order with a positive tabindex. Leaves the focus where it was.
 */
async function keyboardProblems(page, stops = 8) {
  const problems = [];
  const jumping = await page.evaluate(() => Array.from(document.querySelectorAll('[tabindex]'))
    .filter(node => node.tabIndex > 0).map(node => node.outerHTML.slice(0, 80)));
  if (jumping.length > 0) problems.push(`a positive tabindex changes the focus order: ${jumping.join(', ')}`);
  await page.evaluate(() => { document.activeElement?.blur?.(); });
  for (let i = 0; i < stops; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const node = document.activeElement;
      if (!node || node === document.body) return null;
      const style = getComputedStyle(node);
      const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
      return { ring, what: `${node.tagName.toLowerCase()}${node.dataset.test ? `[data-test=${node.dataset.test}]` : ''}` };
    });
    if (!focused) break;
    if (!focused.ring) problems.push(`keyboard focus on ${focused.what} is not visible`);
  }
  await page.evaluate(() => { document.activeElement?.blur?.(); });
  return problems;
}

/** The code in the newest message the Dev provider kept for the phone: the only 6-digit number in its text. */
export async function readCode(base, phone) {
  const deadline = Date.now() + stepTimeout;
  while (Date.now() < deadline) {
    const response = await fetch(new URL(`api/dev/sms?phone=${encodeURIComponent(phone)}`, base));
    if (!response.ok) throw new Error(`GET /api/dev/sms answered ${response.status}: ${await response.text()}`);
    const messages = await response.json();
    const match = messages[0]?.text?.match(/\b\d{6}\b/);
    if (match) return match[0];
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error(`No code message arrived for ${phone}.`);
}

/** Phone → dev code → the "Where to?" step of index.html. */
export async function logIn(page, base, phone) {
  await page.goto(base);
  await page.locator(t('step-phone')).waitFor({ state: 'visible' });
  await page.locator(t('phone')).fill(`+${phone.replace(/^\+/, '')}`);
  await page.locator(t('get-code')).click();
  await page.locator(t('step-code')).waitFor({ state: 'visible' });
  await page.locator(t('code')).fill(await readCode(base, phone));
  await page.locator(t('step-choose')).waitFor({ state: 'visible' });
}

/** A claim of a token the page stored under `key` in localStorage. */
export async function claim(page, key, name) {
  return page.evaluate(([storageKey, claimName]) => {
    const part = localStorage.getItem(storageKey).split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part.padEnd(Math.ceil(part.length / 4) * 4, '=')))[claimName];
  }, [key, name]);
}

/** Collects the page's uncaught errors and console errors into the given arrays, and sets the step timeout. */
export function observe(page, who, pageErrors, consoleErrors) {
  page.setDefaultTimeout(stepTimeout);
  page.on('pageerror', error => pageErrors.push(`${who}: ${String(error?.stack ?? error)}`));
  page.on('console', message => { if (message.type() === 'error') consoleErrors.push(`${who}: ${message.text()}`); });
}

/**
 * From here on the page must not reload: a marker on window would vanish, and a new document would load. (Changes of
 * the #hash, which the tabs make, are navigations within the document and do not count.) Markup from data must never
 * run: it would set `window.__xss`.
 */
export async function watchReloads(page) {
  await page.evaluate(() => { window.__ozonNoReload = true; });
  const watch = { loads: 0 };
  page.on('domcontentloaded', () => { watch.loads += 1; });
  watch.check = async who => {
    const same = await page.evaluate(() => window.__ozonNoReload === true);
    if (!same || watch.loads !== 0) throw new Error(`The ${who} page reloaded (marker ${same}, ${watch.loads} loads).`);
    const xss = await page.evaluate(() => window.__xss);
    if (xss !== undefined) throw new Error(`The ${who} page ran markup from data.`);
  };
  return watch;
}

/** POSTs JSON to an internal endpoint with the API key; answers the parsed body, throwing unless the status is `expected`. */
export async function postInternal(base, key, path, body, expected = 202) {
  const response = await fetch(new URL(path, base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Api-Key': key },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== expected) throw new Error(`POST /${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** GETs an API path with a bearer token; answers `{status, body}`. */
export async function getWithToken(base, path, token) {
  const response = await fetch(new URL(path, base), { headers: { Authorization: `Bearer ${token}` } });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** A failed run: its error goes into `result`, with a full-page screenshot of each page in the temporary folder. */
export async function recordFailure(result, error, pages, name) {
  result.error = String(error?.stack ?? error?.message ?? error);
  result.screenshots = {};
  for (const [who, page] of Object.entries(pages)) {
    const path = join(tmpdir(), `ozon-${name}-${who}-${Date.now()}.png`);
    try {
      result.screenshots[who] = { url: page.url(), path };
      await page.screenshot({ path, fullPage: true });
    } catch (screenshotError) {
      result.screenshots[who] = `not taken: ${screenshotError?.message ?? screenshotError}`;
    }
  }
}

/**
 * Ends a run: the pages' errors and the time taken go into `result`, the browser closes, `result` is printed as one JSON
 * line, and the process exits 0 when it is ok.
 */
export async function finish(result, browser, { started, pageErrors, consoleErrors }) {
  result.pageErrors = pageErrors;
  result.consoleErrors = consoleErrors;
  result.elapsedMs = Date.now() - started;
  await browser?.close().catch(() => {});
  console.log(JSON.stringify(result));
  process.exit(result.ok ? 0 : 1);
}

/**
 * Starts a script's run: reads `names` from the command line (all but optional ones, marked with a trailing `?`, must
 * be there, else the usage line and exit 2), and returns them with the base URL (ending in '/') and the run's record.
 */
export function startRun(script, names) {
  const values = process.argv.slice(2);
  const required = names.filter(n => !n.endsWith('?')).length;
  if (values.length < required) {
    console.error(`usage: node ${script} ${names.map(n => (n.endsWith('?') ? `[${n.slice(0, -1)}]` : `<${n}>`)).join(' ')}`);
    process.exit(2);
  }

  const args = Object.fromEntries(names.map((n, i) => [n.replace(/\?$/, ''), values[i]]));
  const base = args.baseUrl.endsWith('/') ? args.baseUrl : `${args.baseUrl}/`;
  const steps = [];
  return { args, base, started: Date.now(), steps, pageErrors: [], consoleErrors: [], result: { ok: false, steps } };
}
