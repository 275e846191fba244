// The HTTP API as the pages use it: stored tokens, a bearer header, one refresh on 401, ProblemDetails errors.

import { has, lang, t } from './i18n.js';

// Two sessions live side by side: the Ozon ID's own (from the phone login: the customer side, and the one that
// may switch into companies) and, after entering a company, a seller session scoped to it. Each page says which
// one it uses with `useSide`; both rotate their refresh tokens on their own.
const Sides = {
  customer: { access: 'ozon.accessToken', refresh: 'ozon.refreshToken' },
  seller: { access: 'ozon.seller.accessToken', refresh: 'ozon.seller.refreshToken' },
};
const DeviceKey = 'ozon.deviceId';
let side = 'customer';

/** Chooses the session this page's calls use: 'customer' (the default) or 'seller'. */
export function useSide(name) {
  if (!Sides[name]) throw new Error(`Unknown side ${name}.`);
  side = name;
}

/**
 * An error answer of the API. `message` is what a person reads, in their language: the catalogue's message for the
 * ProblemDetails `type` (`errors.<code>`), else one for the status; the English `detail` stays in `problem`.
 */
export class ApiError extends Error {
  constructor(status, problem, headers = null) {
    super(describe(status, problem));
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem ?? {};
    this.headers = headers ?? new Headers();
  }

  /** The ProblemDetails code (`invalid-credentials`), or '' when the answer had none. */
  get code() {
    return codeOf(this.problem);
  }
}

const ProblemBase = 'https://ozon-actors/errors/';

function codeOf(problem) {
  const type = typeof problem?.type === 'string' ? problem.type : '';
  return type.startsWith(ProblemBase) ? type.slice(ProblemBase.length) : '';
}

function describe(status, problem) {
  if (status === 0) return t('errors.network');
  const code = codeOf(problem);
  const fields = problem?.errors && typeof problem.errors === 'object' ? Object.keys(problem.errors) : [];
  if (code === 'invalid-request' && fields.length > 0) {
    return t('errors.invalid-fields', { fields: fields.map(fieldName).join(', ') });
  }
  if (code && has(`errors.${code}`)) return t(`errors.${code}`);
  return t('errors.status', { status });
}

/** A request field as people read it (`lines[0].price` → the price field's label), else as the API names it. */
function fieldName(path) {
  const name = String(path).split(/[.[]/).filter(Boolean).at(-1)?.replace(/\]$/, '') ?? String(path);
  const key = `fields.${name.charAt(0).toLowerCase()}${name.slice(1)}`;
  return has(key) ? t(key) : String(path);
}

/** The stored tokens of a side (the current one unless named). */
export function tokensOf(name) {
  const keys = Sides[name];
  return {
    get access() { return localStorage.getItem(keys.access); },
    get refresh() { return localStorage.getItem(keys.refresh); },

    /** Keeps the tokens of a login, refresh or switch answer. */
    store(answer) {
      localStorage.setItem(keys.access, answer.accessToken);
      localStorage.setItem(keys.refresh, answer.refreshToken);
      if (answer.deviceId) localStorage.setItem(DeviceKey, answer.deviceId);
    },

    clear() {
      localStorage.removeItem(keys.access);
      localStorage.removeItem(keys.refresh);
    },
  };
}

/** The current side's tokens. */
export const tokens = {
  get access() { return tokensOf(side).access; },
  get refresh() { return tokensOf(side).refresh; },
  store(answer) { tokensOf(side).store(answer); },
  clear() { tokensOf(side).clear(); },
};

/** This browser's device id: made once and kept, so that a device trusted for a seller account stays trusted. */
export function deviceId() {
  let id = localStorage.getItem(DeviceKey);
  if (!id) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    id = 'web-' + Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
    localStorage.setItem(DeviceKey, id);
  }
  return id;
}

/** The access token's claims (for display only: the server checks the signature). */
export function claims(token = tokens.access) {
  if (!token) return null;
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), '='));
    return JSON.parse(decodeURIComponent(Array.from(json, c => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join('')));
  } catch {
    return null;
  }
}

const refreshing = {};

/**
 * Swaps the refresh token for new tokens. Refresh tokens rotate, so a second use of one would fail: one swap at a
 * time per side in this page, and across tabs too (Web Locks, where the browser has them), each reading the token
 * the previous swap stored.
 */
export function refreshTokens(name = side) {
  const swap = async () => {
    const stored = tokensOf(name);
    const refreshToken = stored.refresh;
    if (!refreshToken) throw new ApiError(401, { type: `${ProblemBase}unauthorized` });
    try {
      const answer = await send('POST', '/api/auth/refresh', { refreshToken }, null);
      stored.store(answer.data);
      return answer.data;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && stored.refresh === refreshToken) stored.clear();
      throw error;
    }
  };
  refreshing[name] ??= (navigator.locks ? navigator.locks.request(`ozon.refresh.${name}`, swap) : swap())
    .finally(() => { delete refreshing[name]; });
  return refreshing[name];
}

/** An access token valid for at least another 30 seconds, refreshed if needed (for the live connection). */
export async function freshAccessToken(name = side) {
  const access = tokensOf(name).access;
  const exp = claims(access)?.exp;
  if (access && exp && exp * 1000 - Date.now() > 30_000) return access;
  return (await refreshTokens(name)).accessToken;
}

/**
 * Calls the API and answers `{data, status, headers}`; throws ApiError on an error answer.
 * With `auth` (the default) the bearer token is sent, and a 401 refreshes the tokens and retries once.
 */
export async function request(method, path, body, { auth = true } = {}) {
  const token = auth ? tokens.access : null;
  try {
    return await send(method, path, body, token);
  } catch (error) {
    if (!(token && error instanceof ApiError && error.status === 401 && tokens.refresh)) throw error;
    // Another tab may have refreshed already: then its new token is simply used.
    if (tokens.access === token) await refreshTokens();
    return await send(method, path, body, tokens.access);
  }
}

/** Like `request`, answering only the JSON body. */
export async function api(method, path, body, options) {
  return (await request(method, path, body, options)).data;
}

/**
 * GETs a file with the bearer token (a 401 refreshes the tokens and retries once) and answers `{blob, filename}`,
 * the name from Content-Disposition when the server gives one. Throws ApiError on an error answer.
 */
export async function download(path) {
  const get = async token => {
    try {
      return await fetch(path, { headers: { 'Accept-Language': lang, ...(token ? { Authorization: `Bearer ${token}` } : {}) } });
    } catch {
      throw new ApiError(0, null);
    }
  };
  const token = tokens.access;
  let response = await get(token);
  if (response.status === 401 && token && tokens.refresh) {
    if (tokens.access === token) await refreshTokens();
    response = await get(tokens.access);
  }
  if (!response.ok) {
    const text = await response.text();
    let problem = null;
    try { problem = text ? JSON.parse(text) : null; } catch { problem = { detail: text.slice(0, 200) }; }
    throw new ApiError(response.status, problem, response.headers);
  }
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const filename = /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? null;
  return { blob: await response.blob(), filename };
}

/** Hands a blob to the browser as a download named `filename`, through a short-lived blob: URL. */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by the next tasks; the URL is released a little later to be safe.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function send(method, path, body, token) {
  const headers = { Accept: 'application/json', 'Accept-Language': lang };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, null);
  }

  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = { detail: text.slice(0, 200) }; }
  }
  if (!response.ok) throw new ApiError(response.status, data, response.headers);
  return { data, status: response.status, headers: response.headers };
}

/** Ends a side's session on the server (best effort) and forgets its tokens. */
export async function endSession(name) {
  const access = tokensOf(name).access;
  try {
    if (access) await send('POST', '/api/auth/logout', undefined, access);
  } catch {
    // The session may already be over; the tokens are forgotten either way.
  }
  tokensOf(name).clear();
}

/** Logs out of both sessions; the device id stays (the device remains trusted). */
export async function logout() {
  await Promise.all(Object.keys(Sides).map(endSession));
}
