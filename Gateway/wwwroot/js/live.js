// The live feed: a SignalR connection to /hubs/events that never loses or repeats an event.
//
// The hub sends `event` {position, stream, type, at, data} to the groups the token allows, and answers
// Resume(afterPosition) with the events after that position. On every (re)connect the feed calls Resume with
// the last position it applied, holds back live events meanwhile, then applies the missed ones and the held
// ones in order, skipping any position it already applied. The last position is kept in sessionStorage.
// Positions compare as plain strings. Resume(null) starts from the oldest event the server keeps.

import { freshAccessToken, refreshTokens, ApiError } from './api.js';
import { has, t } from './i18n.js';
import { el, formatInstant, formatMoney, roleName } from './ui.js';
import { statusLabel } from './returns.js';

const MaxKept = 100;
const ResumePage = 1000;

/**
 * Connects and renders events into `list` (newest first).
 * @param {object} options
 * @param {HTMLElement} options.list the <ul> of events
 * @param {HTMLElement} [options.status] a badge that shows the connection state
 * @param {string} options.key the sessionStorage key of this feed (one per page and identity)
 * @param {(event: object) => void} [options.onEvent] called for each new event after it is shown
 * @param {() => void} [options.onSessionEnded] called when the session cannot be refreshed any more
 */
export function startLive({ list, status, key, onEvent, onSessionEnded }) {
  const positionKey = `ozon.live.${key}.position`;
  const eventsKey = `ozon.live.${key}.events`;
  // The feed scrolls inside itself: it takes the keyboard focus and has a name, so it can be scrolled without a mouse.
  list.tabIndex = 0;
  list.setAttribute('aria-label', t('live.title'));
  let lastPosition = sessionStorage.getItem(positionKey) || null;
  let kept = readKept(eventsKey);
  let resuming = true;
  let held = [];

  // Events shown before a reload of this tab stay visible.
  for (const event of kept.slice().reverse()) render(list, event, false);
  showEmpty(list);

  const connection = new window.signalR.HubConnectionBuilder()
    .withUrl('/hubs/events', { accessTokenFactory: () => freshAccessToken() })
    .withAutomaticReconnect()
    .configureLogging(window.signalR.LogLevel.Warning)
    .build();

  connection.on('event', event => {
    if (resuming) held.push(event);
    else apply(event);
  });

  function apply(event) {
    if (!event || typeof event.position !== 'string') return;
    if (lastPosition !== null && event.position <= lastPosition) return;
    lastPosition = event.position;
    sessionStorage.setItem(positionKey, lastPosition);
    kept = [event, ...kept].slice(0, MaxKept);
    sessionStorage.setItem(eventsKey, JSON.stringify(kept));
    render(list, event, true);
    showEmpty(list);
    try {
      onEvent?.(event);
    } catch (error) {
      console.error(error);
    }
  }

  async function resume() {
    resuming = true;
    try {
      // The hub answers at most ResumePage events at a time: a full page means more may follow.
      for (;;) {
        const from = lastPosition;
        const missed = await connection.invoke('Resume', from);
        if (!Array.isArray(missed)) break;
        for (const event of missed) apply(event);
        if (missed.length < ResumePage || lastPosition === from) break;
      }
    } catch (error) {
      // Nothing held is applied past a gap: the next Resume brings those events again.
      held = [];
      throw error;
    }
    const pending = held;
    held = [];
    resuming = false;
    for (const event of pending) apply(event);
  }

  function setStatus(state, text) {
    if (!status) return;
    status.className = `badge ${state}`;
    status.textContent = text;
    status.dataset.state = state;
  }

  connection.onreconnecting(() => {
    resuming = true;
    setStatus('connecting', t('live.reconnecting'));
  });
  connection.onreconnected(async () => {
    try {
      await resume();
      setStatus('live', t('live.live'));
    } catch (error) {
      console.error(error);
      setStatus('offline', t('live.offline'));
    }
  });
  connection.onclose(() => {
    setStatus('offline', t('live.offline'));
    setTimeout(start, 5000);
  });

  let attempt = 0;
  async function start() {
    if (connection.state !== window.signalR.HubConnectionState.Disconnected) return;
    setStatus('connecting', t('live.connecting'));
    resuming = true;
    try {
      await connection.start();
      await resume();
      attempt = 0;
      setStatus('live', t('live.live'));
    } catch (error) {
      console.warn('Live feed unavailable:', error?.message ?? error);
      setStatus('offline', t('live.offline'));
      if (connection.state !== window.signalR.HubConnectionState.Disconnected) {
        // Started but Resume failed: onclose retries.
        await connection.stop();
        return;
      }
      attempt += 1;
      if (error instanceof ApiError && error.status === 401) {
        // The refresh token itself was refused: this session is over.
        onSessionEnded?.();
        return;
      }
      if (/Status code '401'/.test(error?.message ?? '') && attempt <= 2) {
        // The hub refused a token that looked valid here (revoked, or a clock apart): refresh now and retry.
        try {
          await refreshTokens();
          setTimeout(start, 100);
          return;
        } catch (refreshError) {
          if (refreshError instanceof ApiError && refreshError.status === 401) {
            onSessionEnded?.();
            return;
          }
        }
      }
      setTimeout(start, Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5)));
    }
  }

  start();
  return connection;
}

function readKept(key) {
  try {
    const value = JSON.parse(sessionStorage.getItem(key) ?? '[]');
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

function render(list, event, fresh) {
  const item = el('li', { class: fresh ? 'fresh' : '', dataset: { test: 'live-event', type: event.type ?? '', position: event.position } },
    el('div', { class: 'meta' },
      el('span', { class: 'type', dataset: { test: 'live-event-type' } }, eventTitle(event.type)),
      el('time', { class: 'time', datetime: event.at ?? '' }, formatInstant(event.at)),
      el('span', { class: 'stream', title: event.stream ?? '' }, shortStream(event.stream))),
    el('div', { class: 'data', dataset: { test: 'live-event-data' }, title: shortJson(event.data) }, eventText(event)));
  list.prepend(item);
  const items = list.querySelectorAll('[data-test="live-event"]');
  for (let i = MaxKept; i < items.length; i++) items[i].remove();
}

/** An event's kind as people read it. */
function eventTitle(type) {
  const key = `live.types.${type}`;
  return type && has(key) ? t(key) : t('live.otherType');
}

/** What an event says, as one sentence of the catalogue (`live.text.<type>`), its holes filled from the event's data. */
function eventText(event) {
  const data = event.data ?? {};
  const key = `live.text.${event.type}`;
  if (!event.type || !has(key)) return shortJson(event.data);
  const request = event.type === 'ReturnStatusChanged' ? data.request ?? {} : data;
  return t(key, {
    product: request.productName ?? '',
    status: statusLabel(request.status),
    from: roleName(data.message?.from),
    text: data.message?.text ?? '',
    email: data.email ?? '',
    role: roleName(data.role),
    phone: data.maskedPhone ?? '',
    period: data.period ?? '',
    fees: formatMoney(data.totalFees ?? data.fee),
    month: data.month ?? '',
    outcome: data.outcome && has(`referral.outcome.${data.outcome}`) ? t(`referral.outcome.${data.outcome}`) : data.outcome ?? '',
    points: typeof data.points === 'number' ? data.points : '',
    spend: formatMoney(data.qualifyingSpend ?? data.spend),
  });
}

/** `company:0ce63f0d-60c1-…` → `company:0ce63f0d`: the kind and enough of the id to tell streams apart. */
function shortStream(stream) {
  if (!stream) return '';
  const colon = stream.indexOf(':');
  return colon < 0 || stream.length - colon <= 13 ? stream : `${stream.slice(0, colon + 9)}…`;
}

function shortJson(data) {
  if (data === undefined || data === null) return '';
  const text = JSON.stringify(data);
  return text.length > 240 ? `${text.slice(0, 239)}…` : text;
}

function showEmpty(list) {
  const hasEvents = list.querySelector('[data-test="live-event"]') !== null;
  let empty = list.querySelector('.empty');
  if (!hasEvents && !empty) {
    empty = el('li', { class: 'empty', dataset: { test: 'live-empty' } }, t('live.empty'));
    list.append(empty);
  } else if (hasEvents && empty) {
    empty.remove();
  }
}
