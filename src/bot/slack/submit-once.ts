/**
 * Every Slack form's submission is recorded once per view (see domain/form-submissions): a repeat
 * of the same view (Slack's retry, a double click on Save, a replayed request) changes nothing,
 * posts nothing and is answered as the first one was — the same "Saved" view, not an error.
 */
import type { Ctx } from '../../domain/context';
import { submitOnce } from '../../domain/form-submissions';
import type { LateMessage } from './guard';

/** A modal's answer: errors beside the fields, the view that replaces it, or nothing (it closes). */
export type FormReply =
  | { response_action: 'errors'; errors: Record<string, string> }
  | { response_action: 'update'; view: unknown; late?: LateMessage }
  | undefined;

export interface RepliedOnce<R extends FormReply> {
  /** True when this was a repeat: nothing ran, so there is nothing to announce or update. */
  repeat: boolean;
  reply: R | undefined;
}

/**
 * Runs a submitted form's work once per Slack view and form. `work` gets a context whose database
 * is the transaction that records the submission; field errors are not recorded, because Slack
 * keeps the view id when the person corrects the form and sends it again.
 */
export async function replyOnce<C extends Ctx, R extends FormReply>(
  ctx: C,
  view: { id?: string; callback_id: string },
  work: (ctx: C) => Promise<R>,
): Promise<RepliedOnce<R>> {
  const out = await submitOnce(ctx, { kind: view.callback_id, key: view.id ?? '' }, async (tx) => {
    const reply = await work(tx);
    return { saved: reply?.response_action !== 'errors', answer: reply };
  });
  const reply = out.answer;
  // What the first answer had to say by DM (should its modal have closed) was said then.
  if (out.repeat && reply?.response_action === 'update' && reply.late) {
    const { late: _said, ...shown } = reply;
    return { repeat: true, reply: shown as R };
  }
  return { repeat: out.repeat, reply };
}
