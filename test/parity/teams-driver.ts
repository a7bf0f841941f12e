/**
 * The parity scenario's Teams side: SPOC started as `npm start` starts it with Teams credentials,
 * driven by Bot Framework activities in Teams' shapes with tokens signed by a pinned test key;
 * every connector call pinned and recorded. What Teams was asked to show (Adaptive Cards) is
 * reduced to words and button labels, with Teams' markdown removed.
 */
import { fixedClock } from '../../src/domain/clock';
import { silentLogger } from '../../src/log';
import { runReminderPass } from '../../src/worker/reminder-pass';
import {
  APP_ID,
  BOT,
  CHANNEL_ID,
  channelMessage,
  mentionOf,
  SERVICE_URL,
  TEAM_ID,
  TENANT_ID,
} from '../support/teams-activities';
import { postActivity, startTeamsSpoc, type TeamsSpoc } from '../support/teams-app';
import { channelToken, makeSigningKey, pinBotFrameworkKeys, pinBotToken } from '../support/teams-auth';
import { type ConnectorCall, pinRecordingConnector } from '../support/teams-connector';
import { settle } from '../support/wait';
import type { FormResult, OpenForm, ParityDriver, Person, Pressed, Seen } from './core-loop';

/** A school day morning in term, Monday 30 November 2026, 09:15 in London. */
const NOW = '2026-11-30T09:15:00Z';
/** Where Teams keeps a file sent in a personal chat (the sender's OneDrive). */
const ONEDRIVE = 'https://hillside-my.sharepoint.com';

type Card = { body?: Element[]; actions?: Element[] };
type Element = Record<string, unknown>;

interface TeamsPerson {
  id: string;
  name: string;
  aadObjectId: string;
  /** Their personal chat with SPOC. */
  chat: string;
}

/** A message SPOC sent, by its activity id, as it now stands. */
interface Shown {
  id: string;
  /** The channel, or the person's personal chat. */
  conversation: string;
  thread: boolean;
  /** A reply's thread: the message id of the post it is under. */
  root?: string;
  card: Card;
  text: string;
}

/** A form in front of someone: a card in their chat, or a dialog. */
type Form =
  | { kind: 'card'; card: Card; messageId: string; conversation: string }
  | { kind: 'dialog'; card: Card };

const person = (key: string, name: string, n: number): TeamsPerson => ({
  id: `29:1parity${key}${'x'.repeat(40)}`,
  name,
  aadObjectId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  chat: `a:1parity-personal-${key}`,
});

export function teamsDriver(): ParityDriver {
  const key = makeSigningKey('spoc-parity-key');
  const clock = fixedClock(NOW);
  let t: TeamsSpoc;
  let calls: ConnectorCall[] = [];
  let seq = 0;
  const people: Record<Person, TeamsPerson> = {
    admin: person('admin', 'Head Teacher', 1),
    office: person('office', 'Mrs Office', 2),
    techA: person('techa', 'Sam Tech', 3),
    techB: person('techb', 'Alex Tech', 4),
    teacher: person('teacher', 'Ms Patel', 5),
  };
  const shown = new Map<string, Shown>();
  let applied = 0;
  let createdCount = 0;
  const seenOf = new WeakMap<Seen, Shown>();
  const forms = new Map<Person, Form>();

  const token = () => channelToken(key, { appId: APP_ID, serviceUrl: SERVICE_URL });
  const id = () => `1700000000${String(++seq).padStart(3, '0')}`;
  const from = (p: TeamsPerson) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId });

  /** What the connector was asked since last time, applied to what each conversation shows. */
  function apply(): void {
    for (const call of calls.slice(applied)) {
      const path = call.path.replace(/^\/uk\/v3\/conversations\//, '');
      const [conversationPart = '', , activityId] = path.split('/');
      const conversation = conversationPart.split(';')[0] ?? '';
      if (call.method === 'CREATE') {
        const activity = (call.body.activity ?? {}) as Element;
        const posted = ++createdCount;
        const messageId = String(9000 + posted);
        shown.set(messageId, {
          id: messageId,
          conversation: CHANNEL_ID,
          thread: false,
          card: cardIn(activity),
          text: String(activity.text ?? ''),
        });
      } else if (call.method === 'POST') {
        const replyId = `1:reply-${calls.indexOf(call) + 1}`;
        shown.set(replyId, {
          id: replyId,
          conversation,
          thread: conversationPart.includes(';messageid='),
          root: /;messageid=([^;]+)/.exec(conversationPart)?.[1],
          card: cardIn(call.body),
          text: String(call.body.text ?? ''),
        });
      } else if (call.method === 'PUT' && activityId) {
        const m = shown.get(activityId);
        if (m) {
          m.card = cardIn(call.body);
          m.text = String(call.body.text ?? '');
        }
      }
    }
    applied = calls.length;
  }

  const cardIn = (activity: Element): Card =>
    ((activity.attachments as Array<{ content: Card }> | undefined)?.[0]?.content as Card) ?? {};

  const readable = (text: string) =>
    text.replace(/\\([\\`*_{}[\]()#+\-.!>~|])/g, '$1').replace(/\*\*|__/g, '');

  const wordsIn = (elements: Element[]): string[] =>
    elements.flatMap((b) => {
      if (b.type === 'TextBlock') return [String(b.text)];
      if (b.type === 'FactSet')
        return (b.facts as Array<{ title: string; value: string }>).map((f) => `${f.title}: ${f.value}`);
      if (b.type === 'Container') return wordsIn((b.items as Element[]) ?? []);
      return [];
    });
  const wordsOf = (card: Card): string[] => wordsIn(card.body ?? []);

  /** Every button of a card: each row's (an ActionSet in the body), then the card's own. */
  const actionsIn = (elements: Element[]): Element[] =>
    elements.flatMap((b) => {
      if (b.type === 'ActionSet') return (b.actions as Element[]) ?? [];
      if (b.type === 'Container') return actionsIn((b.items as Element[]) ?? []);
      return [];
    });
  const actionsOf = (card: Card): Element[] => [...actionsIn(card.body ?? []), ...(card.actions ?? [])];

  const seenCard = (card: Card, text = ''): Seen => ({
    text: readable(wordsOf(card).join('\n') || text),
    buttons: actionsOf(card).map((a) => String(a.title)),
  });

  const seen = (m: Shown): Seen => {
    const s = seenCard(m.card, m.text);
    seenOf.set(s, m);
    return s;
  };

  async function post(activity: Element): Promise<{ status: number; text: string }> {
    const res = await postActivity(t.spoc.url, activity, token());
    if (res.status !== 200) throw new Error(`Teams answered ${res.status}: ${res.text}`);
    apply();
    return res;
  }

  /** An activity in the person's personal chat with SPOC. */
  const inChat = (p: TeamsPerson, extra: Element): Element => ({
    type: 'message',
    id: id(),
    timestamp: clock.now().toISOString(),
    serviceUrl: SERVICE_URL,
    channelId: 'msteams',
    from: from(p),
    recipient: BOT,
    conversation: { conversationType: 'personal', tenantId: TENANT_ID, id: p.chat },
    channelData: { tenant: { id: TENANT_ID } },
    locale: 'en-GB',
    ...extra,
  });

  /** An invoke where the message is: the SPOC channel, or the person's personal chat. */
  const invokeOn = (p: TeamsPerson, m: Shown | undefined, name: string, value: Element): Element => {
    if (!m || m.conversation === CHANNEL_ID) {
      const { text: _t, textFormat: _f, entities: _e, ...message } = channelMessage('', id(), from(p));
      return { ...message, type: 'invoke', name, value, ...(m ? { replyToId: m.id } : {}) };
    }
    return inChat(p, { type: 'invoke', name, value, replyToId: m.id });
  };

  const inputs = (card: Card) => (card.body ?? []).filter((b) => String(b.type).startsWith('Input.'));

  function formOf(card: Card, title: string): OpenForm {
    return { title, fields: inputs(card).map((i) => String(i.label)) };
  }

  /** The server's messages under each field: the `attention` lines after an input, by its label. */
  function errorsOf(card: Card): Record<string, string> {
    const errors: Record<string, string> = {};
    let label: string | undefined;
    for (const b of card.body ?? []) {
      if (String(b.type).startsWith('Input.')) label = String(b.label);
      else if (label && b.type === 'TextBlock' && String(b.color).toLowerCase() === 'attention')
        errors[label] = String(b.text);
    }
    return errors;
  }

  /** The form's inputs from values by label (a choice by its title). */
  function valuesFor(card: Card, values: Record<string, string>): Element {
    const out: Element = {};
    for (const [label, value] of Object.entries(values)) {
      const input = inputs(card).find((i) => i.label === label);
      if (!input) throw new Error(`no field "${label}" on the form`);
      if (input.type === 'Input.ChoiceSet') {
        const choice = (input.choices as Array<{ title: string; value: string }>).find(
          (c) => c.title === value,
        );
        if (!choice) throw new Error(`no choice "${value}" for "${label}"`);
        out[String(input.id)] = choice.value;
      } else out[String(input.id)] = value;
    }
    return out;
  }

  const submitData = (card: Card): Element => {
    const submit = (card.actions ?? []).find((a) => a.type === 'Action.Submit');
    if (!submit) throw new Error('the form has no submit button');
    return (submit.data ?? {}) as Element;
  };

  const actionOn = (m: Shown, label: string): Element => {
    const action = actionsOf(m.card).find((a) => a.title === label);
    if (!action) throw new Error(`no "${label}" button on the message`);
    return action;
  };

  return {
    platform: 'teams',
    get db() {
      return t.spoc.database.db;
    },
    async start() {
      pinBotFrameworkKeys([key]);
      pinBotToken();
      calls = pinRecordingConnector(Object.values(people)).calls;
      t = await startTeamsSpoc({}, { clock });
    },
    async stop() {
      await t?.destroy();
      const nock = (await import('nock')).default;
      nock.cleanAll();
    },
    async setUpSchool() {
      // Everyone has SPOC in their personal chat (as the app is installed for them).
      for (const p of Object.values(people)) await post(inChat(p, { text: 'help', textFormat: 'plain' }));
      await post(channelMessage('spoc setup', id(), from(people.admin)));
      for (const [p, role] of [
        ['office', 'office'],
        ['techA', 'technician'],
        ['techB', 'technician'],
      ] as const) {
        const who = people[p];
        await post(
          channelMessage(`spoc role <at>${who.name}</at> ${role}`, id(), from(people.admin), [
            mentionOf(who),
          ]),
        );
      }
      const { schools } = await import('../../src/db/schema');
      const { eq } = await import('drizzle-orm');
      const [school] = await t.spoc.database.db
        .select()
        .from(schools)
        .where(eq(schools.teamsTeamId, TEAM_ID));
      if (!school?.teamsChannelId) throw new Error('no school');
      return school.id;
    },
    async openFaultForm(who, text) {
      const before = calls.length;
      await post(inChat(people[who], { text: `fault ${text}`, textFormat: 'plain' }));
      const reply = calls.slice(before).find((c) => c.method === 'POST');
      if (!reply) throw new Error('no form in the personal chat');
      const messageId = `1:reply-${calls.indexOf(reply) + 1}`;
      const card = cardIn(reply.body);
      forms.set(who, { kind: 'card', card, messageId, conversation: people[who].chat });
      const title = wordsOf(card)[0] ?? '';
      return formOf(card, title);
    },
    async submitForm(who, values): Promise<FormResult> {
      const form = forms.get(who);
      if (!form) throw new Error('no form open');
      const data = { ...submitData(form.card), ...valuesFor(form.card, values) };
      if (form.kind === 'card') {
        const before = calls.length;
        await post(inChat(people[who], { replyToId: form.messageId, value: data }));
        const put = calls
          .slice(before)
          .find((c) => c.method === 'PUT' && c.path.endsWith(`/${form.messageId}`));
        const card = put ? cardIn(put.body) : form.card;
        if (inputs(card).length > 0) {
          form.card = card;
          return { done: false, errors: errorsOf(card) };
        }
        return { done: true, now: seenCard(card) };
      }
      const res = await post(
        invokeOn(people[who], undefined, 'task/submit', { data, context: { theme: 'default' } }),
      );
      const answer = res.text ? (JSON.parse(res.text) as { task?: { type: string; value: unknown } }) : {};
      if (answer.task?.type === 'continue') {
        const card = (answer.task.value as { card: { content: Card } }).card.content;
        if (inputs(card).length > 0) {
          form.card = card;
          return { done: false, errors: errorsOf(card) };
        }
        return { done: true, now: seenCard(card) };
      }
      if (answer.task?.type === 'message')
        return { done: true, now: { text: String(answer.task.value), buttons: [] } };
      return { done: true };
    },
    async deliver() {
      await settle(() => calls.length, 300, 8_000);
      apply();
    },
    channel: () => [...shown.values()].filter((m) => m.conversation === CHANNEL_ID && !m.thread).map(seen),
    thread(message) {
      const m = seenOf.get(message);
      if (!m) throw new Error('that message was not shown in Teams');
      return [...shown.values()]
        .filter((r) => r.conversation === m.conversation && r.root === m.id)
        .map(seen);
    },
    chat: (who) => [...shown.values()].filter((m) => m.conversation === people[who].chat).map(seen),
    async press(who, message, label): Promise<Pressed> {
      const m = seenOf.get(message);
      if (!m) throw new Error('that message was not shown in Teams');
      const action = actionOn(m, label);
      if (action.type !== 'Action.Execute') throw new Error(`"${label}" is not a Universal Action`);
      const value = {
        action: { type: 'Action.Execute', verb: action.verb, data: action.data },
        trigger: 'manual',
      };
      const res = await post(invokeOn(people[who], m, 'adaptiveCard/action', value));
      const answer = JSON.parse(res.text) as { type: string; value: unknown };
      if (answer.type === 'application/vnd.microsoft.activity.message') return { told: String(answer.value) };
      const card = answer.value as Card;
      const first = card.body?.[0];
      if (first?.type === 'TextBlock' && first.color === 'Attention' && first.weight === 'Bolder') {
        return { told: String(first.text), now: seenCard({ ...card, body: card.body?.slice(1) }) };
      }
      // The presser sees the answer in place of the card pressed.
      m.card = card;
      return { now: seen(m) };
    },
    async openFormFrom(who, message, label) {
      const m = seenOf.get(message);
      if (!m) throw new Error('that message was not shown in Teams');
      const action = actionOn(m, label);
      const data = action.data as Element;
      if (action.type !== 'Action.Submit' || (data.msteams as Element | undefined)?.type !== 'task/fetch')
        throw new Error(`"${label}" does not open a dialog`);
      const res = await post(invokeOn(people[who], m, 'task/fetch', { data, context: { theme: 'default' } }));
      const answer = JSON.parse(res.text) as {
        task: { type: string; value: { title: string; card: { content: Card } } };
      };
      if (answer.task.type !== 'continue') throw new Error(`no dialog: ${JSON.stringify(answer.task.value)}`);
      const card = answer.task.value.card.content;
      forms.set(who, { kind: 'dialog', card });
      return formOf(card, answer.task.value.title);
    },
    async ask(who, words) {
      const before = calls.length;
      await post(inChat(people[who], { text: `spoc ${words}`, textFormat: 'plain' }));
      const reply = calls.slice(before).find((c) => c.method === 'POST' && c.body.type === 'message');
      if (!reply) throw new Error(`no answer to spoc ${words}`);
      const answer = shown.get(`1:reply-${calls.indexOf(reply) + 1}`);
      if (!answer) throw new Error('the answer was not recorded');
      return seen(answer);
    },
    async importFile(who, register, fileName, content) {
      // Teams hands the bot a pre-authenticated download link for a file sent in the chat.
      const path = `/personal/files/${encodeURIComponent(fileName)}-${++seq}`;
      const nock = (await import('nock')).default;
      nock(ONEDRIVE).get(path).reply(200, content, { 'content-type': 'text/csv' });
      const before = calls.length;
      await post(
        inChat(people[who], {
          text: `spoc import ${register}`,
          textFormat: 'plain',
          attachments: [
            {
              contentType: 'application/vnd.microsoft.teams.file.download.info',
              contentUrl: `${ONEDRIVE}/personal/Documents/${fileName}`,
              name: fileName,
              content: { downloadUrl: `${ONEDRIVE}${path}`, uniqueId: `file-${seq}`, fileType: 'csv' },
            },
          ],
        }),
      );
      await settle(() => calls.length - before, 100);
      apply();
      // (A typing indicator may come first while the file is read.)
      const reply = calls.slice(before).find((c) => c.method === 'POST' && c.body.type === 'message');
      if (!reply) throw new Error('no preview in the personal chat');
      const answer = shown.get(`1:reply-${calls.indexOf(reply) + 1}`);
      if (!answer) throw new Error('the preview was not recorded');
      return seen(answer);
    },
    async remind() {
      await runReminderPass({ db: t.spoc.database.db, log: silentLogger, now: clock.now() });
    },
    now: () => clock.now(),
  };
}
