/**
 * "Already reported" on the Teams fault card: the warning under the device with "Me too" beside
 * it, and what replaces the form after "Me too". The words are the domain's
 * (`presenters/already-reported.ts`).
 */
import { type AlreadyReportedWords, ME_TOO_TITLE } from '../../../domain/presenters/already-reported';
import type { Rich } from '../../../domain/presenters/presentation';
import { renderText } from '../render/adaptive-card';
import type { AdaptiveCard } from './fault-form';

/** The verb of "Me too" (an `Action.Submit` on the fault card or in its dialog). */
export const ME_TOO_VERB = 'fault.meToo';

/** The "Already reported" warning under the device, with "Me too" beside it. */
export function alreadyReportedItems(
  words: AlreadyReportedWords | undefined,
  formId: string,
): Record<string, unknown>[] {
  if (!words) return [];
  const items: Record<string, unknown>[] = [
    { type: 'TextBlock', text: renderText(words.line), wrap: true, weight: 'Bolder' },
    { type: 'TextBlock', text: renderText(words.detail), wrap: true, spacing: 'Small' },
  ];
  if (words.meToo) {
    items.push({
      type: 'ActionSet',
      actions: [
        {
          type: 'Action.Submit',
          title: words.meToo.label,
          style: 'positive',
          // Following needs nothing typed: the form's required fields do not hold it back.
          associatedInputs: 'none',
          data: { verb: ME_TOO_VERB, formId, incidentId: words.meToo.incidentId },
        },
      ],
    });
  }
  return [{ type: 'Container', id: 'alreadyReported', style: 'warning', items }];
}

/** What replaces the form after "Me too": following it, and no new report. */
export function meTooCard(text: Rich): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: ME_TOO_TITLE, weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'TextBlock', text: renderText(text), wrap: true },
    ],
  };
}
