// The sample's page: plain JavaScript against the JSON API and the Server-Sent Events feed.
'use strict';

const $ = (id) => document.getElementById(id);
let selected = null;

const money = (cents) => (cents / 100).toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const shortId = (id) => (id && id.length > 13 ? id.slice(0, 8) + '…' : id || '');
const text = (tag, value, cls) => {
  const el = document.createElement(tag);
  el.textContent = value;
  if (cls) el.className = cls;
  return el;
};

// Every user action gets its own correlation id, so its events can be found together.
async function api(method, path, body) {
  const headers = { 'Accept': 'application/json', 'X-Correlation-Id': 'ui-' + crypto.randomUUID().slice(0, 8) };
  if (body) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    const problem = json || {};
    const where = problem.field ? ` (field ${problem.field})` : '';
    const version = problem.currentVersion !== undefined ? ` [current version ${problem.currentVersion}]` : '';
    throw new Error(`${response.status} ${problem.title || ''}: ${problem.detail || response.statusText}${where}${version}`);
  }
  return json;
}

function showMessage(message, ok) {
  $('message').textContent = message;
  $('message').className = 'small ' + (ok ? 'ok' : 'err');
}

async function loadAccounts() {
  const accounts = await api('GET', '/api/accounts');
  const body = $('accounts');
  body.replaceChildren(...accounts.map((account) => {
    const row = document.createElement('tr');
    row.dataset.id = account.id;
    if (account.id === selected) row.className = 'selected';
    row.append(text('td', account.id, 'mono'), text('td', account.owner || '?'),
      text('td', money(account.balance), 'num'), text('td', account.version, 'num'));
    row.addEventListener('click', () => select(account.id));
    return row;
  }));
  const payments = await api('GET', '/api/payments-log');
  $('payments-count').textContent = payments.received;
}

function metadataCell(metadata) {
  const cell = document.createElement('td');
  for (const key of ['correlationId', 'causationId', 'origin', 'command', 'attempt', 'userId']) {
    if (metadata[key] === undefined) continue;
    const line = document.createElement('div');
    line.className = 'kv mono';
    line.append(key + ' ', text('b', key.endsWith('Id') ? shortId(metadata[key]) : metadata[key]));
    line.title = metadata[key];
    cell.append(line);
  }
  return cell;
}

async function loadAccount() {
  if (!selected) return;
  const [details, events] = await Promise.all([
    api('GET', `/api/accounts/${encodeURIComponent(selected)}`),
    api('GET', `/api/accounts/${encodeURIComponent(selected)}/events`)]);
  const account = details.account;
  $('account-title').textContent = `${account.id} · ${account.owner}`;
  const summary = $('account-summary');
  summary.className = '';
  summary.replaceChildren(text('div', money(account.balance), 'balance'),
    text('div', `version ${account.version} · rebuilt from ` + (details.snapshotVersion > 0
      ? `snapshot v${details.snapshotVersion} + ${details.eventsReplayed} events`
      : `${details.eventsReplayed} events (no snapshot yet)`), 'muted small'));
  $('events').replaceChildren(...events.slice().reverse().map((event) => {
    const row = document.createElement('tr');
    row.dataset.version = event.version;
    row.append(text('td', event.version, 'num'), text('td', event.type),
      text('td', JSON.stringify(event.data), 'mono'), metadataCell(event.metadata));
    return row;
  }));
}

async function select(id) {
  selected = id;
  history.replaceState(null, '', '#account=' + encodeURIComponent(id));
  $('deposit-submit').disabled = false;
  $('withdraw-submit').disabled = false;
  for (const row of $('accounts').children) row.classList.toggle('selected', row.dataset.id === id);
  try {
    await loadAccount();
  } catch (error) {
    showMessage(error.message, false);
  }
}

async function command(kind) {
  const body = { amount: $('amount').value === '' ? null : Number($('amount').value) };
  if (kind === 'withdrawals' && $('fee').value !== '') body.fee = Number($('fee').value);
  try {
    const result = await api('POST', `/api/accounts/${encodeURIComponent(selected)}/${kind}`, body);
    const retried = result.attempts > 1 ? ` after ${result.attempts - 1} lost race(s)` : '';
    const saved = result.events.map(event => `${event.type} at version ${event.version}`).join(' and ');
    showMessage(`${saved} saved${retried}`, true);
    await loadAccount();
  } catch (error) {
    showMessage(error.message, false);
  }
}

function addToFeed(event, fresh) {
  const item = document.createElement('li');
  item.className = 'feed-item' + (fresh ? ' fresh' : '');
  item.dataset.eventId = event.id;
  item.dataset.actorId = event.actorId;
  item.dataset.type = event.type;
  const time = new Date(event.timestamp).toLocaleTimeString();
  item.append(text('div', `${event.type} · ${event.actorId} v${event.version}`),
    text('div', `${time} · ${event.namespace} · from ${event.metadata.origin || '?'} · corr ${shortId(event.metadata.correlationId)}`,
      'muted small mono'));
  $('feed').prepend(item);
}

let refreshPending = false;
function refreshSoon() {
  if (refreshPending) return;
  refreshPending = true;
  setTimeout(async () => {
    refreshPending = false;
    try {
      await loadAccounts();
    } catch (error) {
      showMessage(error.message, false);
    }
  }, 150);
}

function connectFeed() {
  const source = new EventSource('/api/feed');
  source.addEventListener('ready', (message) => {
    $('instance').textContent = message.data;
    $('feed-status').textContent = 'live';
    $('feed-status').className = 'badge live';
  });
  source.addEventListener('event', (message) => {
    const event = JSON.parse(message.data);
    addToFeed(event, true);
    refreshSoon();
    if (event.actorId === selected) loadAccount().catch((error) => showMessage(error.message, false));
  });
  source.onerror = () => {
    $('feed-status').textContent = 'reconnecting…';
    $('feed-status').className = 'badge';
  };
}

$('open-form').addEventListener('submit', async (submit) => {
  submit.preventDefault();
  const body = { owner: $('open-owner').value };
  if ($('open-id').value.trim() !== '') body.id = $('open-id').value.trim();
  try {
    const result = await api('POST', '/api/accounts', body);
    showMessage(`Account ${result.account.id} opened`, true);
    $('open-owner').value = '';
    $('open-id').value = '';
    await loadAccounts();
    await select(result.account.id);
  } catch (error) {
    showMessage(error.message, false);
  }
});
$('deposit-submit').addEventListener('click', () => command('deposits'));
$('withdraw-submit').addEventListener('click', () => command('withdrawals'));

(async () => {
  const recent = await api('GET', '/api/feed/recent');
  recent.slice().reverse().forEach((event) => addToFeed(event, false));
  connectFeed();
  await loadAccounts();
  // A link such as /#account=alice opens that account.
  const linked = new URLSearchParams(location.hash.slice(1)).get('account');
  if (linked) await select(linked);
})().catch((error) => showMessage(error.message, false));
