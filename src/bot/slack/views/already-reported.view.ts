/**
 * "Already reported" in the Slack fault form: the warning as a section of its own (block
 * `already_reported`) with "Me too" beside it, and what replaces the form after "Me too". The
 * words are the domain's (`presenters/already-reported.ts`).
 */
import type { KnownBlock, ModalView } from '@slack/types';
import type { AlreadyReportedWords } from '../../../domain/presenters/already-reported';
import { ME_TOO_TITLE } from '../../../domain/presenters/already-reported';
import type { Rich } from '../../../domain/presenters/presentation';
import { ACTION, ALREADY_REPORTED_BLOCK } from '../ids';
import { md, plain } from './format';
import { mrkdwn } from './render';

/** The warning's block, or none. */
export function alreadyReportedBlocks(words: AlreadyReportedWords | null | undefined): KnownBlock[] {
  if (!words) return [];
  return [
    {
      type: 'section',
      block_id: ALREADY_REPORTED_BLOCK,
      text: md(`${mrkdwn(words.line)}\n${mrkdwn(words.detail)}`),
      ...(words.meToo
        ? {
            accessory: {
              type: 'button',
              action_id: ACTION.faultMeToo,
              text: plain(words.meToo.label),
              value: words.meToo.incidentId,
              style: 'primary',
            },
          }
        : {}),
    },
  ];
}

/** Replaces the fault form after "Me too": following it, and no new report. */
export function meTooDoneView(text: Rich): ModalView {
  return {
    type: 'modal',
    title: plain(ME_TOO_TITLE),
    close: plain('Done'),
    blocks: [{ type: 'section', text: md(mrkdwn(text)) }],
  };
}
