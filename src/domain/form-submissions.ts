/**
 * Every form is recorded once. A platform may deliver the same submission again (Slack retries,
 * a double click on Save, a replayed request); each submission carries a key (the Slack view id)
 * and the first to arrive claims it in the same transaction as everything the form changes. A
 * repeat finds the key taken, runs nothing (no write, no message, no audit entry) and is given
 * the answer the first one got. Two copies at the same moment queue on the key: the second waits
 * until the first commits, then finds it.
 */
import type { Db } from '../db/client';
import {
  claimFormSubmission,
  findFormSubmission,
  setFormSubmissionAnswer,
} from '../db/queries/form-submissions';
import type { Ctx } from './context';

export interface FormSubmission {
  /** Which form, e.g. the Slack callback id. */
  kind: string;
  /** The platform's id of this submitted form (the Slack view id); empty: nothing to key it by. */
  key: string;
}

export interface FormOutcome<A> {
  /**
   * False when the form was not saved (field errors, a refusal): nothing it did is kept, the key
   * included, so the person can correct the form and send it again.
   */
  saved: boolean;
  /** What the person is answered (plain JSON); kept for any repeat of a saved submission. */
  answer: A;
}

export interface SubmittedOnce<A> {
  /** True when this copy repeated a submission already recorded, and so did nothing. */
  repeat: boolean;
  /** The answer; for a repeat, the first one's (nothing when it was another person's form). */
  answer: A | undefined;
}

/**
 * How long a key marks a repeat. Slack never reuses a view id, and a real repeat (a retry, a
 * double click, a replayed request, which the signature check refuses after five minutes) comes
 * within minutes; past a day, a key that comes round again (the playground numbers its views
 * afresh at each start) is a new form, never silently taken for an old one.
 */
export const REPEAT_WINDOW_MS = 24 * 60 * 60 * 1000;

class NotSaved extends Error {
  constructor(readonly answer: unknown) {
    super('form not saved');
  }
}

/** JSON as Postgres stores it: a NUL character is refused in jsonb, and means nothing to a person. */
function storable(answer: unknown): unknown {
  const text = JSON.stringify(answer ?? null, (_key, value) =>
    typeof value === 'string' ? value.replaceAll('\u0000', '') : value,
  );
  return JSON.parse(text);
}

/**
 * Runs `work` once per submission. `work` receives a context whose database is the transaction
 * that records the submission, so its command commits (or rolls back) together with the key.
 */
export async function submitOnce<C extends Ctx, A>(
  ctx: C,
  form: FormSubmission,
  work: (ctx: C) => Promise<FormOutcome<A>>,
): Promise<SubmittedOnce<A>> {
  if (!form.key) return { repeat: false, answer: (await work(ctx)).answer };
  const id = { schoolId: ctx.actor.schoolId, kind: form.kind, key: form.key };
  try {
    return await ctx.db.transaction(async (raw) => {
      const tx = raw as unknown as Db;
      const now = ctx.clock.now();
      const first = await claimFormSubmission(
        tx,
        { ...id, personId: ctx.actor.personId, createdAt: now },
        new Date(now.getTime() - REPEAT_WINDOW_MS),
      );
      if (!first) {
        const row = await findFormSubmission(tx, id);
        // A copy sent as someone else (a crafted request) learns nothing of the first answer.
        const answer = row && row.personId === ctx.actor.personId ? row.answer : null;
        return { repeat: true, answer: (answer ?? undefined) as A | undefined };
      }
      const out = await work({ ...ctx, db: tx });
      if (!out.saved) throw new NotSaved(out.answer);
      await setFormSubmissionAnswer(tx, id, storable(out.answer));
      return { repeat: false, answer: out.answer };
    });
  } catch (error) {
    if (error instanceof NotSaved) return { repeat: false, answer: error.answer as A };
    throw error;
  }
}

/**
 * The answer a submission already recorded was given, when it was this person's (a repeat of a
 * form that can no longer open, because what it did is done); undefined otherwise.
 */
export async function recordedAnswer<A>(ctx: Ctx, form: FormSubmission): Promise<A | undefined> {
  if (!form.key) return undefined;
  const row = await findFormSubmission(ctx.db, {
    schoolId: ctx.actor.schoolId,
    kind: form.kind,
    key: form.key,
  });
  if (!row || row.personId !== ctx.actor.personId) return undefined;
  return (row.answer ?? undefined) as A | undefined;
}
