/**
 * What the Teams office tests do and read, built on a file's harness (`useTeamsSpoc`): a dialog
 * opened or submitted (`task`), a card's button pressed (`press`), a command said in the personal
 * chat and the card SPOC answers with (`ask`, `replyTo`); and, on the cards, their words, their
 * buttons, a dialog's form and its submit button's data. One counter numbers the activities a file
 * sends, each kind with its own id prefix, so that no two activities of a file share an id.
 * `knownPerson` gives a person SPOC knows, with a command context acting as them.
 */
import { eq } from 'drizzle-orm';
import { people } from '../../src/db/schema';
import { systemClock } from '../../src/domain/clock';
import { actorOf } from '../../src/domain/schools/identify';
import {
  cardAction,
  PERSONAL_CONVERSATION_ID,
  personalMessage,
  TEACHER,
  taskInvoke,
} from './teams-activities';
import { type Card, cardOf, input, type TeamsHarness } from './teams-harness';

/** A dialog's answer to `task/fetch` or `task/submit`: a card to show, or a message. */
export type TaskAnswer = {
  task:
    | { type: 'continue'; value: { title: string; card: { content: Card } } }
    | { type: 'message'; value: string };
};

/** The answer to a press of a card's Universal Action: the card in its place, or a message. */
export type PressAnswer = { type: string; value: Card | string };

/** A dialog's form: its title, its card, and its submit button's data (verb, value, formId). */
export type DialogForm = { title: string; form: Card; submit: Record<string, unknown> };

/** Everything as the tests compare words: the JSON of it. */
export const words = (x: unknown) => JSON.stringify(x);

/**
 * Every button on a card: the ActionSets of its body and of its rows (a Container's items), and
 * the card's own actions.
 */
export const actionsOf = (card: Card): Record<string, unknown>[] => {
  const body = card.body as Array<{
    items?: Array<{ actions?: Record<string, unknown>[] }>;
    actions?: Record<string, unknown>[];
  }>;
  return [
    ...body.flatMap((b) => [...(b.actions ?? []), ...(b.items ?? []).flatMap((i) => i.actions ?? [])]),
    ...(card.actions ?? []),
  ];
};

/** The buttons of a card's body's own ActionSets and the card's own actions, not its rows'. */
export const outerActionsOf = (card: Card): Record<string, unknown>[] => {
  const body = card.body as Array<{ actions?: Record<string, unknown>[] }>;
  return [...body.flatMap((b) => b.actions ?? []), ...(card.actions ?? [])];
};

/** A button's verb: an Action.Execute's own, or an Action.Submit's in its data. */
export const verbOf = (a: Record<string, unknown>) =>
  (a.verb ?? (a.data as { verb?: string } | undefined)?.verb) as string;

/** The button with this verb on a card (any of `actionsOf`), or the test fails saying so. */
export const button = (card: Card, verb: string) => {
  const found = actionsOf(card).find((a) => verbOf(a) === verb);
  if (!found) throw new Error(`no ${verb} on ${words(card)}`);
  return found as { type: string; title: string; data: { value: string } & Record<string, unknown> };
};

/** The value of the choice titled `title` in a choice set, or the test fails saying so. */
export const choice = (form: Card, id: string, title: string) => {
  const found = (
    input(form, id) as { choices?: Array<{ title: string; value: string }> } | undefined
  )?.choices?.find((c) => c.title === title);
  if (!found) throw new Error(`no ${title} in ${id}`);
  return found.value;
};

/** The dialog's card, or the test fails saying what came instead. */
export function cardIn(answer: TaskAnswer): Card {
  if (answer.task.type !== 'continue') throw new Error(JSON.stringify(answer));
  return answer.task.value.card.content;
}

/** The submit button's data of a dialog's form (verb, value, formId). */
export const submitOf = (card: Card) => card.actions?.[0]?.data as Record<string, unknown>;

/** A dialog's form with its title and its submit button's data, or the test fails saying what came instead. */
export function formOf(answer: TaskAnswer): DialogForm {
  if (answer.task.type !== 'continue') throw new Error(JSON.stringify(answer));
  const form = answer.task.value.card.content;
  return { title: answer.task.value.title, form, submit: submitOf(form) };
}

/** A message in the personal chat, from `from` (Megan unless given). */
export const said = (text: string, id: string, from: Record<string, unknown> = TEACHER) => ({
  ...personalMessage(text, id),
  from,
});

export interface OfficeToolsOptions {
  /**
   * The prefixes of the activities' ids, each followed by the file's counter: the dialogs'
   * invokes (`f:task-` unless given), the presses (`f:press-`) and the personal-chat messages
   * (`f:ask-`).
   */
  idPrefix?: { task?: string; press?: string; ask?: string };
}

/** The helpers that send activities, on `harness`'s SPOC; with the card readers above. */
export function officeTools(
  harness: Pick<TeamsHarness, 'calls' | 'db' | 'post'>,
  { idPrefix = {} }: OfficeToolsOptions = {},
) {
  const { calls, db, post } = harness;
  const prefix = { task: 'f:task-', press: 'f:press-', ask: 'f:ask-', ...idPrefix };
  let n = 0;
  /** The file's counter, one more each time: the number in every activity id the tools make. */
  const seq = () => ++n;

  /** A dialog opened (`task/fetch`) or submitted (`task/submit`) by `from` (Megan unless given). */
  async function task(
    name: 'task/fetch' | 'task/submit',
    data: Record<string, unknown>,
    from: Record<string, unknown> = TEACHER,
  ): Promise<TaskAnswer> {
    const res = await post(taskInvoke(name, data, `${prefix.task}${seq()}`, from));
    return JSON.parse(res.text) as TaskAnswer;
  }

  /** A card's Universal Action pressed by `from` (Megan unless given). */
  async function press(
    verb: string,
    data: Record<string, unknown>,
    from: Record<string, unknown> = TEACHER,
  ): Promise<PressAnswer> {
    const res = await post(cardAction(verb, data, `${prefix.press}${seq()}`, from));
    return JSON.parse(res.text) as PressAnswer;
  }

  /** The form a button with this verb opens as a dialog. */
  async function openForm(verb: string, value = ''): Promise<DialogForm> {
    return formOf(await task('task/fetch', { verb, value }));
  }

  /** Every message SPOC sent to this conversation (the personal chat unless given) since the test began. */
  const sentTo = (conversationId: string = PERSONAL_CONVERSATION_ID) =>
    calls.filter((c) => c.method === 'POST' && c.path.includes(conversationId));

  /**
   * The card SPOC posts first in Megan's personal chat after she says `text` there (the calls
   * recorded so far forgotten first).
   */
  async function ask(text: string): Promise<Card> {
    calls.splice(0);
    await post(personalMessage(text, `${prefix.ask}${seq()}`));
    return cardOf(sentTo(PERSONAL_CONVERSATION_ID)[0]);
  }

  /**
   * The card SPOC answers `text` with when `from` (Megan unless given) says it in the personal
   * chat: the reply to this very message, not a notice the outbox sends to the same chat meanwhile;
   * the test fails if there is none.
   */
  async function replyTo(text: string, from: Record<string, unknown> = TEACHER): Promise<Card> {
    calls.splice(0);
    const id = `${prefix.ask}${seq()}`;
    await post(said(text, id, from));
    const reply = sentTo(PERSONAL_CONVERSATION_ID).find((c) => c.path.endsWith(`/activities/${id}`));
    if (!reply) throw new Error(`no answer to ${text}`);
    return cardOf(reply);
  }

  /**
   * The person SPOC knows as `who` (Megan unless given) by their Teams user, with a command
   * context acting as them on the real clock; the test fails saying `missing` if SPOC does not
   * know them.
   */
  async function knownPerson(who: { aadObjectId: string } = TEACHER, missing = 'no admin') {
    const [person] = await db().select().from(people).where(eq(people.teamsUserId, who.aadObjectId));
    if (!person) throw new Error(missing);
    return { person, ctx: { db: db(), clock: systemClock, actor: actorOf(person) } };
  }

  return {
    seq,
    knownPerson,
    task,
    press,
    openForm,
    ask,
    replyTo,
    sentTo,
    words,
    actionsOf,
    outerActionsOf,
    verbOf,
    button,
    choice,
    cardIn,
    submitOf,
    formOf,
  };
}
