/**
 * Known fixes on the Teams fault form. A card cannot change as it is typed (Slack's modal can), so
 * the form shows the fixes matching what it held when it was sent or last came back (opened with
 * words, devices shown, a refusal), and offers "Check for known fixes", which sends what is typed
 * and brings the form back with the fixes that match it. "That fixed it" on one counts the
 * deflection once for the form and replaces it with thanks: nothing is reported.
 */
import type { FixSuggestion } from '../../../domain/known-fixes/suggest';
import {
  FIXED_IT_SMALL_PRINT,
  fixedItThanks,
  STEPS_SHOWN,
  SUGGESTION_WORDS,
} from '../../../domain/presenters/known-fixes';
import { renderText } from '../render/adaptive-card';
import type { AdaptiveCard } from './fault-form';

/** The verbs of the form's known-fix buttons. */
export const FIX_VERB = { check: 'fault.fixes', fixed: 'fault.fixed' } as const;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The suggested fixes as a container: a heading, then each fix with "That fixed it". */
function suggestionsBlock(formId: string, suggestions: readonly FixSuggestion[]): Record<string, unknown> {
  return {
    type: 'Container',
    style: 'emphasis',
    items: [
      { type: 'TextBlock', text: `💡 **${SUGGESTION_WORDS.heading}**`, wrap: true },
      { type: 'TextBlock', text: SUGGESTION_WORDS.intro, wrap: true, size: 'Small' },
      ...suggestions.flatMap((f) => [
        { type: 'TextBlock', text: renderText([{ bold: [{ text: f.title, max: 150 }] }]), wrap: true },
        { type: 'TextBlock', text: renderText([clip(f.steps, STEPS_SHOWN)]), wrap: true, spacing: 'None' },
        {
          type: 'ActionSet',
          actions: [
            {
              type: 'Action.Submit',
              title: SUGGESTION_WORDS.button,
              style: 'positive',
              data: { verb: FIX_VERB.fixed, formId, fixId: f.id },
            },
          ],
        },
      ]),
    ],
  };
}

/**
 * The fault form with known fixes: those suggested, before "Who is affected?", and the button that
 * looks again with what is typed. Given only where the school has fixes.
 */
export function withKnownFixes(
  card: AdaptiveCard,
  formId: string,
  suggestions: readonly FixSuggestion[],
): AdaptiveCard {
  const body = [...((card.body as Record<string, unknown>[]) ?? [])];
  if (suggestions.length > 0) {
    const at = body.findIndex((b) => b.id === 'impact');
    body.splice(at < 0 ? body.length : at, 0, suggestionsBlock(formId, suggestions));
  }
  const check = {
    type: 'Action.Submit',
    title: SUGGESTION_WORDS.check,
    associatedInputs: 'auto',
    data: { verb: FIX_VERB.check, formId },
  };
  return { ...card, body, actions: [...((card.actions as unknown[]) ?? []), check] };
}

/** The thanks, as plain Teams markdown (the dialog's closing message). */
export function fixedItText(title: string): string {
  return renderText(fixedItThanks(title));
}

/** What replaces the form once a suggested fix worked. */
export function fixedItCard(title: string): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: SUGGESTION_WORDS.thanksTitle, weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'TextBlock', text: fixedItText(title), wrap: true },
      { type: 'TextBlock', text: renderText(FIXED_IT_SMALL_PRINT), wrap: true, size: 'Small' },
    ],
  };
}
