/**
 * The parity scenario's Slack side: the real Bolt app (signature checks and all) on loopback,
 * driven by signed Slack payloads; every Web API call and response_url post pinned and recorded.
 * What Slack was asked to show is reduced to words and button labels, with `<@U…>` mentions shown
 * as the person's name, as Slack's clients show them.
 */
import nock from 'nock';
import { REGISTER_BLOCK } from '../../src/bot/slack/ids';
import { findSchoolBySlackTeam } from '../../src/db/queries/schools';
import { fixedClock } from '../../src/domain/clock';
import { silentLogger } from '../../src/log';
import { runReminderPass } from '../../src/worker/reminder-pass';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { uniqueId } from '../support/factories';
import { SLACK, type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { FILES_HOST, uploadedFile } from '../support/slack-files';
import {
  blockAction,
  RESPONSE_URL_HOST,
  type SignedRequest,
  sign,
  slashCommand,
  viewSubmission,
  type Who,
} from '../support/slack-payloads';
import { settle } from '../support/wait';
import type { FormResult, OpenForm, ParityDriver, Person, Pressed, Seen } from './core-loop';

/** A school day morning in term, Monday 30 November 2026, 09:15 in London. */
const NOW = '2026-11-30T09:15:00Z';
const CHANNEL = 'C0PARITY01';

type Block = Record<string, unknown>;
interface Posted {
  channel: string;
  ts: string;
  threadTs?: string;
  text: string;
  blocks: Block[];
}
interface Modal {
  title: string;
  callbackId: string;
  privateMetadata: string;
  viewId: string;
  blocks: Block[];
}

export function slackDriver(): ParityDriver {
  let tdb: TestDatabase;
  let app: SlackTestApp;
  const clock = fixedClock(NOW);
  const teamId = uniqueId('T');
  const names: Record<Person, string> = {
    admin: 'Head Teacher',
    office: 'Mrs Office',
    techA: 'Sam Tech',
    techB: 'Alex Tech',
    teacher: 'Ms Patel',
  };
  const people = Object.fromEntries(
    Object.entries(names).map(([p, name]) => [p, { teamId, userId: uniqueId('U'), userName: name }]),
  ) as Record<Person, Who>;
  const nameOf = new Map(Object.values(people).map((w) => [w.userId, w.userName ?? '']));

  const messages: Posted[] = [];
  const seenOf = new WeakMap<Seen, Posted>();
  const modals = new Map<Person, Modal>();
  const opened: Modal[] = [];
  const responses: Array<{ path: string; body: Record<string, unknown> }> = [];
  let calls = 0;
  let tsSeq = 100;
  const uploads = new Map<string, { file: ReturnType<typeof uploadedFile>; content: string }>();
  const updates: Array<{ viewId: string; view: Block }> = [];

  const readable = (text: string) =>
    text
      .replace(/<@([A-Z0-9]+)(\|[^>]*)?>/g, (_m, id: string) => nameOf.get(id) ?? id)
      .replace(/<!date\^\d+\^[^|]*\|([^>]*)>/g, '$1')
      .replace(/[*_]/g, '')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');

  /** The buttons of a message: each row's (a section's accessory), then its actions blocks'. */
  const elementsOf = (blocks: Block[]): Block[] =>
    blocks.flatMap((b) =>
      b.type === 'actions'
        ? (b.elements as Block[])
        : b.type === 'section' && b.accessory
          ? [b.accessory as Block]
          : [],
    );
  const buttonsOf = (blocks: Block[]): string[] =>
    elementsOf(blocks).flatMap((e) =>
      e.type === 'button'
        ? [(e.text as { text: string }).text]
        : e.type === 'overflow'
          ? (e.options as Array<{ text: { text: string } }>).map((o) => o.text.text)
          : [],
    );

  /** The words of blocks as Slack shows them: every text, but not the buttons' labels. */
  const wordsOf = (value: unknown): string[] => {
    if (Array.isArray(value)) return value.flatMap(wordsOf);
    if (!value || typeof value !== 'object') return [];
    const block = value as Block;
    if (block.type === 'actions') return [];
    if (typeof block.text === 'string') return [block.text];
    const { accessory: _buttons, ...rest } = block;
    return Object.values(rest).flatMap(wordsOf);
  };

  const seen = (m: Posted): Seen => {
    const s: Seen = { text: readable(wordsOf(m.blocks).join('\n') || m.text), buttons: buttonsOf(m.blocks) };
    seenOf.set(s, m);
    return s;
  };

  const parse = (body: unknown): Record<string, unknown> => {
    const fields: Record<string, unknown> =
      typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : { ...(body as object) };
    for (const key of ['blocks', 'view', 'metadata']) {
      if (typeof fields[key] === 'string') fields[key] = JSON.parse(fields[key] as string);
    }
    return fields;
  };

  /** Every Web API method SPOC calls here, answered as Slack answers and recorded. */
  function pinSlack(): void {
    nock(SLACK)
      .persist()
      .post(/^\/api\/(?!auth\.test)[a-zA-Z.]+$/)
      .reply((uri, body) => {
        calls++;
        const method = uri.replace('/api/', '');
        const args = parse(body);
        switch (method) {
          case 'chat.postMessage': {
            const ts = `1764494100.${String(++tsSeq).padStart(6, '0')}`;
            const channel = String(args.channel);
            messages.push({
              channel,
              ts,
              threadTs: args.thread_ts ? String(args.thread_ts) : undefined,
              text: String(args.text ?? ''),
              blocks: (args.blocks as Block[]) ?? [],
            });
            return [200, { ok: true, channel, ts }];
          }
          case 'chat.update': {
            const m = messages.find((x) => x.ts === args.ts);
            if (m) {
              m.text = String(args.text ?? m.text);
              m.blocks = (args.blocks as Block[]) ?? m.blocks;
            }
            return [200, { ok: true, channel: args.channel, ts: args.ts }];
          }
          case 'views.open': {
            const view = args.view as Block;
            opened.push({
              title: String((view.title as { text?: string } | undefined)?.text ?? ''),
              callbackId: String(view.callback_id),
              privateMetadata: String(view.private_metadata ?? ''),
              viewId: uniqueId('V'),
              blocks: (view.blocks as Block[]) ?? [],
            });
            return [200, { ok: true, view: { id: 'V0OPENED' } }];
          }
          case 'files.info':
            return [200, { ok: true, file: uploads.get(String(args.file))?.file }];
          case 'views.update':
            updates.push({ viewId: String(args.view_id), view: (args.view as Block) ?? {} });
            return [200, { ok: true }];
          case 'conversations.open':
            return [200, { ok: true, channel: { id: String(args.users) } }];
          case 'conversations.history':
          case 'conversations.replies':
            return [200, { ok: true, messages: [], has_more: false }];
          case 'chat.getPermalink':
            return [200, { ok: true, permalink: `https://hillside.slack.com/archives/${args.channel}/p1` }];
          default:
            return [200, { ok: true }];
        }
      });
    // A file uploaded through a form, downloaded by SPOC with the bot token.
    nock(FILES_HOST)
      .persist()
      .get(/^\/files-pri\//)
      .reply((uri) => {
        const upload = [...uploads.values()].find((u) =>
          u.file.url_private_download.endsWith(decodeURIComponent(uri)),
        );
        return upload ? [200, upload.content, { 'content-type': 'text/csv' }] : [404, 'not found'];
      });
    nock(RESPONSE_URL_HOST)
      .persist()
      .post(/^\/actions\//)
      .reply((uri, body) => {
        calls++;
        responses.push({ path: uri, body: body as Record<string, unknown> });
        return [200, 'ok'];
      });
  }

  /** Re-signs a block action with the pressed message's real blocks and its own response_url. */
  function pressPayload(
    who: Who,
    m: Posted,
    actionId: string,
    value: string,
    responsePath: string,
  ): SignedRequest {
    const signed = blockAction(who, actionId, value, { channelId: m.channel, messageTs: m.ts });
    const payload = JSON.parse(new URLSearchParams(signed.body).get('payload') ?? '{}');
    payload.message = { ...payload.message, text: m.text, blocks: m.blocks };
    payload.response_url = `${RESPONSE_URL_HOST}${responsePath}`;
    return sign(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );
  }

  /** Presses the button labelled `label` on a message Slack was asked to show, with its own response_url. */
  async function pressButton(who: Person, message: Seen, label: string) {
    const m = seenOf.get(message);
    if (!m) throw new Error('that message was not shown on Slack');
    const elements = elementsOf(m.blocks);
    const button = elements.find((e) => e.type === 'button' && (e.text as { text: string }).text === label);
    const menu = elements.find(
      (e) =>
        e.type === 'overflow' &&
        (e.options as Array<{ text: { text: string } }>).some((o) => o.text.text === label),
    );
    if (!button && !menu) throw new Error(`no "${label}" button on the message`);
    const path = `/actions/${teamId}/2222/${uniqueId('R')}`;
    if (button) {
      const res = await app.send(
        pressPayload(people[who], m, String(button.action_id), String(button.value ?? ''), path),
      );
      return { m, path, res };
    }
    // An option of a menu (Slack's overflow): the action names the menu and the option chosen.
    const option = ((menu?.options ?? []) as Array<{ text: { text: string }; value: string }>).find(
      (o) => o.text.text === label,
    );
    const signed = pressPayload(people[who], m, String(menu?.action_id), '', path);
    const payload = JSON.parse(new URLSearchParams(signed.body).get('payload') ?? '{}');
    payload.actions = [
      {
        action_id: menu?.action_id,
        block_id: 'menu',
        type: 'overflow',
        selected_option: { text: { type: 'plain_text', text: label }, value: option?.value },
        action_ts: '1764494160.123456',
      },
    ];
    const res = await app.send(
      sign(
        new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
        'application/x-www-form-urlencoded',
      ),
    );
    return { m, path, res };
  }

  function formOf(modal: Modal, title: string): OpenForm {
    const fields = modal.blocks
      .filter((b) => b.type === 'input')
      .map((b) => (b.label as { text: string }).text);
    return { title, fields };
  }

  async function openModal(who: Person, send: () => Promise<unknown>): Promise<OpenForm> {
    const before = opened.length;
    await send();
    await settle(() => opened.length, 50);
    const modal = opened[before];
    if (!modal) throw new Error('no form was opened');
    modals.set(who, modal);
    return formOf(modal, modal.title);
  }

  return {
    platform: 'slack',
    get db() {
      return tdb.db;
    },
    async start() {
      tdb = await createTestDatabase();
      app = await startSlackTestApp(tdb, clock);
      pinSlack();
    },
    async stop() {
      await app?.stop();
      await tdb?.destroy();
    },
    async setUpSchool() {
      await app.install(teamId);
      const setup = await app.send(slashCommand(people.admin, '/spoc', 'setup', CHANNEL));
      if (!setup.text.includes('is now the SPOC channel')) throw new Error(`setup: ${setup.text}`);
      // Everyone has used SPOC once, so it knows their names.
      for (const who of Object.values(people)) await app.send(slashCommand(who, '/spoc', 'help'));
      for (const [p, role] of [
        ['office', 'office'],
        ['techA', 'technician'],
        ['techB', 'technician'],
      ] as const) {
        const who = people[p];
        const res = await app.send(slashCommand(people.admin, '/spoc', `role <@${who.userId}> ${role}`));
        if (!res.text.includes(`is now *${role}*`)) throw new Error(`role: ${res.text}`);
      }
      const school = await findSchoolBySlackTeam(tdb.db, teamId);
      if (!school) throw new Error('no school');
      return school.id;
    },
    async openFaultForm(who, text) {
      return openModal(who, () => app.send(slashCommand(people[who], '/fault', text)));
    },
    async submitForm(who, values) {
      const modal = modals.get(who);
      if (!modal) throw new Error('no form open');
      const byLabel = new Map(
        modal.blocks.filter((b) => b.type === 'input').map((b) => [(b.label as { text: string }).text, b]),
      );
      const state: Record<string, string | { option: string }> = {};
      for (const [label, value] of Object.entries(values)) {
        const block = byLabel.get(label);
        if (!block) throw new Error(`no field "${label}" on the form`);
        const element = block.element as Block;
        const options = (element.options as Array<{ text: { text: string }; value: string }>) ?? [];
        if (element.type === 'plain_text_input') state[String(block.block_id)] = value;
        else {
          const option = options.find((o) => o.text.text === value);
          if (!option) throw new Error(`no choice "${value}" for "${label}"`);
          state[String(block.block_id)] = { option: option.value };
        }
      }
      const res = await app.send(
        viewSubmission(people[who], modal.callbackId, state, {
          viewId: modal.viewId,
          privateMetadata: modal.privateMetadata,
        }),
      );
      if (res.text === '') return { done: true };
      const answer = res.json() as { response_action: string; errors?: Record<string, string>; view?: Block };
      if (answer.response_action === 'errors') {
        const labelOf = new Map(
          modal.blocks
            .filter((b) => b.type === 'input')
            .map((b) => [String(b.block_id), (b.label as { text: string }).text]),
        );
        const errors = Object.fromEntries(
          Object.entries(answer.errors ?? {}).map(([block, message]) => [
            labelOf.get(block) ?? block,
            message,
          ]),
        );
        return { done: false, errors } satisfies FormResult;
      }
      const view = answer.view ?? {};
      return {
        done: true,
        now: {
          text: readable(wordsOf(view.blocks).join('\n')),
          buttons: buttonsOf((view.blocks as Block[]) ?? []),
        },
      };
    },
    async deliver() {
      for (let i = 0; i < 10; i++) {
        const r = await app.dispatcher.runOnce();
        if (r.sent === 0 && r.retried === 0) return;
      }
    },
    channel: () => messages.filter((m) => m.channel === CHANNEL && !m.threadTs).map(seen),
    thread(message) {
      const m = seenOf.get(message);
      if (!m) throw new Error('that message was not shown in Slack');
      return messages.filter((r) => r.channel === m.channel && r.threadTs === m.ts).map(seen);
    },
    chat: (who) => messages.filter((m) => m.channel === people[who].userId).map(seen),
    async press(who, message, label) {
      const before = calls;
      const { m, path, res } = await pressButton(who, message, label);
      if (res.status !== 200) throw new Error(`press answered ${res.status}`);
      await settle(() => calls - before);
      const pressed: Pressed = {};
      for (const r of responses.filter((x) => x.path === path)) {
        if (r.body.replace_original === true) {
          m.text = String(r.body.text ?? '');
          m.blocks = (r.body.blocks as Block[]) ?? [];
          pressed.now = seen(m);
        } else pressed.told = readable(String(r.body.text ?? ''));
      }
      return pressed;
    },
    async openFormFrom(who, message, label) {
      return openModal(who, () => pressButton(who, message, label));
    },
    async ask(who, words) {
      const before = responses.length;
      const res = await app.send(slashCommand(people[who], '/spoc', words));
      if (res.status !== 200) throw new Error(`/spoc ${words} answered ${res.status}`);
      // Answered in the command's own response, or soon after through its response_url.
      let body = res.text.startsWith('{') ? (JSON.parse(res.text) as Record<string, unknown>) : undefined;
      if (!body?.blocks && !body?.text) {
        await settle(() => responses.length - before);
        body = responses.at(-1)?.body;
      }
      const m: Posted = {
        channel: `reply:${who}`,
        ts: `1764494200.${String(++tsSeq).padStart(6, '0')}`,
        text: String(body?.text ?? ''),
        blocks: (body?.blocks as Block[]) ?? [],
      };
      return seen(m);
    },
    async importFile(who, register, fileName, content) {
      await openModal(who, () => app.send(slashCommand(people[who], '/spoc', `import ${register}`)));
      const modal = modals.get(who);
      if (!modal) throw new Error('no import form');
      const fileId = uniqueId('F');
      const file = uploadedFile(fileId, fileName, Buffer.byteLength(content));
      uploads.set(fileId, { file, content });
      const before = updates.length;
      await app.send(
        viewSubmission(
          people[who],
          modal.callbackId,
          { [REGISTER_BLOCK.file]: { files: [file] }, [REGISTER_BLOCK.createLocations]: { checked: [] } },
          { viewId: modal.viewId, privateMetadata: modal.privateMetadata },
        ),
      );
      await settle(() => updates.length - before, 100);
      const preview = updates.at(-1)?.view;
      if (!preview || updates.length === before) throw new Error('no preview was shown');
      const submit = (preview.submit as { text?: string } | undefined)?.text;
      return {
        text: readable(wordsOf(preview.blocks).join('\n')),
        buttons: submit ? [submit] : [],
      };
    },
    async remind() {
      await runReminderPass({ db: tdb.db, log: silentLogger, now: clock.now() });
    },
    now: () => clock.now(),
  };
}
