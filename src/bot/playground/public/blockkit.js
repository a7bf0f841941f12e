/**
 * Block Kit renderer for the SPOC playground: the app's own Block Kit JSON in, HTML strings out.
 * Plain ES module with no dependencies, loaded by the playground page and imported by tests.
 * It renders only; it never decides anything. Every piece of text is HTML-escaped.
 *
 * Exports
 *   renderBlocks(blocks, opts) → string        a list of blocks
 *   renderMessage(message, opts) → string      a message: its blocks, or its mrkdwn `text` if none
 *   renderView(view, opts) → string            a modal (title, blocks, submit/close) or a home tab
 *   renderMrkdwn(text, opts) → string          Slack mrkdwn (text as Slack sends it, & < > escaped)
 *   renderText(textObject, opts) → string      a plain_text or mrkdwn text object
 *   renderOptionList(answer) → string          options of a block_suggestion answer, for an external select
 *   escapeHtml(text) → string                  HTML-escapes & < > " '
 *   EMOJI                                      shortcode → Unicode map
 *   DOM helpers (browser; work on any element with getAttribute/querySelectorAll/value/checked/selected):
 *   collectState(root) → view.state.values     Slack's exact shape, from every stateful element under root
 *   elementState(el) → one state entry         { type, value | selected_option | … }
 *   readAction(el, nowMs?) → actions[0]        what Slack sends in block_actions for that element
 *   selectExternalOption(container, option)    records the option chosen in an external select
 *   opts = { users: {id: name}, channels: {id: name}, timeZone?: 'Europe/London', now?: ms, namePrefix?: string,
 *            state?: view.state.values }  — state (e.g. from collectState before a views.update) takes the
 *            place of initial values where block_id and action_id match, as Slack keeps what was entered
 *
 * Data attributes
 *   data-bk-action="click"|"change"  interacting sends block_actions (buttons, overflow and elements in
 *                                    actions blocks / section accessories; input-block elements only
 *                                    with dispatch_action); the value says which DOM event to listen to
 *   data-bk-state                    stateful element read by collectState (inputs, selects, pickers…)
 *   data-block-id, data-action-id, data-type (Slack element type), data-value (buttons),
 *   data-text (button label), data-style, data-url (link buttons: open it too),
 *   data-confirm (JSON confirm dialog: ask before sending), data-option (JSON of a Slack option, on
 *   <option>/<input>/<li>), data-selected (JSON option chosen in an external select),
 *   data-min-query-length (external select), data-query (the external select's text box),
 *   data-files (file_input: JSON array of Slack file objects the page sets after uploading),
 *   data-view-id, data-view-type, data-callback-id, data-notify-on-close (views),
 *   data-view-action="submit"|"close" (modal buttons), data-error-for=BLOCK_ID (error slot),
 *   data-user-id / data-channel-id (mentions), data-block-type (every block)
 *
 * CSS classes (all prefixed bk-)
 *   views:    bk-view bk-modal bk-home bk-modal-header bk-modal-title bk-modal-body bk-modal-footer
 *             bk-modal-submit bk-modal-close bk-message
 *   blocks:   bk-block + bk-header | bk-section | bk-context | bk-divider | bk-actions | bk-input |
 *             bk-image | bk-rich-text | bk-unsupported
 *   section:  bk-section-main bk-text bk-fields bk-field bk-accessory
 *   context:  bk-context-item bk-context-image
 *   input:    bk-label bk-optional bk-hint bk-error
 *   elements: bk-element bk-button bk-primary bk-danger bk-select bk-multi-select bk-overflow
 *             bk-external bk-external-query bk-external-options bk-external-option bk-external-group
 *             bk-datepicker bk-timepicker bk-text-input bk-multiline bk-number-input bk-file-input
 *             bk-radio-group bk-checkbox-group bk-option bk-option-text bk-option-description
 *             bk-accessory-image
 *   text:     bk-mrkdwn (a message without blocks) bk-bold bk-italic bk-strike bk-code bk-pre bk-quote bk-link
 *             bk-mention bk-channel bk-special bk-date bk-emoji
 *   rich text: bk-rt-section bk-rt-list bk-rt-list-bullet bk-rt-list-ordered bk-rt-indent-N
 *   image:    bk-image-title
 */

/** Emoji shortcodes SPOC uses (and a few common ones) → Unicode. Unknown ones stay as text. */
export const EMOJI = Object.freeze({
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  warning: '⚠️',
  no_entry: '⛔',
  red_circle: '🔴',
  large_orange_circle: '🟠',
  large_yellow_circle: '🟡',
  large_green_circle: '🟢',
  large_blue_circle: '🔵',
  white_circle: '⚪',
  black_circle: '⚫',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  stopwatch: '⏱️',
  camera: '📷',
  alarm_clock: '⏰',
  rotating_light: '🚨',
  double_vertical_bar: '⏸️',
  arrow_forward: '▶️',
  arrow_right: '➡️',
  arrow_left: '⬅️',
  arrow_up: '⬆️',
  arrow_down: '⬇️',
  leftwards_arrow_with_hook: '↩️',
  arrows_counterclockwise: '🔄',
  repeat: '🔁',
  tada: '🎉',
  sparkles: '✨',
  raising_hand: '🙋',
  wave: '👋',
  pray: '🙏',
  handshake: '🤝',
  thumbsup: '👍',
  '+1': '👍',
  thumbsdown: '👎',
  '-1': '👎',
  eyes: '👀',
  thinking_face: '🤔',
  slightly_smiling_face: '🙂',
  smile: '😄',
  memo: '📝',
  pencil: '📝',
  pencil2: '✏️',
  ticket: '🎫',
  label: '🏷️',
  lock: '🔒',
  unlock: '🔓',
  key: '🔑',
  shield: '🛡️',
  sunrise: '🌅',
  telephone_receiver: '📞',
  phone: '☎️',
  speech_balloon: '💬',
  mega: '📣',
  loudspeaker: '📢',
  bell: '🔔',
  page_facing_up: '📄',
  bar_chart: '📊',
  chart_with_upwards_trend: '📈',
  clipboard: '📋',
  pushpin: '📌',
  round_pushpin: '📍',
  mag: '🔍',
  link: '🔗',
  calendar: '📆',
  date: '📅',
  spiral_calendar_pad: '🗓️',
  spiral_note_pad: '🗒️',
  newspaper: '📰',
  incoming_envelope: '📨',
  envelope: '✉️',
  ballot_box_with_ballot: '🗳️',
  email: '📧',
  pound: '💷',
  moneybag: '💰',
  truck: '🚚',
  package: '📦',
  building_construction: '🏗️',
  wrench: '🔧',
  hammer_and_wrench: '🛠️',
  gear: '⚙️',
  computer: '💻',
  printer: '🖨️',
  school: '🏫',
  books: '📚',
  palm_tree: '🌴',
  zzz: '💤',
  bulb: '💡',
  fire: '🔥',
  star: '⭐',
  information_source: 'ℹ️',
  question: '❓',
  exclamation: '❗',
  heavy_plus_sign: '➕',
  point_right: '👉',
});

const ENTITY = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML-escapes text for element content and attribute values. */
export function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ENTITY[c]);
}

/** Undoes Slack's own escaping (&amp; &lt; &gt;) of mrkdwn text. */
function unescapeSlack(text) {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const attr = (name, value) =>
  value === undefined || value === null || value === false ? '' : ` ${name}="${escapeHtml(value)}"`;
const json = (value) => JSON.stringify(value);
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A link target the page may follow: web, mail and phone links only. */
function safeUrl(url) {
  const u = String(url ?? '').trim();
  return /^(https?:|mailto:|tel:)/i.test(u) ? u : null;
}

/**
 * Where an image block's picture comes from: its web address, or a file uploaded to this
 * workspace (`slack_file` by id), which the playground serves itself at /play/files/<id>.
 */
function imageSource(b) {
  const id = isObject(b.slack_file) ? String(b.slack_file.id ?? '') : '';
  if (/^F[A-Z0-9]+$/.test(id)) return `/play/files/${id}`;
  return safeUrl(b.image_url);
}

/** Slack gives blocks and elements without ids one of its own; ours is stable for the same content. */
function generatedId(seed) {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  let n = h >>> 0;
  for (let i = 0; i < 5; i++) {
    out += chars[n % chars.length];
    n = Math.floor(n / chars.length) + i * 7919;
  }
  return out;
}

function emojiHtml(name) {
  const char = EMOJI[name];
  return char ? `<span class="bk-emoji" title=":${escapeHtml(name)}:">${char}</span>` : null;
}

/** Emoji shortcodes in already-escaped HTML text (names are [a-z0-9_+-], untouched by escaping). */
function emojify(html) {
  return html.replace(/:([a-z0-9_+-]+):/g, (whole, name) => emojiHtml(name) ?? whole);
}

// ---------------------------------------------------------------------------------------------
// Text

/** A plain_text or mrkdwn text object (or a bare string, read as plain text). */
export function renderText(text, opts = {}) {
  if (text === undefined || text === null) return '';
  if (typeof text === 'string') return renderPlain(text, true);
  if (!isObject(text)) return '';
  if (text.type === 'mrkdwn') return renderMrkdwn(text.text ?? '', opts);
  return renderPlain(text.text ?? '', text.emoji !== false);
}

function renderPlain(text, emoji) {
  const html = escapeHtml(text).replace(/\n/g, '<br>');
  return emoji ? emojify(html) : html;
}

const PH_OPEN = '\uE000';
const PH_CLOSE = '\uE001';

/**
 * Slack mrkdwn to HTML. The text is as Slack sends it: what people typed has & < > escaped as
 * entities, and `<…>` are links, mentions and dates. Nothing is escaped twice.
 */
export function renderMrkdwn(text, opts = {}) {
  const source = String(text ?? '');
  const parts = source.split(/```/);
  // An odd number of fences leaves the last one unmatched: Slack shows it as typed.
  if (parts.length % 2 === 0) parts[parts.length - 2] += `\`\`\`${parts.pop()}`;
  let html = '';
  parts.forEach((part, index) => {
    if (index % 2 === 1) {
      const body = part.replace(/^\n/, '').replace(/\n$/, '');
      html += `<pre class="bk-pre">${escapeHtml(unescapeSlack(body))}</pre>`;
    } else {
      let chunk = part;
      if (index > 0) chunk = chunk.replace(/^\n/, '');
      if (index < parts.length - 1) chunk = chunk.replace(/\n$/, '');
      html += renderLines(chunk, opts);
    }
  });
  return html;
}

/** Lines, with `>` (or Slack's `&gt;`) quotes grouped and `>>>` quoting the rest. */
function renderLines(text, opts) {
  if (text === '') return '';
  const lines = text.split('\n');
  const out = [];
  let quote = null;
  let rest = false;
  const flush = () => {
    if (quote) out.push({ quote: `<blockquote class="bk-quote">${quote.join('<br>')}</blockquote>` });
    quote = null;
  };
  for (const line of lines) {
    const triple = /^(?:>>>|&gt;&gt;&gt;) ?/.exec(line);
    const single = /^(?:>|&gt;) ?/.exec(line);
    if (rest || triple) {
      rest = true;
      if (!quote) quote = [];
      quote.push(renderInline(triple ? line.slice(triple[0].length) : line, opts));
    } else if (single) {
      if (!quote) quote = [];
      quote.push(renderInline(line.slice(single[0].length), opts));
    } else {
      flush();
      out.push({ line: renderInline(line, opts) });
    }
  }
  flush();
  let html = '';
  out.forEach((item, i) => {
    if (item.quote) html += item.quote;
    else html += item.line + (i < out.length - 1 && !out[i + 1].quote ? '<br>' : '');
  });
  return html;
}

// Escaped text holds no < or >, so those can only be the edges of tags added by an earlier style.
const BOUNDARY_BEFORE = `(^|[\\s([{"'.,;:!?\\-—–/>${PH_CLOSE}])`;
const BOUNDARY_AFTER = `(?=$|[\\s)\\]}"'.,;:!?\\-—–/&<${PH_OPEN}])`;
const styleRule = (mark, cls, tag) => ({
  re: new RegExp(
    `${BOUNDARY_BEFORE}\\${mark}(?![\\s${mark}])([^${mark}\\n]*?[^\\s${mark}])\\${mark}${BOUNDARY_AFTER}`,
    'g',
  ),
  open: `<${tag} class="${cls}">`,
  close: `</${tag}>`,
});
const STYLES = [
  styleRule('*', 'bk-bold', 'strong'),
  styleRule('_', 'bk-italic', 'em'),
  styleRule('~', 'bk-strike', 's'),
];

/** One line of mrkdwn: code spans and `<…>` tokens first, then emoji and *bold* _italic_ ~strike~. */
function renderInline(line, opts) {
  const held = [];
  const hold = (html) => {
    held.push(html);
    return `${PH_OPEN}${held.length - 1}${PH_CLOSE}`;
  };
  let text = line.replace(/`([^`\n]+)`/g, (_, code) =>
    hold(`<code class="bk-code">${escapeHtml(unescapeSlack(code))}</code>`),
  );
  text = text.replace(/<([^<>\n]+)>/g, (whole, inner) => hold(renderToken(inner, opts) ?? escapeHtml(whole)));
  text = text.replace(/:([a-z0-9_+-]+):/g, (whole, name) => {
    const emoji = emojiHtml(name);
    return emoji ? hold(emoji) : whole;
  });
  let html = escapeHtml(unescapeSlack(text));
  for (const { re, open, close } of STYLES) {
    let previous;
    do {
      previous = html;
      html = html.replace(re, (_, before, inner) => `${before}${open}${inner}${close}`);
    } while (html !== previous);
  }
  return html.replace(new RegExp(`${PH_OPEN}(\\d+)${PH_CLOSE}`, 'g'), (_, i) => held[Number(i)]);
}

/** A `<…>` token: link, mention, channel, special or date; null when it is none of these. */
function renderToken(inner, opts) {
  const bar = inner.indexOf('|');
  const target = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? inner.slice(bar + 1) : null;
  const labelHtml = (fallback) => emojify(escapeHtml(unescapeSlack(label ?? fallback)));
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const name = opts.users?.[id] ?? (label ? unescapeSlack(label).replace(/^@/, '') : id);
    return `<span class="bk-mention" data-user-id="${escapeHtml(id)}">@${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const name = opts.channels?.[id] ?? (label ? unescapeSlack(label).replace(/^#/, '') : id);
    return `<span class="bk-mention bk-channel" data-channel-id="${escapeHtml(id)}">#${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('!')) {
    const [command, ...args] = target.slice(1).split('^');
    if (command === 'date') return renderDate(args, label, opts);
    if (command === 'subteam')
      return `<span class="bk-mention bk-special">${labelHtml(`@${args[0] ?? 'group'}`)}</span>`;
    return `<span class="bk-mention bk-special">@${escapeHtml(unescapeSlack(label ?? command).replace(/^@/, ''))}</span>`;
  }
  const url = safeUrl(unescapeSlack(target));
  if (url) {
    const shown = label ?? target.replace(/^mailto:/i, '');
    return `<a class="bk-link" href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${labelHtml(shown)}</a>`;
  }
  return null;
}

const DATE_TOKENS = {
  date_num: { year: 'numeric', month: '2-digit', day: '2-digit' },
  date: { day: 'numeric', month: 'long', year: 'numeric' },
  date_short: { day: 'numeric', month: 'short', year: 'numeric' },
  date_long: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' },
  time: { hour: '2-digit', minute: '2-digit' },
  time_secs: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
};

/** `<!date^unix^{date_short_pretty} {time}|fallback>` in the school's timezone. */
function renderDate(args, fallback, opts) {
  const seconds = Number(args[0]);
  const format = args[1] ?? '';
  const fallbackHtml = escapeHtml(unescapeSlack(fallback ?? ''));
  if (!Number.isFinite(seconds)) return `<span class="bk-date">${fallbackHtml}</span>`;
  const date = new Date(seconds * 1000);
  const timeZone = opts.timeZone ?? 'Europe/London';
  try {
    const fmt = (options) => new Intl.DateTimeFormat('en-GB', { timeZone, ...options }).format(date);
    const dayKey = (d) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(d);
    const now = new Date(opts.now ?? Date.now());
    const pretty = (base) => {
      const day = dayKey(date);
      for (const [offset, word] of [
        [0, 'Today'],
        [-1, 'Yesterday'],
        [1, 'Tomorrow'],
      ]) {
        if (dayKey(new Date(now.getTime() + offset * 86_400_000)) === day) return word;
      }
      return fmt(DATE_TOKENS[base]);
    };
    const text = unescapeSlack(format).replace(/\{([a-z_]+)\}/g, (whole, token) => {
      if (token.endsWith('_pretty')) {
        const base = token.slice(0, -'_pretty'.length);
        return DATE_TOKENS[base] ? pretty(base) : whole;
      }
      return DATE_TOKENS[token] ? fmt(DATE_TOKENS[token]) : whole;
    });
    return `<time class="bk-date" datetime="${date.toISOString()}" title="${fallbackHtml}">${escapeHtml(text)}</time>`;
  } catch {
    return `<span class="bk-date">${fallbackHtml}</span>`;
  }
}

// ---------------------------------------------------------------------------------------------
// Blocks

/** A list of blocks as HTML. */
export function renderBlocks(blocks, opts = {}) {
  if (!Array.isArray(blocks)) return '';
  return blocks.map((block, index) => renderBlock(block, index, opts)).join('');
}

/** A message: its blocks, or its mrkdwn text when it has none. */
export function renderMessage(message, opts = {}) {
  const blocks = message?.blocks;
  const body =
    Array.isArray(blocks) && blocks.length > 0
      ? renderBlocks(blocks, opts)
      : `<div class="bk-text bk-mrkdwn">${renderMrkdwn(message?.text ?? '', opts)}</div>`;
  return `<div class="bk-message">${body}</div>`;
}

/** A modal (title, blocks, submit and close) or a home tab. */
export function renderView(view, opts = {}) {
  if (!isObject(view)) return unsupportedBlock('view');
  const blocks = renderBlocks(view.blocks, opts);
  const common = attr('data-view-id', view.id) + attr('data-callback-id', view.callback_id);
  if (view.type === 'home') {
    return `<div class="bk-view bk-home" data-view-type="home"${common}>${blocks}</div>`;
  }
  if (view.type === 'modal') {
    const close = renderText(view.close ?? { type: 'plain_text', text: 'Cancel' }, opts);
    const submit = view.submit
      ? `<button type="button" class="bk-button bk-primary bk-modal-submit" data-view-action="submit">${renderText(view.submit, opts)}</button>`
      : '';
    return (
      `<div class="bk-view bk-modal" data-view-type="modal"${common}${attr('data-notify-on-close', view.notify_on_close ? 'true' : null)}>` +
      `<div class="bk-modal-header"><span class="bk-modal-title">${renderText(view.title, opts)}</span></div>` +
      `<div class="bk-modal-body">${blocks}</div>` +
      `<div class="bk-modal-footer"><button type="button" class="bk-button bk-modal-close" data-view-action="close">${close}</button>${submit}</div>` +
      '</div>'
    );
  }
  return unsupportedBlock(`view ${view.type}`);
}

function unsupportedBlock(type) {
  return `<div class="bk-block bk-unsupported" data-block-type="${escapeHtml(type)}">Unsupported block: ${escapeHtml(type)}</div>`;
}

function unsupportedElement(type) {
  return `<span class="bk-element bk-unsupported" data-type="${escapeHtml(type)}">Unsupported element: ${escapeHtml(type)}</span>`;
}

const BLOCKS = {
  header: (b, ctx) => `<div${ctx.wrap}>${renderText(b.text, ctx.opts)}</div>`,
  divider: (_, ctx) => `<hr${ctx.wrap}>`,
  section: (b, ctx) => {
    let main = '';
    if (b.text) main += `<div class="bk-text">${renderText(b.text, ctx.opts)}</div>`;
    if (Array.isArray(b.fields) && b.fields.length) {
      main += `<div class="bk-fields">${b.fields.map((f) => `<div class="bk-field">${renderText(f, ctx.opts)}</div>`).join('')}</div>`;
    }
    const accessory = b.accessory
      ? `<div class="bk-accessory">${renderElement(b.accessory, { ...ctx, interactive: true })}</div>`
      : '';
    return `<div${ctx.wrap}><div class="bk-section-main">${main}</div>${accessory}</div>`;
  },
  context: (b, ctx) => {
    const items = (b.elements ?? []).map((e) => {
      if (e?.type === 'image') {
        const src = safeUrl(e.image_url);
        return src
          ? `<img class="bk-context-image" src="${escapeHtml(src)}" alt="${escapeHtml(e.alt_text ?? '')}">`
          : unsupportedElement('image without a web address');
      }
      if (e?.type === 'mrkdwn' || e?.type === 'plain_text') {
        return `<span class="bk-context-item">${renderText(e, ctx.opts)}</span>`;
      }
      return unsupportedElement(e?.type ?? 'unknown');
    });
    return `<div${ctx.wrap}>${items.join('')}</div>`;
  },
  actions: (b, ctx) =>
    `<div${ctx.wrap}>${(b.elements ?? []).map((e) => renderElement(e, { ...ctx, interactive: true })).join('')}</div>`,
  input: (b, ctx) => {
    const elementId = `${ctx.opts.namePrefix ?? 'bk'}-${ctx.blockId}`.replace(/[^A-Za-z0-9_-]/g, '_');
    const element = renderElement(b.element, { ...ctx, interactive: b.dispatch_action === true, elementId });
    const optional = b.optional ? ' <span class="bk-optional">(optional)</span>' : '';
    const hint = b.hint ? `<div class="bk-hint">${renderText(b.hint, ctx.opts)}</div>` : '';
    return (
      `<div${ctx.wrap}><label class="bk-label" id="${elementId}-label" for="${elementId}">${renderText(b.label, ctx.opts)}${optional}</label>` +
      `${element}${hint}<div class="bk-error" data-error-for="${escapeHtml(ctx.blockId)}"></div></div>`
    );
  },
  image: (b, ctx) => {
    const src = imageSource(b);
    const title = b.title ? `<div class="bk-image-title">${renderText(b.title, ctx.opts)}</div>` : '';
    const img = src
      ? `<img src="${escapeHtml(src)}" alt="${escapeHtml(b.alt_text ?? '')}">`
      : unsupportedElement('image without a web address');
    return `<figure${ctx.wrap}>${title}${img}</figure>`;
  },
  rich_text: (b, ctx) =>
    `<div${ctx.wrap}>${(b.elements ?? []).map((e) => richBlock(e, ctx.opts)).join('')}</div>`,
};

function renderBlock(block, index, opts) {
  if (!isObject(block)) return unsupportedBlock(typeof block);
  const type = String(block.type ?? 'unknown');
  const render = Object.hasOwn(BLOCKS, type) ? BLOCKS[type] : null;
  if (!render) return unsupportedBlock(type);
  const blockId = block.block_id ?? generatedId(`${index}:${json(block)}`);
  const cls = `bk-block bk-${type.replace(/_/g, '-')}`;
  const wrap = ` class="${cls}" data-block-type="${escapeHtml(type)}" data-block-id="${escapeHtml(blockId)}"`;
  return render(block, { opts, blockId, wrap });
}

// ---------------------------------------------------------------------------------------------
// Rich text

function richBlock(e, opts) {
  switch (e?.type) {
    case 'rich_text_section':
      return `<div class="bk-rt-section">${richInline(e.elements, opts)}</div>`;
    case 'rich_text_preformatted':
      return `<pre class="bk-pre">${(e.elements ?? []).map((x) => (x?.type === 'text' ? escapeHtml(x.text) : richElement(x, opts))).join('')}</pre>`;
    case 'rich_text_quote':
      return `<blockquote class="bk-quote">${richInline(e.elements, opts)}</blockquote>`;
    case 'rich_text_list': {
      const tag = e.style === 'ordered' ? 'ol' : 'ul';
      const indent = Number(e.indent) > 0 ? ` bk-rt-indent-${Number(e.indent)}` : '';
      const items = (e.elements ?? []).map((item) => `<li>${richInline(item?.elements, opts)}</li>`).join('');
      return `<${tag} class="bk-rt-list bk-rt-list-${tag === 'ol' ? 'ordered' : 'bullet'}${indent}">${items}</${tag}>`;
    }
    default:
      return unsupportedElement(e?.type ?? 'unknown');
  }
}

function richInline(elements, opts) {
  return (elements ?? []).map((x) => richElement(x, opts)).join('');
}

function richStyled(html, style) {
  let out = html;
  if (style?.code) out = `<code class="bk-code">${out}</code>`;
  if (style?.bold) out = `<strong class="bk-bold">${out}</strong>`;
  if (style?.italic) out = `<em class="bk-italic">${out}</em>`;
  if (style?.strike) out = `<s class="bk-strike">${out}</s>`;
  return out;
}

function richElement(x, opts) {
  switch (x?.type) {
    case 'text':
      return richStyled(escapeHtml(x.text).replace(/\n/g, '<br>'), x.style);
    case 'link': {
      const url = safeUrl(x.url);
      const text = escapeHtml(x.text ?? x.url);
      return url
        ? richStyled(
            `<a class="bk-link" href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${text}</a>`,
            x.style,
          )
        : text;
    }
    case 'emoji': {
      if (x.unicode) {
        const chars = String(x.unicode)
          .split('-')
          .map((hex) => String.fromCodePoint(Number.parseInt(hex, 16) || 0x3f))
          .join('');
        return `<span class="bk-emoji" title=":${escapeHtml(x.name)}:">${escapeHtml(chars)}</span>`;
      }
      return emojiHtml(x.name) ?? escapeHtml(`:${x.name}:`);
    }
    case 'user':
      return renderToken(`@${x.user_id}`, opts);
    case 'channel':
      return renderToken(`#${x.channel_id}`, opts);
    case 'usergroup':
      return `<span class="bk-mention bk-special">@${escapeHtml(x.usergroup_id)}</span>`;
    case 'broadcast':
      return `<span class="bk-mention bk-special">@${escapeHtml(x.range)}</span>`;
    case 'date':
      return renderDate([String(x.timestamp), x.format ?? '{date_short} {time}'], x.fallback ?? '', opts);
    default:
      return unsupportedElement(x?.type ?? 'unknown');
  }
}

// ---------------------------------------------------------------------------------------------
// Elements

/**
 * The data attributes every interactive or stateful element carries. `interactive` says whether
 * Slack sends block_actions for it (and on which DOM event); `stateful` whether it is in state.values.
 */
function dataOf(e, ctx, { event, stateful }) {
  return (
    ` data-type="${escapeHtml(e.type)}" data-block-id="${escapeHtml(ctx.blockId)}" data-action-id="${escapeHtml(e.action_id)}"` +
    (ctx.elementId ? ` id="${ctx.elementId}" aria-labelledby="${ctx.elementId}-label"` : '') +
    (ctx.interactive ? ` data-bk-action="${event}"` : '') +
    (stateful ? ' data-bk-state' : '')
  );
}

const optionText = (o) => (isObject(o?.text) ? (o.text.text ?? '') : String(o?.text ?? ''));

function selectOptions(options, selectedValues) {
  return (options ?? [])
    .map(
      (o) =>
        `<option value="${escapeHtml(o?.value ?? '')}" data-option="${escapeHtml(json(o))}"${selectedValues.has(o?.value) ? ' selected' : ''}>${escapeHtml(optionText(o))}</option>`,
    )
    .join('');
}

function staticSelect(e, ctx, multiple) {
  const initial = multiple ? (e.initial_options ?? []) : e.initial_option ? [e.initial_option] : [];
  const selected = new Set(initial.map((o) => o?.value));
  const placeholder = multiple
    ? ''
    : `<option value=""${selected.size ? '' : ' selected'}>${escapeHtml(optionText(e.placeholder) || 'Select an item')}</option>`;
  const body = Array.isArray(e.option_groups)
    ? e.option_groups
        .map(
          (g) =>
            `<optgroup label="${escapeHtml(optionText({ text: g?.label }))}">${selectOptions(g?.options, selected)}</optgroup>`,
        )
        .join('')
    : selectOptions(e.options, selected);
  const cls = multiple ? 'bk-element bk-select bk-multi-select' : 'bk-element bk-select';
  return `<select class="${cls}"${multiple ? ' multiple' : ''}${dataOf(e, ctx, { event: 'change', stateful: true })}>${placeholder}${body}</select>`;
}

/** users_select / conversations_select (and multi and channels variants): the workspace's names. */
function directorySelect(e, ctx, names, prefix, initialKeys, multiple) {
  const initial = initialKeys.flatMap((k) => (Array.isArray(e[k]) ? e[k] : e[k] ? [e[k]] : []));
  const entries = Object.entries(names ?? {});
  for (const id of initial) if (!Object.hasOwn(names ?? {}, id)) entries.push([id, id]);
  const chosen = new Set(initial);
  const placeholder = multiple
    ? ''
    : `<option value=""${chosen.size ? '' : ' selected'}>${escapeHtml(optionText(e.placeholder) || 'Select an item')}</option>`;
  const options = entries
    .map(
      ([id, name]) =>
        `<option value="${escapeHtml(id)}"${chosen.has(id) ? ' selected' : ''}>${prefix}${escapeHtml(name)}</option>`,
    )
    .join('');
  const cls = multiple ? 'bk-element bk-select bk-multi-select' : 'bk-element bk-select';
  return `<select class="${cls}"${multiple ? ' multiple' : ''}${dataOf(e, ctx, { event: 'change', stateful: true })}>${placeholder}${options}</select>`;
}

function choiceGroup(e, ctx, kind) {
  const initial = kind === 'radio' ? (e.initial_option ? [e.initial_option] : []) : (e.initial_options ?? []);
  const chosen = new Set(initial.map((o) => o?.value));
  const name = `${ctx.opts.namePrefix ?? 'bk'}:${ctx.blockId}:${e.action_id ?? ''}`;
  const options = (e.options ?? [])
    .map((o) => {
      const description = o?.description
        ? `<span class="bk-option-description">${renderText(o.description, ctx.opts)}</span>`
        : '';
      return (
        `<label class="bk-option"><input type="${kind}" name="${escapeHtml(name)}" value="${escapeHtml(o?.value ?? '')}" data-option="${escapeHtml(json(o))}"${chosen.has(o?.value) ? ' checked' : ''}>` +
        `<span class="bk-option-text">${renderText(o?.text, ctx.opts)}</span>${description}</label>`
      );
    })
    .join('');
  const cls = kind === 'radio' ? 'bk-radio-group' : 'bk-checkbox-group';
  return `<div class="bk-element ${cls}" role="${kind === 'radio' ? 'radiogroup' : 'group'}"${dataOf(e, ctx, { event: 'change', stateful: true })}>${options}</div>`;
}

function textInput(e, ctx, inputType, cls) {
  const common =
    dataOf(e, ctx, { event: 'change', stateful: true }) +
    attr('placeholder', e.placeholder ? optionText(e.placeholder) : null) +
    attr('maxlength', e.max_length) +
    attr('minlength', e.min_length);
  if (e.multiline) {
    return `<textarea class="bk-element bk-text-input bk-multiline" rows="4"${common}>${escapeHtml(e.initial_value ?? '')}</textarea>`;
  }
  return `<input type="${inputType}" class="bk-element ${cls}"${common}${attr('value', e.initial_value)}>`;
}

const ELEMENTS = {
  button: (e, ctx) => {
    const style = e.style === 'primary' || e.style === 'danger' ? ` bk-${e.style}` : '';
    const label = optionText(e.text);
    return (
      `<button type="button" class="bk-element bk-button${style}"${dataOf(e, { ...ctx, interactive: true }, { event: 'click', stateful: false })}` +
      `${attr('data-value', e.value)}${attr('data-text', label)}${attr('data-style', e.style)}` +
      `${attr('data-url', e.url ? safeUrl(e.url) : null)}${attr('data-confirm', e.confirm ? json(e.confirm) : null)}>` +
      `${renderText(e.text, ctx.opts)}</button>`
    );
  },
  overflow: (e, ctx) =>
    `<select class="bk-element bk-overflow" aria-label="More actions"${dataOf(e, { ...ctx, interactive: true }, { event: 'change', stateful: false })}${attr('data-confirm', e.confirm ? json(e.confirm) : null)}>` +
    `<option value="" selected>⋯</option>${selectOptions(e.options, new Set())}</select>`,
  static_select: (e, ctx) => staticSelect(e, ctx, false),
  multi_static_select: (e, ctx) => staticSelect(e, ctx, true),
  external_select: (e, ctx) => {
    const initial = e.initial_option;
    return (
      `<div class="bk-element bk-select bk-external"${dataOf(e, ctx, { event: 'change', stateful: true })}` +
      `${attr('data-min-query-length', e.min_query_length ?? 3)}${attr('data-selected', initial ? json(initial) : null)}>` +
      `<input type="search" class="bk-external-query" data-query autocomplete="off"${attr('placeholder', optionText(e.placeholder) || 'Type to search')}${attr('value', initial ? optionText(initial) : null)}>` +
      '<ul class="bk-external-options" role="listbox"></ul></div>'
    );
  },
  users_select: (e, ctx) => directorySelect(e, ctx, ctx.opts.users, '@', ['initial_user'], false),
  multi_users_select: (e, ctx) => directorySelect(e, ctx, ctx.opts.users, '@', ['initial_users'], true),
  conversations_select: (e, ctx) =>
    directorySelect(e, ctx, ctx.opts.channels, '#', ['initial_conversation'], false),
  multi_conversations_select: (e, ctx) =>
    directorySelect(e, ctx, ctx.opts.channels, '#', ['initial_conversations'], true),
  channels_select: (e, ctx) => directorySelect(e, ctx, ctx.opts.channels, '#', ['initial_channel'], false),
  datepicker: (e, ctx) =>
    `<input type="date" class="bk-element bk-datepicker"${dataOf(e, ctx, { event: 'change', stateful: true })}${attr('value', e.initial_date)}>`,
  timepicker: (e, ctx) =>
    `<input type="time" class="bk-element bk-timepicker"${dataOf(e, ctx, { event: 'change', stateful: true })}${attr('value', e.initial_time)}>`,
  radio_buttons: (e, ctx) => choiceGroup(e, ctx, 'radio'),
  checkboxes: (e, ctx) => choiceGroup(e, ctx, 'checkbox'),
  plain_text_input: (e, ctx) => textInput(e, ctx, 'text', 'bk-text-input'),
  email_text_input: (e, ctx) => textInput(e, ctx, 'email', 'bk-text-input'),
  url_text_input: (e, ctx) => textInput(e, ctx, 'url', 'bk-text-input'),
  number_input: (e, ctx) =>
    `<input type="number" class="bk-element bk-number-input"${dataOf(e, ctx, { event: 'change', stateful: true })}` +
    `${attr('step', e.is_decimal_allowed ? 'any' : '1')}${attr('min', e.min_value)}${attr('max', e.max_value)}` +
    `${attr('placeholder', e.placeholder ? optionText(e.placeholder) : null)}${attr('value', e.initial_value)}>`,
  file_input: (e, ctx) => {
    const accept = Array.isArray(e.filetypes) ? e.filetypes.map((t) => `.${t}`).join(',') : null;
    return (
      `<input type="file" class="bk-element bk-file-input"${dataOf(e, ctx, { event: 'change', stateful: true })}` +
      `${attr('accept', accept)}${attr('data-max-files', e.max_files ?? 10)}${(e.max_files ?? 10) > 1 ? ' multiple' : ''}` +
      `${attr('data-files', json(Array.isArray(e.files) ? e.files : []))}>`
    );
  },
  image: (e) => {
    const src = safeUrl(e.image_url);
    return src
      ? `<img class="bk-element bk-accessory-image" src="${escapeHtml(src)}" alt="${escapeHtml(e.alt_text ?? '')}">`
      : unsupportedElement('image without a web address');
  },
};

function renderElement(e, ctx) {
  if (!isObject(e)) return unsupportedElement(typeof e);
  const type = String(e.type ?? 'unknown');
  const render = Object.hasOwn(ELEMENTS, type) ? ELEMENTS[type] : null;
  if (!render) return unsupportedElement(type);
  const actionId = e.action_id ?? generatedId(`${ctx.blockId}:${json(e)}`);
  const entry = ctx.opts.state?.[ctx.blockId]?.[actionId];
  return render(withState({ ...e, action_id: actionId }, entry), ctx);
}

/** Which initial_* field holds each state field, so what was entered survives a views.update. */
const STATE_TO_INITIAL = {
  value: 'initial_value',
  selected_option: 'initial_option',
  selected_options: 'initial_options',
  selected_user: 'initial_user',
  selected_users: 'initial_users',
  selected_conversation: 'initial_conversation',
  selected_conversations: 'initial_conversations',
  selected_channel: 'initial_channel',
  selected_date: 'initial_date',
  selected_time: 'initial_time',
  files: 'files',
};

/**
 * Slack keeps what a person entered when a view is updated with the same block and action ids:
 * opts.state (view.state.values) takes the place of the element's initial values.
 */
function withState(e, entry) {
  if (!isObject(entry) || (entry.type && entry.type !== e.type)) return e;
  const out = { ...e };
  for (const [field, initial] of Object.entries(STATE_TO_INITIAL)) {
    if (!Object.hasOwn(entry, field)) continue;
    if (entry[field] === null || entry[field] === undefined) delete out[initial];
    else out[initial] = entry[field];
  }
  return out;
}

/** The options of a block_suggestion answer ({options} or {option_groups}) for an external select's list. */
export function renderOptionList(answer) {
  const item = (o) =>
    `<li class="bk-external-option" role="option" tabindex="0" data-option="${escapeHtml(json(o))}">${escapeHtml(optionText(o))}</li>`;
  if (Array.isArray(answer?.option_groups)) {
    return answer.option_groups
      .map(
        (g) =>
          `<li class="bk-external-group" role="presentation">${escapeHtml(optionText({ text: g?.label }))}</li>${(g?.options ?? []).map(item).join('')}`,
      )
      .join('');
  }
  return (answer?.options ?? []).map(item).join('');
}

// ---------------------------------------------------------------------------------------------
// Reading the page back into Slack's payload shapes (DOM)

const parseJson = (raw, fallback) => {
  try {
    return raw ? JSON.parse(raw) : fallback;
  } catch {
    return fallback;
  }
};
const listOf = (nodes) => Array.from(nodes ?? []);
const slackOption = (o) => {
  if (!isObject(o)) return o;
  const { url: _url, ...rest } = o;
  return rest;
};
const chosenOptions = (el) =>
  listOf(el.querySelectorAll('option'))
    .filter((o) => o.selected && o.getAttribute('value') !== '')
    .map((o) => o.getAttribute('value'));
const optionsOf = (nodes) =>
  listOf(nodes)
    .map((n) => slackOption(parseJson(n.getAttribute('data-option'), null)))
    .filter(Boolean);

/** One stateful element as Slack puts it in view.state.values[block_id][action_id]. */
export function elementState(el) {
  const type = el.getAttribute('data-type');
  const text = () => {
    const v = el.value ?? '';
    return v === '' ? null : v;
  };
  switch (type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      return { type, value: text() };
    case 'static_select': {
      const chosen = listOf(el.querySelectorAll('option')).find(
        (o) => o.selected && o.getAttribute('value') !== '',
      );
      return {
        type,
        selected_option: chosen ? slackOption(parseJson(chosen.getAttribute('data-option'), null)) : null,
      };
    }
    case 'multi_static_select':
      return {
        type,
        selected_options: optionsOf(
          listOf(el.querySelectorAll('option')).filter((o) => o.selected && o.getAttribute('value') !== ''),
        ),
      };
    case 'external_select':
      return { type, selected_option: slackOption(parseJson(el.getAttribute('data-selected'), null)) };
    case 'users_select':
      return { type, selected_user: chosenOptions(el)[0] ?? null };
    case 'multi_users_select':
      return { type, selected_users: chosenOptions(el) };
    case 'conversations_select':
      return { type, selected_conversation: chosenOptions(el)[0] ?? null };
    case 'multi_conversations_select':
      return { type, selected_conversations: chosenOptions(el) };
    case 'channels_select':
      return { type, selected_channel: chosenOptions(el)[0] ?? null };
    case 'datepicker':
      return { type, selected_date: text() };
    case 'timepicker':
      return { type, selected_time: text() };
    case 'radio_buttons': {
      const chosen = optionsOf(listOf(el.querySelectorAll('input')).filter((i) => i.checked));
      return { type, selected_option: chosen[0] ?? null };
    }
    case 'checkboxes':
      return {
        type,
        selected_options: optionsOf(listOf(el.querySelectorAll('input')).filter((i) => i.checked)),
      };
    case 'file_input':
      return { type, files: parseJson(el.getAttribute('data-files'), []) };
    default:
      return { type };
  }
}

/** view.state.values for everything stateful under root, in Slack's shape. */
export function collectState(root) {
  const values = {};
  for (const el of listOf(root.querySelectorAll('[data-bk-state]'))) {
    const blockId = el.getAttribute('data-block-id');
    const actionId = el.getAttribute('data-action-id');
    values[blockId] ??= {};
    values[blockId][actionId] = elementState(el);
  }
  return values;
}

/** Slack's action_ts: seconds with six decimals, as a string. */
function actionTs(nowMs) {
  const ms = Math.floor(nowMs);
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
}

/** The `actions[0]` object Slack sends in block_actions when this element is used. */
export function readAction(el, nowMs = Date.now()) {
  const type = el.getAttribute('data-type');
  const base = {
    type,
    action_id: el.getAttribute('data-action-id'),
    block_id: el.getAttribute('data-block-id'),
  };
  if (type === 'button') {
    const action = {
      ...base,
      text: { type: 'plain_text', text: el.getAttribute('data-text') ?? '', emoji: true },
    };
    const value = el.getAttribute('data-value');
    if (value !== null) action.value = value;
    const style = el.getAttribute('data-style');
    if (style) action.style = style;
    return { ...action, action_ts: actionTs(nowMs) };
  }
  if (type === 'overflow') {
    const chosen = listOf(el.querySelectorAll('option')).find(
      (o) => o.selected && o.getAttribute('value') !== '',
    );
    return {
      ...base,
      selected_option: chosen ? slackOption(parseJson(chosen.getAttribute('data-option'), null)) : null,
      action_ts: actionTs(nowMs),
    };
  }
  const { type: _type, ...state } = elementState(el);
  return { ...base, ...state, action_ts: actionTs(nowMs) };
}

/** Records the option chosen from an external select's list (and shows its text in the box). */
export function selectExternalOption(container, option) {
  container.setAttribute('data-selected', json(option));
  const query = container.querySelector('[data-query]');
  if (query) query.value = optionText(option);
  const list = container.querySelector('.bk-external-options');
  if (list) list.innerHTML = '';
}
