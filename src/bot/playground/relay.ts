/**
 * Turns what a person does on the playground page into the signed Slack requests real Slack
 * would send the Bolt app (/slack/events), and applies what comes back: the HTTP answer (a slash
 * command's reply, a modal's response_action, a select's options) and later `respond()` posts to
 * the response_url the playground handed out. No SPOC behaviour lives here: it only relays.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Logger } from '../../log';
import {
  type Actor,
  appHomeOpenedPayload,
  blockActionsPayload,
  blockSuggestionPayload,
  messageActionPayload,
  reactionAddedPayload,
  type SlackViewPayload,
  sign,
  slashCommandPayload,
  type Unsigned,
  viewClosedPayload,
  viewSubmissionPayload,
} from './payloads';
import type { StoredView, Workspace } from './workspace';

/** The message shortcut SPOC declares in its manifest ("Report ICT fault"). */
export const REPORT_SHORTCUT = 'spoc_report_from_message';
export const COMMANDS = ['/fault', '/spoc'] as const;
/** The commands' usage hints, as manifests/slack/manifest.yaml gives them to Slack. */
export const COMMAND_HINTS: Record<(typeof COMMANDS)[number], { description: string; usage: string }> = {
  '/fault': { description: 'Report an ICT fault', usage: '[what is wrong]' },
  '/spoc': {
    description: 'ICT single point of contact: incidents, roles, setup',
    usage: 'help | setup | role @person role | incidents [open|mine|reported|all|P1…P4] | incident INC-7',
  },
};

/** Where a response_url reply goes: the person, the conversation and the message acted on. */
interface ResponseTarget {
  user: string;
  channel: string;
  /** The message the interaction came from (replace_original / delete_original). */
  ts?: string;
  ephemeral?: boolean;
  threadTs?: string;
}

export interface RelayDeps {
  workspace: Workspace;
  signingSecret: string;
  /** Base URL of the playground itself (response URLs point here). */
  baseUrl: string;
  log: Logger;
  report(level: 'info' | 'warn' | 'error', text: string): void;
}

/** What a relayed request came back with, for the page. */
export interface RelayOutcome {
  ok: boolean;
  /** A short, plain sentence for the page when something went wrong. */
  error?: string;
  options?: unknown;
}

const Container = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('message'),
    channel: z.string().min(1),
    ts: z.string().min(1),
    ephemeral: z.boolean().optional(),
  }),
  z.object({ type: z.literal('view'), viewId: z.string().min(1) }),
]);
const State = z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown())));

export const RelayAct = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('command'), channel: z.string().min(1), text: z.string().max(4000) }),
  z.object({
    kind: z.literal('action'),
    container: Container,
    action: z
      .record(z.string(), z.unknown())
      .refine((a) => typeof a.action_id === 'string', 'action_id missing'),
    state: State.optional(),
  }),
  z.object({ kind: z.literal('submit'), viewId: z.string().min(1), state: State.optional() }),
  z.object({ kind: z.literal('close'), viewId: z.string().min(1), all: z.boolean().optional() }),
  z.object({
    kind: z.literal('suggest'),
    viewId: z.string().optional(),
    channel: z.string().optional(),
    actionId: z.string().min(1),
    blockId: z.string(),
    value: z.string().max(200),
  }),
  z.object({ kind: z.literal('shortcut'), channel: z.string().min(1), ts: z.string().min(1) }),
  z.object({
    kind: z.literal('react'),
    channel: z.string().min(1),
    ts: z.string().min(1),
    name: z.string().regex(/^[a-z0-9_+-]{1,100}$/),
  }),
  z.object({ kind: z.literal('home') }),
  z.object({
    kind: z.literal('message'),
    channel: z.string().min(1),
    text: z.string().min(1).max(4000),
    threadTs: z.string().optional(),
  }),
  z.object({ kind: z.literal('dismiss'), ts: z.string().min(1) }),
]);
export type RelayAct = z.infer<typeof RelayAct>;

export class Relay {
  private eventsUrl: string | undefined;
  private readonly targets = new Map<string, ResponseTarget>();
  private eventSeq = 0;

  constructor(private readonly deps: RelayDeps) {}

  /** The Bolt app's events URL, known once it listens. */
  connect(eventsUrl: string): void {
    this.eventsUrl = eventsUrl;
  }

  private get ws(): Workspace {
    return this.deps.workspace;
  }

  private actor(userId: string): Actor {
    const id = this.ws.identity;
    return {
      teamId: id.teamId,
      teamDomain: id.teamDomain,
      userId,
      userName: this.ws.nameOf(userId),
      apiAppId: id.appId,
    };
  }

  private responseUrl(target: ResponseTarget): string {
    const token = randomBytes(12).toString('hex');
    this.targets.set(token, target);
    if (this.targets.size > 1000) {
      const oldest = this.targets.keys().next().value;
      if (oldest) this.targets.delete(oldest);
    }
    return `${this.deps.baseUrl}/play/respond/${token}`;
  }

  private channelName(channelId: string): string {
    const c = this.ws.channels.get(channelId);
    return c?.kind === 'im' ? 'directmessage' : (c?.name ?? channelId);
  }

  /** Signs and POSTs a payload to the Bolt app; returns its HTTP answer. */
  private async send(unsigned: Unsigned): Promise<{ status: number; body: unknown }> {
    if (!this.eventsUrl) throw new RelayError('SPOC is still starting; try again in a moment.');
    const signed = sign(unsigned.body, unsigned.contentType, this.deps.signingSecret);
    let res: Response;
    try {
      res = await fetch(this.eventsUrl, {
        method: 'POST',
        headers: signed.headers,
        body: signed.body,
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      this.deps.log.error({ err: error }, 'playground: the Slack app did not answer');
      throw new RelayError('SPOC did not answer the request (see the terminal for details).');
    }
    const text = await res.text();
    if (res.status >= 400) {
      this.deps.report('error', `SPOC answered HTTP ${res.status} to a ${describe(unsigned)}.`);
      throw new RelayError(`SPOC refused the request (HTTP ${res.status}).`);
    }
    if (!text) return { status: res.status, body: undefined };
    if ((res.headers.get('content-type') ?? '').includes('json')) {
      try {
        return { status: res.status, body: JSON.parse(text) };
      } catch {
        return { status: res.status, body: text };
      }
    }
    return { status: res.status, body: text };
  }

  /** Relays one thing the person did. */
  async act(userId: string, act: RelayAct): Promise<RelayOutcome> {
    const ws = this.ws;
    const actor = this.actor(userId);
    switch (act.kind) {
      case 'command': {
        const match = /^\s*(\/[a-z]+)(?:\s+([\s\S]*))?$/i.exec(act.text);
        const command = match?.[1]?.toLowerCase();
        if (!command || !(COMMANDS as readonly string[]).includes(command)) {
          return {
            ok: false,
            error: `${command ?? act.text.trim()} is not a command here: try /fault or /spoc.`,
          };
        }
        const channel = ws.resolveChannel(act.channel);
        if (!channel) return { ok: false, error: 'That conversation does not exist.' };
        const responseUrl = this.responseUrl({ user: userId, channel: channel.id });
        const { body } = await this.send(
          slashCommandPayload(actor, {
            command,
            text: this.commandText(command, (match?.[2] ?? '').trim()),
            channelId: channel.id,
            channelName: this.channelName(channel.id),
            triggerId: ws.newTrigger(userId),
            responseUrl,
          }),
        );
        if (body !== undefined) this.applyReply(body, { user: userId, channel: channel.id });
        return { ok: true };
      }
      case 'action': {
        const c = act.container;
        const triggerId = ws.newTrigger(userId);
        if (c.type === 'view') {
          const stored = this.viewOf(userId, c.viewId);
          if (!stored) return { ok: false, error: 'That view is no longer open.' };
          await this.send(
            blockActionsPayload(actor, {
              container: { type: 'view', view: ws.viewPayload(stored, act.state ?? {}) },
              action: act.action,
              triggerId,
            }),
          );
          return { ok: true };
        }
        const ephemeral = c.ephemeral === true;
        const message = ephemeral ? undefined : ws.findMessage(c.channel, c.ts);
        const eph = ephemeral ? ws.findEphemeral(userId, c.ts) : undefined;
        if (!message && !eph) return { ok: false, error: 'That message is gone.' };
        const threadTs = message?.thread_ts ?? eph?.thread_ts;
        await this.send(
          blockActionsPayload(actor, {
            container: {
              type: 'message',
              channelId: c.channel,
              channelName: this.channelName(c.channel),
              messageTs: c.ts,
              ...(threadTs ? { threadTs } : {}),
              isEphemeral: ephemeral,
              ...(message
                ? {
                    message: {
                      type: 'message',
                      user: message.user,
                      ...(message.bot_id ? { bot_id: message.bot_id, app_id: ws.identity.appId } : {}),
                      ts: message.ts,
                      text: message.text,
                      blocks: message.blocks ?? [],
                      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
                      team: ws.identity.teamId,
                    },
                  }
                : {}),
              responseUrl: this.responseUrl({
                user: userId,
                channel: c.channel,
                ts: c.ts,
                ephemeral,
                ...(threadTs ? { threadTs } : {}),
              }),
            },
            action: act.action,
            triggerId,
            state: act.state,
          }),
        );
        return { ok: true };
      }
      case 'submit': {
        const stored = this.viewOf(userId, act.viewId);
        if (!stored || stored.view.type === 'home')
          return { ok: false, error: 'That form is no longer open.' };
        const sentHash = stored.hash;
        const { body } = await this.send(
          viewSubmissionPayload(actor, {
            view: ws.viewPayload(stored, act.state ?? {}),
            triggerId: ws.newTrigger(userId),
          }),
        );
        this.applySubmitReply(userId, stored, sentHash, body);
        return { ok: true };
      }
      case 'close': {
        const stored = this.viewOf(userId, act.viewId);
        if (!stored) return { ok: true };
        const closed = act.all
          ? ws.clearModals(userId)
          : [ws.closeTopModal(userId)].filter((v) => v !== undefined);
        for (const view of closed) {
          if (!view.view.notify_on_close) continue;
          await this.send(
            viewClosedPayload(actor, {
              view: ws.viewPayload(view),
              isCleared: act.all === true && closed.length > 1,
            }),
          );
        }
        return { ok: true };
      }
      case 'suggest': {
        const stored = act.viewId ? this.viewOf(userId, act.viewId) : undefined;
        const { body } = await this.send(
          blockSuggestionPayload(actor, {
            actionId: act.actionId,
            blockId: act.blockId,
            value: act.value,
            ...(stored ? { view: ws.viewPayload(stored) as SlackViewPayload } : { channelId: act.channel }),
          }),
        );
        const answer = (body && typeof body === 'object' ? body : {}) as {
          options?: unknown;
          option_groups?: unknown;
        };
        return { ok: true, options: answer.option_groups ?? answer.options ?? [] };
      }
      case 'shortcut': {
        const message = ws.findMessage(act.channel, act.ts);
        if (!message) return { ok: false, error: 'That message is gone.' };
        await this.send(
          messageActionPayload(actor, {
            callbackId: REPORT_SHORTCUT,
            channelId: act.channel,
            channelName: this.channelName(act.channel),
            message: {
              type: 'message',
              user: message.user,
              ts: message.ts,
              text: message.text,
              ...(message.blocks ? { blocks: message.blocks } : {}),
              team: ws.identity.teamId,
            },
            triggerId: ws.newTrigger(userId),
            responseUrl: this.responseUrl({ user: userId, channel: act.channel }),
          }),
        );
        return { ok: true };
      }
      case 'react': {
        // Slack tells the app of a reaction only the first time a person adds it.
        const message = ws.findMessage(act.channel, act.ts);
        if (!message) return { ok: false, error: 'That message is gone.' };
        if (ws.react(act.channel, act.ts, userId, act.name) !== 'added') return { ok: true };
        await this.send(
          reactionAddedPayload(actor, {
            botUserId: ws.identity.botUserId,
            channelId: act.channel,
            ts: act.ts,
            reaction: act.name,
            ...(message.bot_id ? {} : { itemUser: message.user }),
            eventId: `Ev0PLAY${++this.eventSeq}${randomBytes(3).toString('hex').toUpperCase()}`,
          }),
        );
        return { ok: true };
      }
      case 'home': {
        const home = ws.homes.get(userId);
        await this.send(
          appHomeOpenedPayload(actor, {
            botUserId: ws.identity.botUserId,
            channelId: ws.dmOf(userId).id,
            eventId: `Ev0PLAY${++this.eventSeq}${randomBytes(3).toString('hex').toUpperCase()}`,
            ...(home ? { view: ws.viewPayload(home) as SlackViewPayload } : {}),
          }),
        );
        return { ok: true };
      }
      case 'message': {
        // A person's own message (to report with the shortcut); SPOC subscribes to no message events.
        const channel = ws.resolveChannel(act.channel);
        if (!channel) return { ok: false, error: 'That conversation does not exist.' };
        if (act.threadTs && !ws.findMessage(channel.id, act.threadTs))
          return { ok: false, error: 'That thread is gone.' };
        ws.post(channel, {
          user: userId,
          text: escapeText(act.text),
          ...(act.threadTs ? { thread_ts: act.threadTs } : {}),
        });
        return { ok: true };
      }
      case 'dismiss':
        ws.removeEphemeral(userId, act.ts);
        return { ok: true };
    }
  }

  /**
   * The command text as Slack sends it: &, < and > escaped, and for /spoc (should_escape in the
   * manifest) @Name and #channel written as <@U…|name> and <#C…|name>.
   */
  private commandText(command: string, text: string): string {
    let out = escapeText(text);
    if (command !== '/spoc') return out;
    const people = [...this.ws.people].sort((a, b) => b.name.length - a.name.length);
    for (const p of people) {
      const pattern = new RegExp(`@${p.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w])`, 'gi');
      out = out.replace(pattern, `<@${p.id}|${p.name.toLowerCase().replace(/\s+/g, '.')}>`);
    }
    for (const c of this.ws.channels.values()) {
      if (c.kind !== 'channel') continue;
      out = out.replace(new RegExp(`(^|\\s)#${c.name}(?![\\w-])`, 'g'), `$1<#${c.id}|${c.name}>`);
    }
    return out;
  }

  private viewOf(userId: string, viewId: string): StoredView | undefined {
    const stored = this.ws.findView({ viewId });
    return stored?.user === userId ? stored : undefined;
  }

  /** A slash command's HTTP answer: text or a message, shown to the person (or the channel). */
  private applyReply(body: unknown, target: ResponseTarget): void {
    const message = typeof body === 'string' ? { text: body } : (body as Record<string, unknown>);
    if (!message || (typeof message.text !== 'string' && !Array.isArray(message.blocks))) return;
    this.respond(target, message);
  }

  /** A modal's answer to its submission: close it, show field errors, or show the next view. */
  private applySubmitReply(userId: string, stored: StoredView, sentHash: string, body: unknown): void {
    const ws = this.ws;
    // The app changed the view itself (views.update) while the answer was on its way: keep the newer view.
    if (stored.hash !== sentHash || ws.topModal(userId) !== stored) return;
    const reply = (body && typeof body === 'object' ? body : {}) as {
      response_action?: string;
      errors?: Record<string, string>;
      view?: Record<string, unknown>;
    };
    switch (reply.response_action) {
      case 'errors':
        ws.setErrors(stored, reply.errors ?? {});
        return;
      case 'update':
        if (reply.view) ws.replaceView(stored, reply.view);
        return;
      case 'push':
        if (reply.view) ws.pushModal(userId, reply.view);
        return;
      case 'clear':
        ws.clearModals(userId);
        return;
      default:
        ws.closeTopModal(userId);
    }
  }

  /** A post to a response_url the playground handed out. */
  respondTo(token: string, body: unknown): boolean {
    const target = this.targets.get(token);
    if (!target) return false;
    this.respond(target, (body && typeof body === 'object' ? body : {}) as Record<string, unknown>);
    return true;
  }

  private respond(target: ResponseTarget, message: Record<string, unknown>): void {
    const ws = this.ws;
    const text = typeof message.text === 'string' ? message.text : '';
    const blocks = Array.isArray(message.blocks) ? (message.blocks as unknown[]) : undefined;
    const content = { text, ...(blocks ? { blocks } : {}) };
    if (message.delete_original === true || message.delete_original === 'true') {
      if (target.ts) {
        if (target.ephemeral) ws.removeEphemeral(target.user, target.ts);
        else ws.remove(target.channel, target.ts);
      }
      return;
    }
    if ((message.replace_original === true || message.replace_original === 'true') && target.ts) {
      if (target.ephemeral) ws.replaceEphemeral(target.user, target.ts, content);
      else ws.update(target.channel, target.ts, content);
      return;
    }
    const channel = ws.channels.get(target.channel);
    if (message.response_type === 'in_channel' && channel) {
      ws.post(channel, {
        user: ws.identity.botUserId,
        bot_id: ws.identity.botId,
        ...content,
        ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
      });
      return;
    }
    ws.postEphemeral(target.user, {
      channel: target.channel,
      ...content,
      ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
    });
  }
}

export class RelayError extends Error {}

function describe(unsigned: Unsigned): string {
  if (unsigned.contentType.includes('json')) return 'event';
  const fields = new URLSearchParams(unsigned.body);
  const command = fields.get('command');
  if (command) return `${command} command`;
  try {
    return String((JSON.parse(fields.get('payload') ?? '{}') as { type?: string }).type ?? 'request');
  } catch {
    return 'request';
  }
}

/** A person's typed text as Slack stores it: &, < and > escaped. */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
