// What people read on the pages, in their language: one message catalogue per language (i18n/ru.json, i18n/en.json),
// Russian unless English is asked for. The choice is the stored one (the switch in the top bar), else the browser's
// languages (what it sends as Accept-Language) on the first visit, else Russian.
//
// A message is a whole sentence with named holes (`{amount}`), never glued from translated pieces; a message that
// depends on a number is an object of plural forms (`one`, `few`, `many`, `other`) chosen by the language's rules.
// Money, numbers and dates follow the language too; deadlines are shown in Moscow time, the programs' clock.

const StoreKey = 'ozon.lang';
const CookieName = 'ozon-lang';

/** The languages the pages speak, with the locale their numbers and dates are written in. */
export const Languages = {
  ru: { locale: 'ru-RU', name: 'Русский', short: 'RU' },
  en: { locale: 'en-GB', name: 'English', short: 'EN' },
};
export const DefaultLanguage = 'ru';

/**
 * The language chosen: stored (localStorage, else the cookie the switch also sets, which is all that is left when the
 * browser keeps no storage), else the first of the browser's languages we speak, else Russian.
 */
function chooseLanguage() {
  let stored = null;
  try { stored = localStorage.getItem(StoreKey); } catch { /* storage may be off: the cookie still says */ }
  if (stored && Languages[stored]) return stored;
  const cookie = new RegExp(`(?:^|;\\s*)${CookieName}=([^;]*)`).exec(document.cookie ?? '')?.[1];
  if (cookie && Languages[cookie]) return cookie;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = String(tag ?? '').toLowerCase().split('-')[0];
    if (Languages[base]) return base;
  }
  return DefaultLanguage;
}

export const lang = chooseLanguage();
export const locale = Languages[lang].locale;
const catalogue = await loadCatalogue(lang);
const plurals = new Intl.PluralRules(locale);

/** Keys asked for but missing from the catalogue (the browser tests check it stays empty). */
const missing = new Set();
globalThis.ozonI18nMissing = missing;

async function loadCatalogue(language) {
  const response = await fetch(`i18n/${language}.json`, { cache: 'no-cache' });
  if (!response.ok) throw new Error(`The ${language} message catalogue could not be loaded (${response.status}).`);
  return response.json();
}

function lookup(key) {
  let node = catalogue;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object' || !(part in node)) return undefined;
    node = node[part];
  }
  return node;
}

/** Whether the catalogue has a message under `key`. */
export function has(key) {
  const value = lookup(key);
  return typeof value === 'string' || (value !== null && typeof value === 'object' && typeof value.other === 'string');
}

/**
 * The message under `key` with its holes filled from `params`. A plural message takes its form from `params.count`
 * (and may show it as `{count}`, written in the language's digits).
 */
export function t(key, params = {}) {
  let message = lookup(key);
  if (message !== null && typeof message === 'object' && typeof params.count === 'number') {
    message = message[plurals.select(params.count)] ?? message.other;
  }
  if (typeof message !== 'string') {
    missing.add(key);
    console.warn(`Missing message: ${key} (${lang})`);
    return key;
  }
  return message.replace(/\{(\w+)\}/g, (hole, name) => {
    if (!(name in params)) return hole;
    const value = params[name];
    return typeof value === 'number' ? count.format(value) : String(value ?? '');
  });
}

/**
 * The message under `key` as a sentence around an element: `node` stands in its hole `{hole}`, the other holes are
 * filled from `params`. Answers the pieces for `append`/`replaceChildren`; the sentence is never glued from fragments.
 */
export function around(key, hole, node, params = {}) {
  const [before, after = ''] = t(key, params).split(`{${hole}}`);
  return [before, node, after];
}

/**
 * Translates the static text of a page or fragment: `data-i18n="key"` sets the element's text,
 * `data-i18n-attr="aria-label:key; placeholder:key2"` sets attributes.
 */
export function translate(root = document) {
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of node.dataset.i18nAttr.split(';')) {
      const [attribute, key] = pair.split(':').map(s => s.trim());
      if (attribute && key) node.setAttribute(attribute, t(key));
    }
  }
}

/** Keeps a language chosen by the person (and tells the server, for downloads), then shows the page in it. */
export function chooseLanguageAndReload(language) {
  if (!Languages[language]) return;
  try { localStorage.setItem(StoreKey, language); } catch { /* the cookie still carries it */ }
  document.cookie = `${CookieName}=${language}; path=/; max-age=31536000; samesite=lax`;
  location.reload();
}

/** The RU / EN switch, put in the page's top bar (`[data-lang-switch]`, else the top bar's nav). */
function mountSwitch() {
  const host = document.querySelector('[data-lang-switch]') ?? document.querySelector('.topbar nav');
  if (!host) return;
  const group = document.createElement('div');
  group.className = 'lang-switch';
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', t('common.language'));
  group.dataset.test = 'lang-switch';
  for (const [code, language] of Object.entries(Languages)) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'link';
    button.lang = code;
    button.textContent = language.short;
    button.title = language.name;
    button.setAttribute('aria-label', `${language.short} — ${language.name}`);
    button.setAttribute('aria-pressed', String(code === lang));
    button.dataset.test = `lang-${code}`;
    button.addEventListener('click', () => { if (code !== lang) chooseLanguageAndReload(code); });
    group.append(button);
  }
  host.prepend(group);
}

// ---- Formats ----------------------------------------------------------------------------------------------------

const MoscowZone = 'Europe/Moscow';
const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat(locale, { style: 'currency', currency: 'RUB', currencyDisplay: 'narrowSymbol' });
const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 });
const dateOnly = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' });
const monthName = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
const moscowDateTime = new Intl.DateTimeFormat(locale, {
  day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: MoscowZone,
});
const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });

/** An amount of rubles: `25 990,00 ₽` in Russian, `₽25,990.00` in English. */
export function formatMoney(value) {
  return typeof value === 'number' ? money.format(value) : '';
}

/** A share (0.015) as a percentage. */
export function formatPercent(value) {
  return typeof value === 'number' ? percent.format(value) : '';
}

/** A whole number (points, units, views) with the language's digit grouping. */
export function formatCount(value) {
  return typeof value === 'number' ? count.format(value) : '';
}

/** An instant in Moscow time with the zone named: `28.11.2026 21:00 МСК`. */
export function formatInstant(iso) {
  const at = iso ? new Date(iso) : null;
  return at && !Number.isNaN(at.getTime()) ? t('common.moscowTime', { at: moscowAt(at) }) : '';
}

/**
 * Date and time in Moscow, a space between them (`28.11.2026 21:00`): Intl writes a comma there (`28.11.2026, 21:00`),
 * which the pages' format has not.
 */
function moscowAt(at) {
  return moscowDateTime.formatToParts(at)
    .map(part => (part.type === 'literal' && /^,\s*$/.test(part.value) ? ' ' : part.value))
    .join('');
}

/** A calendar date (`2026-12-21`, a Moscow day as the API gives it): `21.12.2026`, the same day in every time zone. */
export function formatDate(isoDate) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate ?? '');
  return match ? dateOnly.format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))) : '';
}

/** A month (`2026-11`): «ноябрь 2026 г.» / "November 2026". */
export function formatMonth(isoMonth) {
  const match = /^(\d{4})-(\d{2})$/.exec(isoMonth ?? '');
  return match ? monthName.format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1))) : isoMonth ?? '';
}

/**
 * How far an instant is from now, in the largest fitting unit: «через 2 дня», «через 5 часов», "3 hours ago". Whole
 * units only, never rounded up: 23 h 59 min left is «через 23 часа» (not «через 24 часа», under the «меньше суток» mark).
 */
export function formatRelative(iso, now = Date.now()) {
  const at = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(at)) return '';
  const minutes = Math.trunc((at - now) / 60000);
  const hours = Math.trunc(minutes / 60);
  const days = Math.trunc(hours / 24);
  if (Math.abs(minutes) < 60) return relative.format(minutes, 'minute');
  if (Math.abs(hours) < 48) return relative.format(hours, 'hour');
  return relative.format(days, 'day');
}

/** A deadline: «до 28.11.2026 21:00 МСК». */
export function formatDeadline(iso) {
  const at = iso ? new Date(iso) : null;
  return at && !Number.isNaN(at.getTime()) ? t('common.deadline', { at: moscowAt(at) }) : '';
}

document.documentElement.lang = lang;
translate();
mountSwitch();
