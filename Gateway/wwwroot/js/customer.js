// Customer page: the caller's Ozon ID (phone masked) and a live feed of its events.

import { api, claims, logout, tokens, ApiError } from './api.js';
import { startLive } from './live.js';
import { $, showError, roleName } from './ui.js';

const ozonId = claims()?.sub;

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
  startLive({
    list: $('live-feed'),
    status: $('live-status'),
    onSessionEnded: () => location.replace('index.html'),
    key: `customer.${ozonId}`,
    onEvent: event => {
      if (event.type === 'PhoneChanged') loadProfile();
    },
  });
  loadProfile();
}

async function loadProfile() {
  try {
    const me = await api('GET', '/api/me');
    $('masked-phone').textContent = me.maskedPhone;
    $('profile-phone').textContent = me.maskedPhone;
    const accounts = me.accounts ?? [];
    $('profile-companies').textContent = accounts.length === 0
      ? 'None'
      : accounts.map(a => `${a.companyName} (${roleName(a.role)})`).join(', ');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      location.replace('index.html');
      return;
    }
    showError(error);
  }
}
