/**
 * The SPOC playground page: shows the fake Slack workspace as the person chosen at the top, and
 * sends what they do to the playground server (/play/act), which relays it to the real app as
 * Slack would. It renders with blockkit.js and decides nothing itself. No framework, no build
 * step, and no network beyond this server.
 */
import {
  collectState,
  EMOJI,
  escapeHtml,
  readAction,
  renderMessage,
  renderOptionList,
  renderView,
  selectExternalOption,
} from './blockkit.js';

const SPOC_CHANNEL = 'C0PLAYSPOC';
const $ = (id) => document.getElementById(id);

const ui = {
  me: '',
  /** A channel id, 'dm' or 'home'. */
  current: SPOC_CHANNEL,
  /** The top-level message whose thread is open. */
  thread: null,
  data: null,
  version: 0,
  /** What was last drawn, so a poll that changed nothing leaves inputs alone. */
  drawn: { pane: '', modal: '', thread: '', sidebar: '', home: '' },
  /** Messages seen per conversation (unread badges). */
  seen: {},
  /** The message the "⋯" menu is open for. */
  menuFor: null,
  highlight: null,
  homeOpenedFor: '',
  pollError: 0,
};

// ---------------------------------------------------------------------------------------------
// Talking to the server

async function getJson(url, init) {
  let res;
  try {
    res = await fetch(url, init);
  } catch (error) {
    if (init?.signal?.aborted) throw error;
    throw new Error('The playground server is not answering. Is `npm start` still running?');
  }
  let body;
  try {
    body = await res.json();
  } catch {
    throw new Error(`The playground answered HTTP ${res.status} with something that is not JSON.`);
  }
  if (!res.ok && body?.ok !== false) throw new Error(`The playground answered HTTP ${res.status}.`);
  return body;
}

/** Sends one thing the person did; shows any problem; refreshes at once. */
async function act(kind, fields = {}, { quiet = false } = {}) {
  try {
    const answer = await getJson('/play/act', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as: ui.me, kind, ...fields }),
    });
    if (answer.ok === false && !quiet) showError(answer.error ?? answer.message ?? 'That did not work.');
    refresh();
    return answer;
  } catch (error) {
    showError(error.message);
    return { ok: false, error: error.message };
  }
}

let polling = false;
let pollAgain = false;
/** Ends the long-poll in flight (switching person must not wait for it). */
let pollAbort = null;

/** Fetches the state now (without waiting for a change). */
function refresh() {
  if (polling) {
    pollAgain = true;
    return;
  }
  fetchState(false);
}

async function fetchState(wait) {
  polling = true;
  try {
    const params = new URLSearchParams({ as: ui.me });
    if (wait && ui.version) {
      params.set('since', String(ui.version));
      params.set('wait', '20000');
    }
    pollAbort = new AbortController();
    const state = await getJson(`/play/state?${params}`, { signal: pollAbort.signal });
    if (state.ok === false) throw new Error(state.error ?? 'The playground could not show the workspace.');
    if (state.me !== ui.me) return;
    ui.pollError = 0;
    hideBanner('offline');
    ui.data = state;
    ui.version = state.version;
    draw();
  } catch (error) {
    if (pollAbort?.signal.aborted) return;
    ui.pollError++;
    showBanner('offline', `${error.message} Trying again…`);
  } finally {
    polling = false;
    pollAbort = null;
  }
}

/** Long-polls for changes for as long as the page is open. */
async function pollLoop() {
  for (;;) {
    await fetchState(true);
    if (pollAgain) {
      pollAgain = false;
      continue;
    }
    // A failed poll backs off; a successful long-poll returns straight away when something changed.
    const pause = ui.pollError ? Math.min(500 * 2 ** ui.pollError, 8000) : 150;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

// ---------------------------------------------------------------------------------------------
// Messages shown to the person about the page itself

const banners = new Map();

function showBanner(key, text) {
  banners.set(key, text);
  drawBanner();
}

function hideBanner(key) {
  if (banners.delete(key)) drawBanner();
}

function drawBanner() {
  const el = $('banner');
  const texts = [...banners.values()];
  el.hidden = texts.length === 0;
  el.textContent = texts.join(' ');
}

function showError(text) {
  $('error-text').textContent = text;
  $('error').hidden = false;
}

function hideError() {
  $('error').hidden = true;
}

// ---------------------------------------------------------------------------------------------
// Drawing

function opts() {
  const d = ui.data;
  return {
    users: d?.users ?? {},
    channels: d?.channelNames ?? {},
    timeZone: d?.school?.timezone ?? 'Europe/London',
    now: d ? Date.parse(d.now) : Date.now(),
  };
}

const timeFormat = () =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: ui.data?.school?.timezone ?? 'Europe/London',
    hour: '2-digit',
    minute: '2-digit',
  });

function tsTime(ts) {
  return timeFormat().format(new Date(Number(String(ts).split('.')[0]) * 1000));
}

function conversation(id) {
  const d = ui.data;
  if (!d) return undefined;
  if (id === 'dm') return d.channels.find((c) => c.kind === 'im');
  return d.channels.find((c) => c.id === id);
}

function draw() {
  const d = ui.data;
  if (!d) return;
  drawTop(d);
  drawSidebar(d);
  drawPane(d);
  drawThread(d);
  drawModal(d);
  drawActivity(d);
}

function drawTop(d) {
  $('school-name').textContent = d.school ? d.school.name : d.team.name;
  const select = $('person');
  const options = d.people
    .map(
      (p) =>
        `<option value="${escapeHtml(p.id)}"${p.id === ui.me ? ' selected' : ''}>${escapeHtml(p.name)} — ${escapeHtml(p.title)}</option>`,
    )
    .join('');
  if (select.dataset.drawn !== options) {
    select.innerHTML = options;
    select.dataset.drawn = options;
  }
  const now = new Date(d.now);
  const when = new Intl.DateTimeFormat('en-GB', {
    timeZone: d.school?.timezone ?? 'Europe/London',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(now);
  const clock = $('clock');
  clock.textContent =
    d.schoolTime === null ? when : `${when} · ${d.schoolTime ? 'school time' : 'outside school time'}`;
  clock.classList.toggle('out-of-hours', d.schoolTime === false);
  const at = $('reminders-at');
  if (!at.value && !at.dataset.touched) at.placeholder = '';
  if (d.school) hideBanner('empty');
  else
    showBanner(
      'empty',
      'The demo school is empty: press “Seed demo school” to fill it with people, registers and incidents in every state.',
    );
}

function drawSidebar(d) {
  const channels = d.channels.filter((c) => c.kind === 'channel');
  const html = channels
    .map((c) => {
      if (ui.current === c.id) ui.seen[c.id] = c.messages.length;
      const unread = Math.max(0, c.messages.length - (ui.seen[c.id] ?? c.messages.length));
      return (
        `<li><button type="button" class="nav-item${ui.current === c.id ? ' active' : ''}" data-conversation="${escapeHtml(c.id)}" data-testid="nav-${escapeHtml(c.name)}">` +
        `# ${escapeHtml(c.name)}${unread ? `<span class="badge">${unread}</span>` : ''}</button></li>`
      );
    })
    .join('');
  if (ui.drawn.sidebar !== html) {
    $('channel-list').innerHTML = html;
    ui.drawn.sidebar = html;
  }
  for (const c of channels) if (ui.seen[c.id] === undefined) ui.seen[c.id] = c.messages.length;
  const dm = conversation('dm');
  const dmCount = dm ? dm.messages.length : 0;
  if (ui.current === 'dm' || ui.seen.dm === undefined) ui.seen.dm = dmCount;
  const unreadDm = Math.max(0, dmCount - ui.seen.dm);
  $('dm-badge').hidden = unreadDm === 0;
  $('dm-badge').textContent = String(unreadDm);
  $('nav-dm').classList.toggle('active', ui.current === 'dm');
  $('nav-home').classList.toggle('active', ui.current === 'home');
}

function fileList(files) {
  if (!files?.length) return '';
  return `<div class="files">${files
    .map(
      (f) =>
        `<a class="file" data-testid="file" href="${escapeHtml(f.url)}" download="${escapeHtml(f.name)}">📄 ${escapeHtml(f.title || f.name)} <span class="file-size">${Math.max(1, Math.round(f.size / 1024))} KB</span></a>`,
    )
    .join('')}</div>`;
}

/** A message's reactions, as Slack shows them under it: each emoji with how many added it. */
function reactionList(reactions) {
  if (!reactions?.length) return '';
  return `<div class="reactions">${reactions
    .map(
      (r) =>
        `<span class="reaction" data-testid="reaction" title=":${escapeHtml(r.name)}:">${escapeHtml(EMOJI[r.name] ?? `:${r.name}:`)} ${r.count}</span>`,
    )
    .join('')}</div>`;
}

function messageHtml(m, channelId, { inThread = false } = {}) {
  const replies = !inThread && m.replies?.length ? m.replies.length : 0;
  const classes = ['message'];
  if (m.bot) classes.push('from-bot');
  if (m.broadcast) classes.push('broadcast');
  if (ui.highlight === `${channelId}/${m.ts}`) classes.push('highlight');
  return (
    `<div class="${classes.join(' ')}" data-testid="message" data-channel="${escapeHtml(channelId)}" data-ts="${escapeHtml(m.ts)}">` +
    `<div class="message-meta"><span class="author">${escapeHtml(m.userName)}</span>${m.bot ? '<span class="app-tag">APP</span>' : ''}` +
    `<span class="time">${escapeHtml(tsTime(m.ts))}</span>${m.edited ? '<span class="edited">(edited)</span>' : ''}` +
    `${m.broadcast ? '<span class="broadcast-tag">replied to a thread</span>' : ''}` +
    `<button type="button" class="message-more" data-testid="message-more" aria-label="More actions">⋯</button></div>` +
    `<div class="message-body">${renderMessage(m, opts())}</div>${fileList(m.files)}${reactionList(m.reactions)}` +
    (replies
      ? `<button type="button" class="replies link-button" data-testid="replies" data-thread="${escapeHtml(m.ts)}">${replies} ${replies === 1 ? 'reply' : 'replies'}</button>`
      : '') +
    '</div>'
  );
}

function ephemeralHtml(e) {
  return (
    `<div class="message ephemeral" data-testid="ephemeral" data-channel="${escapeHtml(e.channel)}" data-ts="${escapeHtml(e.ts)}" data-ephemeral="true">` +
    `<div class="message-meta"><span class="author">SPOC</span><span class="app-tag">APP</span><span class="time">${escapeHtml(tsTime(e.ts))}</span>` +
    '<span class="only-you">Only visible to you</span>' +
    `<button type="button" class="dismiss link-button" data-testid="dismiss" data-dismiss="${escapeHtml(e.ts)}">Dismiss</button></div>` +
    `<div class="message-body">${renderMessage(e, opts())}</div></div>`
  );
}

function drawPane(d) {
  const header = $('pane-header');
  const pane = $('pane');
  const composer = $('composer-form');
  if (ui.current === 'home') {
    composer.hidden = true;
    header.textContent = 'SPOC — App Home';
    const html = d.home
      ? renderView({ ...d.home.view, id: d.home.id }, opts())
      : '<div class="empty">Opening the App Home…</div>';
    if (ui.drawn.pane !== html) {
      pane.innerHTML = `<div class="home-pane" data-testid="home">${html}</div>`;
      ui.drawn.pane = html;
    }
    return;
  }
  composer.hidden = false;
  const c = conversation(ui.current);
  if (!c) {
    ui.current = SPOC_CHANNEL;
    return drawPane(d);
  }
  header.textContent = c.kind === 'im' ? 'SPOC — messages' : `# ${c.name}${c.topic ? ` · ${c.topic}` : ''}`;
  $('composer').placeholder =
    c.kind === 'im' ? 'Type /fault or /spoc' : `Message #${c.name}, or type /fault or /spoc`;
  const items = [
    ...c.messages.map((m) => ({ ts: m.ts, html: messageHtml(m, c.id) })),
    ...d.ephemeral
      .filter((e) => e.channel === c.id && !e.thread_ts)
      .map((e) => ({ ts: e.ts, html: ephemeralHtml(e) })),
  ].sort((a, b) => Number(a.ts) - Number(b.ts));
  const html = items.length
    ? items.map((i) => i.html).join('')
    : `<div class="empty">Nothing here yet.${c.id === SPOC_CHANNEL ? ' Report a fault with /fault.' : ''}</div>`;
  if (ui.drawn.pane === html) return;
  const nearBottom = pane.scrollHeight - pane.scrollTop - pane.clientHeight < 80;
  pane.innerHTML = `<div class="messages" data-testid="messages" data-channel-id="${escapeHtml(c.id)}">${html}</div>`;
  ui.drawn.pane = html;
  ui.seen[ui.current === 'dm' ? 'dm' : c.id] = c.messages.length;
  if (ui.highlight) {
    pane.querySelector('.message.highlight')?.scrollIntoView({ block: 'center' });
  } else if (nearBottom || !pane.dataset.scrolled) {
    pane.scrollTop = pane.scrollHeight;
    pane.dataset.scrolled = '1';
  }
}

function drawThread(d) {
  const aside = $('thread');
  if (!ui.thread || ui.current === 'home') {
    aside.hidden = true;
    ui.drawn.thread = '';
    return;
  }
  const c = conversation(ui.thread.channel === 'dm' ? 'dm' : ui.thread.channel);
  const parent = c?.messages.find((m) => m.ts === ui.thread.ts);
  if (!c || !parent) {
    ui.thread = null;
    aside.hidden = true;
    return;
  }
  aside.hidden = false;
  const ephemeral = d.ephemeral
    .filter((e) => e.channel === c.id && e.thread_ts === parent.ts)
    .map((e) => ({ ts: e.ts, html: ephemeralHtml(e) }));
  const replies = [
    ...parent.replies.map((m) => ({ ts: m.ts, html: messageHtml(m, c.id, { inThread: true }) })),
    ...ephemeral,
  ]
    .sort((a, b) => Number(a.ts) - Number(b.ts))
    .map((r) => r.html)
    .join('');
  const html = `${messageHtml({ ...parent, replies: [] }, c.id, { inThread: true })}<div class="thread-replies" data-testid="thread-replies">${replies || '<div class="empty">No replies yet.</div>'}</div>`;
  if (ui.drawn.thread === html) return;
  const body = $('thread-body');
  body.innerHTML = html;
  body.scrollTop = body.scrollHeight;
  ui.drawn.thread = html;
}

function drawModal(d) {
  const overlay = $('modal-overlay');
  const modal = d.modal;
  if (!modal) {
    overlay.hidden = true;
    ui.drawn.modal = '';
    return;
  }
  overlay.hidden = false;
  const key = `${modal.id}:${modal.hash}`;
  if (ui.drawn.modal !== key) {
    // Slack keeps what was typed when the app updates the same view: so does the page.
    const kept = ui.drawn.modal.startsWith(`${modal.id}:`) ? keepInputs($('modal-body')) : null;
    $('modal-body').innerHTML = renderView({ ...modal.view, id: modal.id }, opts());
    if (kept) restoreInputs($('modal-body'), kept);
    $('modal').dataset.viewId = modal.id;
    $('modal').dataset.depth = String(modal.depth);
    ui.drawn.modal = key;
    ui.drawn.errors = '';
    const first = $('modal-body').querySelector('input:not([type=hidden]), textarea, select');
    first?.focus();
  }
  const errors = JSON.stringify(modal.errors ?? {});
  if (ui.drawn.errors === errors) return;
  ui.drawn.errors = errors;
  for (const slot of $('modal-body').querySelectorAll('.bk-error[data-error-for]')) slot.textContent = '';
  const unplaced = [];
  for (const [blockId, text] of Object.entries(modal.errors ?? {})) {
    const slot = $('modal-body').querySelector(`.bk-error[data-error-for="${CSS.escape(blockId)}"]`);
    if (slot) slot.textContent = text;
    else unplaced.push(text);
  }
  const problem = $('modal-problem');
  problem.hidden = unplaced.length === 0;
  problem.textContent = unplaced.join(' ');
}

const stateKey = (el) => `${el.getAttribute('data-block-id')}\u0000${el.getAttribute('data-action-id')}`;

/** What the person has entered in a view, element by element. */
function keepInputs(root) {
  const kept = new Map();
  for (const el of root.querySelectorAll('[data-bk-state]')) {
    kept.set(stateKey(el), {
      type: el.getAttribute('data-type'),
      value: 'value' in el ? el.value : undefined,
      selected: [...el.querySelectorAll('option')].filter((o) => o.selected).map((o) => o.value),
      checked: [...el.querySelectorAll('input')].filter((i) => i.checked).map((i) => i.value),
      external: el.getAttribute('data-selected'),
      query: el.querySelector('[data-query]')?.value,
      files: el.getAttribute('data-files'),
    });
  }
  return kept;
}

function restoreInputs(root, kept) {
  for (const el of root.querySelectorAll('[data-bk-state]')) {
    const k = kept.get(stateKey(el));
    if (!k || k.type !== el.getAttribute('data-type')) continue;
    if (el.tagName === 'SELECT') {
      for (const o of el.querySelectorAll('option')) o.selected = k.selected.includes(o.value);
    } else if (el.matches('.bk-radio-group, .bk-checkbox-group')) {
      for (const i of el.querySelectorAll('input')) i.checked = k.checked.includes(i.value);
    } else if (el.matches('.bk-external')) {
      if (k.external) el.setAttribute('data-selected', k.external);
      const q = el.querySelector('[data-query]');
      if (q && k.query !== undefined) q.value = k.query;
    } else if (el.matches('input[type=file]')) {
      if (k.files) el.setAttribute('data-files', k.files);
    } else if (k.value !== undefined) {
      el.value = k.value;
    }
  }
}

function drawActivity(d) {
  const list = $('activity-list');
  const html = d.log
    .slice()
    .reverse()
    .map(
      (l) =>
        `<li class="log-${escapeHtml(l.level)}"><span class="time">${escapeHtml(timeFormat().format(new Date(l.at)))}</span> ${escapeHtml(l.text)}</li>`,
    )
    .join('');
  if (list.dataset.drawn !== html) {
    list.innerHTML = html || '<li class="empty">Nothing yet.</li>';
    list.dataset.drawn = html;
  }
  const warnings = d.log.filter((l) => l.level !== 'info').length;
  $('activity-badge').hidden = warnings === 0;
  $('activity-badge').textContent = String(warnings);
}

// ---------------------------------------------------------------------------------------------
// Navigation

function go(conversationId) {
  ui.current = conversationId;
  ui.thread = null;
  ui.drawn.pane = '';
  $('pane').dataset.scrolled = '';
  if (conversationId === 'home') {
    ui.drawn.pane = '';
    act('home', {}, { quiet: false });
  }
  draw();
}

function switchPerson(id) {
  ui.me = id;
  ui.version = 0;
  ui.thread = null;
  ui.seen = {};
  ui.drawn = { pane: '', modal: '', thread: '', sidebar: '', home: '' };
  try {
    localStorage.setItem('spoc-playground-person', id);
  } catch {
    // Private windows may refuse storage; the choice then lasts until reload.
  }
  const url = new URL(location.href);
  url.searchParams.set('as', id);
  history.replaceState(null, '', url);
  hideError();
  pollAbort?.abort();
  if (ui.current === 'home') act('home');
  refresh();
}

function followHash() {
  const match = /^#msg=([A-Z0-9]+)\/([0-9.]+)$/.exec(location.hash);
  if (!match) return;
  const [, channel, ts] = match;
  ui.highlight = `${channel}/${ts}`;
  const c = ui.data?.channels.find((x) => x.id === channel);
  go(c?.kind === 'im' ? 'dm' : channel);
  setTimeout(() => {
    ui.highlight = null;
  }, 4000);
}

// ---------------------------------------------------------------------------------------------
// Acting on Block Kit elements

/** Where an element sits, as block_actions describes its container. */
function containerOf(el) {
  const view = el.closest('[data-view-id]');
  if (view) return { container: { type: 'view', viewId: view.getAttribute('data-view-id') }, root: view };
  const message = el.closest('.message');
  if (message) {
    return {
      container: {
        type: 'message',
        channel: message.dataset.channel,
        ts: message.dataset.ts,
        ephemeral: message.dataset.ephemeral === 'true',
      },
      root: message,
    };
  }
  return null;
}

function confirmed(el) {
  const raw = el.getAttribute('data-confirm');
  if (!raw) return true;
  try {
    const c = JSON.parse(raw);
    const text = [c.title?.text, c.text?.text].filter(Boolean).join('\n\n');
    return window.confirm(text || 'Are you sure?');
  } catch {
    return window.confirm('Are you sure?');
  }
}

async function sendAction(el) {
  const where = containerOf(el);
  if (!where) return showError('The page could not tell where that button is.');
  if (!confirmed(el)) {
    if (el.tagName === 'SELECT') el.value = '';
    return;
  }
  const url = el.getAttribute('data-url');
  if (url) window.open(url, '_blank', 'noopener');
  let action;
  try {
    action = readAction(el);
  } catch (error) {
    return showError(`The page could not read that element: ${error.message}`);
  }
  const fields = { container: where.container, action };
  if (where.container.type === 'view' || where.root.querySelector('[data-bk-state]')) {
    fields.state = collectState(where.root);
  }
  el.setAttribute('aria-busy', 'true');
  try {
    await act('action', fields);
  } finally {
    el.removeAttribute('aria-busy');
  }
}

async function submitModal() {
  const root = $('modal-body').querySelector('[data-view-id]');
  if (!root) return;
  const button = root.querySelector('[data-view-action="submit"]');
  if (button?.disabled) return;
  if (button) button.disabled = true;
  try {
    await act('submit', { viewId: root.getAttribute('data-view-id'), state: collectState(root) });
  } finally {
    if (button) button.disabled = false;
  }
}

function closeModal(all) {
  const root = $('modal-body').querySelector('[data-view-id]');
  if (!root) return;
  act('close', { viewId: root.getAttribute('data-view-id'), all });
}

const suggestTimers = new WeakMap();

function suggest(input) {
  const container = input.closest('.bk-external');
  if (!container) return;
  clearTimeout(suggestTimers.get(container));
  container.removeAttribute('data-selected');
  const min = Number(container.getAttribute('data-min-query-length') ?? 3);
  const list = container.querySelector('.bk-external-options');
  if (input.value.length < min) {
    list.innerHTML = input.value
      ? `<li class="bk-external-hint">Type at least ${min} character${min === 1 ? '' : 's'}</li>`
      : '';
    return;
  }
  suggestTimers.set(
    container,
    setTimeout(async () => {
      const view = container.closest('[data-view-id]');
      const message = container.closest('.message');
      const answer = await act('suggest', {
        viewId: view?.getAttribute('data-view-id') ?? undefined,
        channel: message?.dataset.channel,
        actionId: container.getAttribute('data-action-id'),
        blockId: container.getAttribute('data-block-id'),
        value: input.value,
      });
      if (!answer.ok) return;
      const options = answer.options ?? [];
      const html = Array.isArray(options)
        ? renderOptionList({ options })
        : renderOptionList({ option_groups: options });
      list.innerHTML = html || '<li class="bk-external-hint">No matches</li>';
    }, 250),
  );
}

function chooseExternal(li) {
  const container = li.closest('.bk-external');
  let option;
  try {
    option = JSON.parse(li.getAttribute('data-option'));
  } catch {
    return;
  }
  selectExternalOption(container, option);
  if (container.hasAttribute('data-bk-action')) sendAction(container);
}

async function uploadFiles(input) {
  const files = [...(input.files ?? [])];
  const uploaded = [];
  for (const file of files) {
    const params = new URLSearchParams({ as: ui.me, name: file.name });
    try {
      // The header tells the server the page sent it (no other site can send it without asking first).
      const answer = await getJson(`/play/file?${params}`, {
        method: 'POST',
        body: file,
        headers: { 'x-spoc-playground': 'upload' },
      });
      if (!answer.ok) throw new Error(answer.error ?? 'The upload failed.');
      uploaded.push(answer.file);
    } catch (error) {
      showError(`${file.name}: ${error.message}`);
    }
  }
  input.setAttribute('data-files', JSON.stringify(uploaded));
  if (input.hasAttribute('data-bk-action')) sendAction(input);
}

// ---------------------------------------------------------------------------------------------
// The composer

function commandHints() {
  const text = $('composer').value;
  const hints = $('command-hints');
  const commands = ui.data?.commands ?? {};
  if (!text.startsWith('/') || text.includes(' ')) {
    hints.hidden = true;
    return;
  }
  const matches = Object.entries(commands).filter(([name]) => name.startsWith(text.toLowerCase()));
  hints.hidden = matches.length === 0;
  hints.innerHTML = matches
    .map(
      ([name, h]) =>
        `<li><button type="button" class="hint" data-command="${escapeHtml(name)}"><strong>${escapeHtml(name)}</strong> <span class="usage">${escapeHtml(h.usage)}</span><span class="description">${escapeHtml(h.description)}</span></button></li>`,
    )
    .join('');
}

async function send(event) {
  event.preventDefault();
  const input = $('composer');
  const text = input.value.trim();
  if (!text) return;
  const c = conversation(ui.current);
  if (!c) return;
  input.value = '';
  commandHints();
  const answer = text.startsWith('/')
    ? await act('command', { channel: c.id, text })
    : await act('message', { channel: c.id, text });
  if (!answer.ok) input.value = text;
}

async function sendReply(event) {
  event.preventDefault();
  const input = $('thread-composer');
  const text = input.value.trim();
  if (!text || !ui.thread) return;
  const c = conversation(ui.thread.channel === 'dm' ? 'dm' : ui.thread.channel);
  if (!c) return;
  input.value = '';
  const answer = text.startsWith('/')
    ? await act('command', { channel: c.id, text })
    : await act('message', { channel: c.id, text, threadTs: ui.thread.ts });
  if (!answer.ok) input.value = text;
}

// ---------------------------------------------------------------------------------------------
// The "⋯" menu: the message shortcut

function openMenu(button) {
  const message = button.closest('.message');
  if (!message || message.dataset.ephemeral === 'true') return;
  ui.menuFor = { channel: message.dataset.channel, ts: message.dataset.ts };
  const menu = $('menu');
  const box = button.getBoundingClientRect();
  menu.style.top = `${box.bottom + window.scrollY + 4}px`;
  menu.style.left = `${Math.max(8, box.right + window.scrollX - 200)}px`;
  menu.hidden = false;
  $('shortcut-report').focus();
}

function closeMenu() {
  $('menu').hidden = true;
  ui.menuFor = null;
}

// ---------------------------------------------------------------------------------------------
// Wiring

function wire() {
  $('person').addEventListener('change', (e) => switchPerson(e.target.value));
  $('seed').addEventListener('click', async (e) => {
    const button = e.currentTarget;
    button.disabled = true;
    button.textContent = 'Seeding…';
    try {
      const answer = await act('seed');
      if (answer.ok) showBanner('seeded', answer.message.split('\n')[0]);
      setTimeout(() => hideBanner('seeded'), 8000);
    } finally {
      button.disabled = false;
      button.textContent = 'Seed demo school';
    }
  });
  $('reminders').addEventListener('click', async (e) => {
    const button = e.currentTarget;
    button.disabled = true;
    try {
      const at = $('reminders-at').value;
      const answer = await act('reminders', at ? { at } : {});
      if (answer.ok) {
        showBanner('reminders', answer.message);
        setTimeout(() => hideBanner('reminders'), 10000);
      }
    } finally {
      button.disabled = false;
    }
  });
  $('reminders-at').addEventListener('input', (e) => {
    e.target.dataset.touched = '1';
  });
  $('error-close').addEventListener('click', hideError);
  $('composer-form').addEventListener('submit', send);
  $('thread-form').addEventListener('submit', sendReply);
  $('thread-close').addEventListener('click', () => {
    ui.thread = null;
    draw();
  });
  $('composer').addEventListener('input', commandHints);
  $('composer').addEventListener('keydown', (e) => {
    if (e.key !== 'Tab' || $('command-hints').hidden) return;
    const first = $('command-hints').querySelector('[data-command]');
    if (!first) return;
    e.preventDefault();
    $('composer').value = `${first.dataset.command} `;
    commandHints();
  });
  $('command-hints').addEventListener('click', (e) => {
    const hint = e.target.closest('[data-command]');
    if (!hint) return;
    $('composer').value = `${hint.dataset.command} `;
    commandHints();
    $('composer').focus();
  });
  $('modal-x').addEventListener('click', () => closeModal(true));
  $('shortcut-report').addEventListener('click', () => {
    const target = ui.menuFor;
    closeMenu();
    if (target) act('shortcut', target);
  });
  // Reacting with the school's ticket emoji makes the message a ticket.
  $('react-ticket').addEventListener('click', () => {
    const target = ui.menuFor;
    closeMenu();
    if (target) act('react', { ...target, name: ui.data?.school?.ticketEmoji ?? 'ticket' });
  });
  window.addEventListener('hashchange', followHash);

  document.addEventListener('click', (e) => {
    const t = e.target;
    if (!(t instanceof Element)) return;
    if (!t.closest('#menu') && !t.closest('.message-more')) closeMenu();
    const nav = t.closest('[data-conversation]');
    if (nav) return go(nav.dataset.conversation);
    const more = t.closest('.message-more');
    if (more) return openMenu(more);
    const replies = t.closest('[data-thread]');
    if (replies) {
      const message = replies.closest('.message');
      const conv = conversation(ui.current);
      ui.thread = {
        channel: conv?.kind === 'im' ? 'dm' : message.dataset.channel,
        ts: replies.dataset.thread,
      };
      ui.drawn.thread = '';
      return draw();
    }
    const dismiss = t.closest('[data-dismiss]');
    if (dismiss) return act('dismiss', { ts: dismiss.dataset.dismiss });
    const viewAction = t.closest('[data-view-action]');
    if (viewAction) return viewAction.dataset.viewAction === 'submit' ? submitModal() : closeModal(false);
    const option = t.closest('.bk-external-option');
    if (option) return chooseExternal(option);
    const link = t.closest('a[href]');
    if (link) {
      const href = link.getAttribute('href') ?? '';
      if (href.startsWith(`${location.origin}/#`) || href.startsWith('/#') || href.startsWith('#')) {
        e.preventDefault();
        location.hash = href.slice(href.indexOf('#'));
        followHash();
      }
      return;
    }
    const actionEl = t.closest('[data-bk-action="click"]');
    if (actionEl && !actionEl.disabled) sendAction(actionEl);
  });
  document.addEventListener('change', (e) => {
    const t = e.target;
    if (!(t instanceof Element)) return;
    if (t.matches('input[type=file].bk-file-input')) return uploadFiles(t);
    const actionEl = t.closest('[data-bk-action="change"]');
    if (actionEl && !actionEl.classList.contains('bk-external')) sendAction(actionEl);
  });
  document.addEventListener('input', (e) => {
    const t = e.target;
    if (t instanceof Element && t.matches('[data-query]')) suggest(t);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      if (!$('menu').hidden) return closeMenu();
      if (!$('modal-overlay').hidden) return closeModal(false);
    }
    if (e.key === 'Enter' && e.target instanceof Element && e.target.matches('.bk-external-option')) {
      chooseExternal(e.target);
    }
  });
}

function start() {
  const fromUrl = new URL(location.href).searchParams.get('as');
  let stored = null;
  try {
    stored = localStorage.getItem('spoc-playground-person');
  } catch {
    // No storage: start as the teacher.
  }
  ui.me = fromUrl || stored || 'U0PLAYTEACH';
  wire();
  window.addEventListener('error', (e) => showError(`The page hit a problem: ${e.message}`));
  window.addEventListener('unhandledrejection', (e) =>
    showError(`The page hit a problem: ${e.reason?.message ?? e.reason}`),
  );
  fetchState(false).then(async () => {
    // Someone remembered from an older playground: start as the teacher instead.
    if (!ui.data && ui.me !== 'U0PLAYTEACH') {
      ui.me = 'U0PLAYTEACH';
      await fetchState(false);
    }
    followHash();
    pollLoop();
  });
}

start();
