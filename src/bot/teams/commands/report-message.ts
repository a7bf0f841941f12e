/**
 * The message action "Report ICT fault" (`composeExtension/fetchTask`, command `reportFault`):
 * opens the fault form as a dialog, pre-filled with the message's text; its submit
 * (`composeExtension/submitAction`) reports the fault once per form id, as the personal chat's
 * form does, and answers with the reference (or the form again, with the errors under the fields).
 * The dialog is the same card as the personal chat's, so a big school's location and device
 * type-aheads work in it too (Teams sends their searches to the bot from the channel).
 */
import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import { cardAttachment, FAULT_VERB, faultReportedText, faultValuesOf } from '../cards/fault-form';
import { FIX_VERB, fixedItText } from '../cards/known-fixes';
import { plainText } from '../render/adaptive-card';
import type { TeamsDeps } from './deps';
import { teamsContext } from './deps';
import { faultForm, meToo, prefillFromText, reportOnce, seenOf, settleWithFix } from './fault';

export const REPORT_FAULT_COMMAND = 'reportFault';
const TITLE = 'Report an ICT fault';

/** A message's HTML (`messagePayload.body.content`) as plain text, line breaks kept. */
export function textOfHtml(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6])>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n')
    .trim();
}

type TaskResponse =
  | { task: { type: 'continue'; value: { title: string; card: ReturnType<typeof cardAttachment> } } }
  | { task: { type: 'message'; value: string } };

const message = (value: string): TaskResponse => ({ task: { type: 'message', value } });

export interface MessageAction {
  commandId?: string;
  messagePayload?: { body?: { content?: string; contentType?: string } };
  data?: unknown;
}

export async function fetchReportTask(
  deps: TeamsDeps,
  context: TurnContext,
  action: MessageAction,
): Promise<TaskResponse> {
  if (action.commandId !== REPORT_FAULT_COMMAND) return message('I do not know that action.');
  const who = await teamsContext(deps, context);
  if (!who.ok) return message(who.message);
  const body = action.messagePayload?.body;
  const text = body?.contentType === 'text' ? (body.content ?? '') : textOfHtml(body?.content ?? '');
  const card = await faultForm(who.ctx, randomUUID(), prefillFromText(text));
  return { task: { type: 'continue', value: { title: TITLE, card: cardAttachment(card) } } };
}

export async function submitReportTask(
  deps: TeamsDeps,
  context: TurnContext,
  action: MessageAction,
): Promise<TaskResponse> {
  if (action.commandId !== REPORT_FAULT_COMMAND) return message('I do not know that action.');
  const data = (action.data ?? {}) as Record<string, unknown>;
  const formId =
    typeof data.formId === 'string' && /^[0-9a-f-]{36}$/i.test(data.formId) ? data.formId : undefined;
  if (!formId) return message('That form is not one of mine: open Report ICT fault again.');
  const who = await teamsContext(deps, context);
  if (!who.ok) return message(who.message);
  const values = faultValuesOf(data);
  if (data.verb === FIX_VERB.fixed) {
    const done = await settleWithFix(deps, who.ctx, formId, data.fixId);
    return message(done.ok ? fixedItText(done.title) : done.message);
  }
  if (data.verb === FAULT_VERB.devices || data.verb === FIX_VERB.check) {
    const card = await faultForm(who.ctx, formId, values, { withAssets: true });
    return { task: { type: 'continue', value: { title: TITLE, card: cardAttachment(card) } } };
  }
  // "Me too" from the warning: the dialog closes saying they follow it, and nothing is reported.
  if (data.verb === FAULT_VERB.meToo) return message(plainText(await meToo(deps, who.ctx, data)));
  const { answer } = await reportOnce(deps, who.ctx, formId, values, seenOf(data));
  if (!answer) return message('That form is not yours.');
  if (answer.settled) return message(fixedItText(answer.settled));
  if (answer.reference) return message(faultReportedText(answer.reference));
  const card = await faultForm(who.ctx, formId, values, {
    errors: answer.error?.fields,
    notice: answer.error?.message,
    alreadyReported: answer.alreadyReported,
    withAssets: Boolean(answer.alreadyReported),
  });
  return { task: { type: 'continue', value: { title: TITLE, card: cardAttachment(card) } } };
}
