/**
 * Known fixes in Slack's modals: the Resolve form's "Save as a known fix" fields, the fixes the
 * fault form suggests (each with "That fixed it"), and the thanks that replaces the fault form.
 * The words are the domain's (`presenters/known-fixes.ts`); this only lays them out.
 */
import type { InputBlock, KnownBlock, ModalView } from '@slack/types';
import type { IncidentDetail } from '../../../db/queries/incidents';
import { type FixScope, scopesFor } from '../../../domain/known-fixes/from-incident';
import { FIX_KEYWORDS_MAX, FIX_STEPS_MAX, FIX_TITLE_MAX } from '../../../domain/known-fixes/known-fixes';
import type { FixSuggestion } from '../../../domain/known-fixes/suggest';
import {
  FIXED_IT_SMALL_PRINT,
  fixedItThanks,
  fixScopeLabel,
  SAVE_FIX_FORM,
  STEPS_SHOWN,
  SUGGESTION_WORDS,
} from '../../../domain/presenters/known-fixes';
import { ACTION, FAULT_BLOCK, KNOWN_FIX_BLOCK_PREFIX, RESOLVE_BLOCK } from '../ids';
import { clip, escClip, md, plain } from './format';
import { mrkdwn } from './render';

/** The value of the "Save as a known fix" box when ticked. */
export const SAVE_FIX_TICKED = 'yes';

/** The Resolve form's known-fix fields, with the incident's defaults. */
export function saveFixBlocks(i: IncidentDetail): InputBlock[] {
  const scopes = scopesFor(i);
  const scopeOption = (s: FixScope) => ({ text: plain(clip(fixScopeLabel(s, i), 75)), value: s });
  const text = (
    blockId: string,
    label: string,
    hint: string | undefined,
    max: number,
    extra: { multiline?: boolean; initial?: string } = {},
  ): InputBlock => ({
    type: 'input',
    block_id: blockId,
    optional: true,
    label: plain(label),
    ...(hint ? { hint: plain(hint) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: ACTION.input,
      max_length: max,
      ...(extra.multiline ? { multiline: true } : {}),
      ...(extra.initial ? { initial_value: clip(extra.initial, max) } : {}),
    },
  });
  return [
    {
      type: 'input',
      block_id: RESOLVE_BLOCK.saveFix,
      optional: true,
      label: plain(SAVE_FIX_FORM.save),
      element: {
        type: 'checkboxes',
        action_id: ACTION.input,
        options: [
          {
            text: plain(SAVE_FIX_FORM.save),
            description: plain(SAVE_FIX_FORM.saveHint),
            value: SAVE_FIX_TICKED,
          },
        ],
      },
    },
    text(RESOLVE_BLOCK.fixTitle, SAVE_FIX_FORM.title, SAVE_FIX_FORM.titleHint, FIX_TITLE_MAX, {
      initial: i.summary,
    }),
    text(RESOLVE_BLOCK.fixSteps, SAVE_FIX_FORM.steps, SAVE_FIX_FORM.stepsHint, FIX_STEPS_MAX, {
      multiline: true,
    }),
    {
      type: 'input',
      block_id: RESOLVE_BLOCK.fixScope,
      optional: true,
      label: plain(SAVE_FIX_FORM.scope),
      element: {
        type: 'radio_buttons',
        action_id: ACTION.input,
        options: scopes.map(scopeOption),
        ...(scopes[0] ? { initial_option: scopeOption(scopes[0]) } : {}),
      },
    },
    text(RESOLVE_BLOCK.fixKeywords, SAVE_FIX_FORM.keywords, SAVE_FIX_FORM.keywordsHint, FIX_KEYWORDS_MAX),
  ];
}

/** The fixes a fault form suggests: a heading, then each fix with "That fixed it" beside it. */
export function knownFixSuggestionBlocks(suggestions: readonly FixSuggestion[]): KnownBlock[] {
  if (suggestions.length === 0) return [];
  return [
    { type: 'divider' },
    {
      type: 'context',
      elements: [md(`:bulb: *${SUGGESTION_WORDS.heading}*. ${SUGGESTION_WORDS.intro}`)],
    },
    ...suggestions.map(
      (f, n): KnownBlock => ({
        type: 'section',
        block_id: `${KNOWN_FIX_BLOCK_PREFIX}${n + 1}`,
        text: md(`*${escClip(f.title, 150)}*\n${escClip(f.steps, STEPS_SHOWN)}`),
        accessory: {
          type: 'button',
          action_id: ACTION.fixWorked,
          text: plain(SUGGESTION_WORDS.button),
          value: f.id,
          style: 'primary',
        },
      }),
    ),
    { type: 'divider' },
  ];
}

/** The fix ids a fault form shows (read back from its blocks), in order. */
export function suggestedFixIds(blocks: unknown): string[] {
  if (!Array.isArray(blocks)) return [];
  return blocks.flatMap((b) => {
    const block = b as { block_id?: string; accessory?: { action_id?: string; value?: string } };
    return block.block_id?.startsWith(KNOWN_FIX_BLOCK_PREFIX) &&
      block.accessory?.action_id === ACTION.fixWorked &&
      block.accessory.value
      ? [block.accessory.value]
      : [];
  });
}

/** What replaces the fault form once a suggested fix worked: thanks, and nothing reported. */
export function fixedItView(title: string): ModalView {
  return {
    type: 'modal',
    title: plain(SUGGESTION_WORDS.thanksTitle),
    close: plain('Done'),
    blocks: [
      { type: 'section', text: md(mrkdwn(fixedItThanks(title))) },
      { type: 'context', elements: [md(mrkdwn(FIXED_IT_SMALL_PRINT))] },
    ],
  };
}

/**
 * A fault form's input that looks for known fixes once filled in (only where the school has any,
 * so a school without them sends Slack nothing extra): the block dispatches its action, under its
 * own action id; a text input as each character is typed (Enter would say it submits the form).
 */
export function lookingForFixes(block: InputBlock, actionId: string): InputBlock {
  const element = { ...block.element, action_id: actionId } as InputBlock['element'];
  if (element.type === 'plain_text_input') {
    element.dispatch_action_config = { trigger_actions_on: ['on_character_entered'] };
  }
  return { ...block, dispatch_action: true, element };
}

/**
 * The fault form's blocks with known fixes: the summary and the device look for them, and the
 * fixes suggested so far go after "where" and "which device", before "who is affected".
 */
export function withKnownFixes(
  blocks: readonly KnownBlock[],
  suggestions: readonly FixSuggestion[],
): KnownBlock[] {
  const out = blocks.map((b): KnownBlock => {
    if (b.type !== 'input') return b;
    if (b.block_id === FAULT_BLOCK.summary) return lookingForFixes(b, ACTION.faultSummary);
    if (b.block_id === FAULT_BLOCK.assetId) return lookingForFixes(b, ACTION.faultAsset);
    return b;
  });
  const at = out.findIndex((b) => b.block_id === FAULT_BLOCK.impact);
  out.splice(at < 0 ? out.length : at, 0, ...knownFixSuggestionBlocks(suggestions));
  return out;
}
