/**
 * The playground's Slack workspace, in memory: channels and DMs with their messages and threads,
 * ephemeral messages per person, the modal stack and App Home of each person, uploaded files.
 * It only records what the app sent through the fake Web API (and what the person typed); it
 * holds no behaviour of SPOC's own. Every change bumps `version`, which the page polls.
 */
import { randomBytes } from 'node:crypto';

export interface PlaygroundPerson {
  id: string;
  name: string;
  /** What the switcher says they are in the demo school, before the database knows better. */
  title: string;
}

export interface StoredFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  size: number;
  /** Base64 of the bytes; empty until the upload arrives. */
  content: string;
  user: string;
  created: number;
  uploaded: boolean;
}

export interface StoredMessage {
  ts: string;
  /** Who posted it: the bot user or a person. */
  user: string;
  bot_id?: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  reply_broadcast?: boolean;
  files?: string[];
  edited?: { user: string; ts: string };
  /** Slack message metadata the app attached (`chat.postMessage`'s `metadata`). */
  metadata?: MessageMetadata;
  /** Emoji reactions, by name, with who added each (in order). */
  reactions?: Array<{ name: string; users: string[] }>;
}

/** Slack's message metadata: an event type and a free-form payload, invisible to people. */
export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

export interface StoredChannel {
  id: string;
  name: string;
  kind: 'channel' | 'im';
  /** The person of a DM. */
  user?: string;
  /** The channel's topic, as `conversations.setTopic` left it. */
  topic?: string;
  messages: StoredMessage[];
}

export interface StoredEphemeral {
  ts: string;
  channel: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
}

export interface StoredView {
  id: string;
  hash: string;
  /** The view as the app sent it (type, title, blocks, callback_id, private_metadata…). */
  view: Record<string, unknown>;
  user: string;
  rootViewId: string;
  previousViewId: string | null;
  /** Field errors from `response_action: errors`, block id → message. */
  errors?: Record<string, string>;
}

export interface WorkspaceIdentity {
  teamId: string;
  teamName: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  appId: string;
}

/** What a restart keeps (JSON under SPOC_DATA_DIR). Open modals are not kept. */
export interface WorkspaceSnapshot {
  format: 1;
  channels: StoredChannel[];
  ephemerals: Record<string, StoredEphemeral[]>;
  homes: Record<string, StoredView>;
  files: StoredFile[];
  lastMicros: number;
  seq: number;
}

export class Workspace {
  readonly channels = new Map<string, StoredChannel>();
  readonly ephemerals = new Map<string, StoredEphemeral[]>();
  readonly modals = new Map<string, StoredView[]>();
  readonly homes = new Map<string, StoredView>();
  readonly files = new Map<string, StoredFile>();
  readonly triggers = new Map<string, string>();
  version = 1;
  private lastMicros = 0;
  private seq = 0;
  private waiters = new Set<() => void>();
  private listeners = new Set<() => void>();

  constructor(
    readonly identity: WorkspaceIdentity,
    readonly people: PlaygroundPerson[],
    channels: Array<{ id: string; name: string }>,
  ) {
    for (const c of channels)
      this.channels.set(c.id, { id: c.id, name: c.name, kind: 'channel', messages: [] });
    for (const p of people) this.dmOf(p.id);
  }

  /** Tells pollers and the persister that something changed. */
  bump(): void {
    this.version++;
    for (const wake of this.waiters) wake();
    this.waiters.clear();
    for (const listener of this.listeners) listener();
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  /** Resolves when the version moves past `since`, or after `ms`. */
  waitForChange(since: number, ms: number): Promise<void> {
    if (this.version !== since) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(done);
        resolve();
      }, ms);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.add(done);
    });
  }

  /** A message timestamp as Slack writes it, always later than the one before. */
  nextTs(): string {
    const micros = Math.max(Date.now() * 1000, this.lastMicros + 1);
    this.lastMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  nextId(prefix: string): string {
    this.seq++;
    return `${prefix}${String(this.seq).padStart(6, '0')}${randomBytes(6).toString('hex').toUpperCase()}`;
  }

  nameOf(userId: string): string {
    if (userId === this.identity.botUserId) return 'SPOC';
    return this.people.find((p) => p.id === userId)?.name ?? userId;
  }

  /** The DM between the bot and a person: `D` + the user id without its `U`. */
  dmOf(userId: string): StoredChannel {
    const id = `D${userId.replace(/^[UW]/, '')}`;
    let dm = this.channels.get(id);
    if (!dm) {
      dm = { id, name: this.nameOf(userId), kind: 'im', user: userId, messages: [] };
      this.channels.set(id, dm);
    }
    return dm;
  }

  /**
   * The conversation a Web API `channel` argument names: a channel or DM id, or a user id (a DM).
   * Other channel ids the app names (a provider's channel) are created as they are first used.
   */
  resolveChannel(ref: string): StoredChannel | undefined {
    const found = this.channels.get(ref);
    if (found) return found;
    if (/^[UW][A-Z0-9]{2,}$/.test(ref)) return this.dmOf(ref);
    if (/^D[A-Z0-9]{2,}$/.test(ref)) {
      const person = this.people.find((p) => `D${p.id.slice(1)}` === ref);
      return person ? this.dmOf(person.id) : undefined;
    }
    if (/^[CG][A-Z0-9]{2,}$/.test(ref)) {
      const channel: StoredChannel = { id: ref, name: ref.toLowerCase(), kind: 'channel', messages: [] };
      this.channels.set(ref, channel);
      return channel;
    }
    return undefined;
  }

  findMessage(channelId: string, ts: string): StoredMessage | undefined {
    return this.channels.get(channelId)?.messages.find((m) => m.ts === ts);
  }

  post(channel: StoredChannel, message: Omit<StoredMessage, 'ts'>): StoredMessage {
    const stored: StoredMessage = { ts: this.nextTs(), ...message };
    channel.messages.push(stored);
    this.bump();
    return stored;
  }

  update(
    channelId: string,
    ts: string,
    change: { text: string; blocks?: unknown[] },
  ): StoredMessage | undefined {
    const found = this.findMessage(channelId, ts);
    if (!found) return undefined;
    found.text = change.text;
    found.blocks = change.blocks;
    found.edited = { user: found.user, ts: this.nextTs() };
    this.bump();
    return found;
  }

  /** Adds `user`'s reaction `name` to a message: `added`, `already` (theirs is there) or `missing`. */
  react(channelId: string, ts: string, user: string, name: string): 'added' | 'already' | 'missing' {
    const found = this.findMessage(channelId, ts);
    if (!found) return 'missing';
    found.reactions ??= [];
    let reaction = found.reactions.find((r) => r.name === name);
    if (!reaction) {
      reaction = { name, users: [] };
      found.reactions.push(reaction);
    }
    if (reaction.users.includes(user)) return 'already';
    reaction.users.push(user);
    this.bump();
    return 'added';
  }

  remove(channelId: string, ts: string): boolean {
    const channel = this.channels.get(channelId);
    if (!channel) return false;
    const before = channel.messages.length;
    channel.messages = channel.messages.filter((m) => m.ts !== ts && m.thread_ts !== ts);
    if (channel.messages.length === before) return false;
    this.bump();
    return true;
  }

  postEphemeral(userId: string, message: Omit<StoredEphemeral, 'ts'>): StoredEphemeral {
    const stored: StoredEphemeral = { ts: this.nextTs(), ...message };
    const list = this.ephemerals.get(userId) ?? [];
    list.push(stored);
    // Slack keeps ephemeral messages until reload; a long session keeps the latest hundred.
    this.ephemerals.set(userId, list.slice(-100));
    this.bump();
    return stored;
  }

  findEphemeral(userId: string, ts: string): StoredEphemeral | undefined {
    return this.ephemerals.get(userId)?.find((e) => e.ts === ts);
  }

  replaceEphemeral(userId: string, ts: string, change: { text: string; blocks?: unknown[] }): boolean {
    const found = this.findEphemeral(userId, ts);
    if (!found) return false;
    found.text = change.text;
    found.blocks = change.blocks;
    this.bump();
    return true;
  }

  removeEphemeral(userId: string, ts: string): boolean {
    const list = this.ephemerals.get(userId);
    if (!list?.some((e) => e.ts === ts)) return false;
    this.ephemerals.set(
      userId,
      list.filter((e) => e.ts !== ts),
    );
    this.bump();
    return true;
  }

  // ---- triggers and views ----

  newTrigger(userId: string): string {
    const id = `${Date.now()}.${this.seq++}.${randomBytes(8).toString('hex')}`;
    this.triggers.set(id, userId);
    if (this.triggers.size > 500) {
      const oldest = this.triggers.keys().next().value;
      if (oldest) this.triggers.delete(oldest);
    }
    return id;
  }

  private newHash(): string {
    return `${Math.floor(Date.now() / 1000)}.${randomBytes(6).toString('hex')}`;
  }

  stackOf(userId: string): StoredView[] {
    let stack = this.modals.get(userId);
    if (!stack) {
      stack = [];
      this.modals.set(userId, stack);
    }
    return stack;
  }

  topModal(userId: string): StoredView | undefined {
    return this.modals.get(userId)?.at(-1);
  }

  /** Opens a modal as the root of a new stack (whatever was open is replaced). */
  openModal(userId: string, view: Record<string, unknown>): StoredView {
    const id = this.nextId('V0PLAY');
    const stored: StoredView = {
      id,
      hash: this.newHash(),
      view,
      user: userId,
      rootViewId: id,
      previousViewId: null,
    };
    this.modals.set(userId, [stored]);
    this.bump();
    return stored;
  }

  pushModal(userId: string, view: Record<string, unknown>): StoredView {
    const stack = this.stackOf(userId);
    const below = stack.at(-1);
    const id = this.nextId('V0PLAY');
    const stored: StoredView = {
      id,
      hash: this.newHash(),
      view,
      user: userId,
      rootViewId: below?.rootViewId ?? id,
      previousViewId: below?.id ?? null,
    };
    stack.push(stored);
    this.bump();
    return stored;
  }

  findView(ref: { viewId?: string; externalId?: string }): StoredView | undefined {
    const matches = (v: StoredView) =>
      (ref.viewId && v.id === ref.viewId) ||
      (ref.externalId && v.view.external_id === ref.externalId && ref.externalId !== '');
    for (const stack of this.modals.values()) {
      const found = stack.find(matches);
      if (found) return found;
    }
    for (const home of this.homes.values()) if (matches(home)) return home;
    return undefined;
  }

  /** Replaces a view's content; the id stays, the hash changes, errors are cleared. */
  replaceView(stored: StoredView, view: Record<string, unknown>): StoredView {
    stored.view = view;
    stored.hash = this.newHash();
    delete stored.errors;
    this.bump();
    return stored;
  }

  closeTopModal(userId: string): StoredView | undefined {
    const closed = this.modals.get(userId)?.pop();
    if (closed) this.bump();
    return closed;
  }

  clearModals(userId: string): StoredView[] {
    const stack = this.modals.get(userId) ?? [];
    this.modals.set(userId, []);
    if (stack.length) this.bump();
    return stack;
  }

  setErrors(stored: StoredView, errors: Record<string, string>): void {
    stored.errors = errors;
    this.bump();
  }

  publishHome(userId: string, view: Record<string, unknown>): StoredView {
    const existing = this.homes.get(userId);
    if (existing) return this.replaceView(existing, view);
    const id = this.nextId('V0HOME');
    const stored: StoredView = {
      id,
      hash: this.newHash(),
      view,
      user: userId,
      rootViewId: id,
      previousViewId: null,
    };
    this.homes.set(userId, stored);
    this.bump();
    return stored;
  }

  /** A view as Slack returns it from views.* and sends it in interaction payloads. */
  viewPayload(
    stored: StoredView,
    values: Record<string, unknown> = {},
  ): Record<string, unknown> & {
    id: string;
    type: string;
  } {
    const v = stored.view;
    const type = String(v.type ?? 'modal');
    return {
      id: stored.id,
      team_id: this.identity.teamId,
      type,
      blocks: v.blocks ?? [],
      private_metadata: v.private_metadata ?? '',
      callback_id: v.callback_id ?? '',
      state: { values },
      hash: stored.hash,
      title: v.title ?? { type: 'plain_text', text: type === 'home' ? 'Home' : 'App' },
      clear_on_close: Boolean(v.clear_on_close),
      notify_on_close: Boolean(v.notify_on_close),
      close: v.close ?? null,
      submit: v.submit ?? null,
      previous_view_id: stored.previousViewId,
      root_view_id: stored.rootViewId,
      app_id: this.identity.appId,
      external_id: v.external_id ?? '',
      app_installed_team_id: this.identity.teamId,
      bot_id: this.identity.botId,
    };
  }

  // ---- files ----

  newFile(name: string, length: number, userId: string): StoredFile {
    const id = this.nextId('F0PLAY');
    const ext = name.includes('.') ? (name.split('.').pop() ?? '').toLowerCase() : '';
    const file: StoredFile = {
      id,
      name,
      title: name,
      mimetype: MIME[ext] ?? 'application/octet-stream',
      filetype: ext || 'binary',
      size: length,
      content: '',
      user: userId,
      created: Math.floor(Date.now() / 1000),
      uploaded: false,
    };
    this.files.set(id, file);
    return file;
  }

  storeFile(id: string, bytes: Uint8Array): boolean {
    const file = this.files.get(id);
    if (!file) return false;
    file.content = Buffer.from(bytes).toString('base64');
    file.size = bytes.byteLength;
    file.uploaded = true;
    return true;
  }

  // ---- persistence ----

  toSnapshot(): WorkspaceSnapshot {
    return {
      format: 1,
      channels: [...this.channels.values()],
      ephemerals: Object.fromEntries(this.ephemerals),
      homes: Object.fromEntries(this.homes),
      files: [...this.files.values()].filter((f) => f.uploaded),
      lastMicros: this.lastMicros,
      seq: this.seq,
    };
  }

  restore(snapshot: WorkspaceSnapshot): void {
    if (snapshot.format !== 1) return;
    for (const c of snapshot.channels) this.channels.set(c.id, c);
    for (const [user, list] of Object.entries(snapshot.ephemerals)) this.ephemerals.set(user, list);
    for (const [user, home] of Object.entries(snapshot.homes)) this.homes.set(user, home);
    for (const f of snapshot.files) this.files.set(f.id, f);
    this.lastMicros = Math.max(this.lastMicros, snapshot.lastMicros);
    this.seq = Math.max(this.seq, snapshot.seq);
    this.bump();
  }

  /** Forgets every message, modal, App Home and file (the channels and DMs stay). */
  reset(): void {
    for (const c of this.channels.values()) c.messages = [];
    this.ephemerals.clear();
    this.modals.clear();
    this.homes.clear();
    this.files.clear();
    this.bump();
  }
}

const MIME: Record<string, string> = {
  csv: 'text/csv',
  txt: 'text/plain',
  json: 'application/json',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
};
