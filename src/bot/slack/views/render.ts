/**
 * Block Kit from the platform-neutral presentations of `src/domain/presenters`: the neutral markup
 * as Slack mrkdwn, sections as blocks, actions as buttons (secondary ones in an overflow menu).
 * No wording is decided here.
 */
import type { ActionsBlock, Button, KnownBlock, Overflow, PlainTextOption, SectionBlock } from '@slack/types';
import {
  type ActionId,
  type Presentation,
  type PresentedAction,
  type Rich,
  type Section,
  SURFACE_WORDS,
} from '../../../domain/presenters/presentation';
import { ACTION, mention } from '../ids';
import { esc, escClip, md, plain, sectionsOf, slackDate } from './format';

/** Each neutral action as the Slack `action_id` its listener is registered for. */
export const SLACK_ACTION: Record<ActionId, string> = {
  'incident.claim': ACTION.claim,
  'incident.triage': ACTION.triage,
  'incident.forward': ACTION.forward,
  'incident.escalate': ACTION.escalate,
  'incident.resolve': ACTION.resolve,
  'incident.note': ACTION.note,
  'incident.reply': ACTION.reply,
  'incident.merge': ACTION.merge,
  'incident.hold': ACTION.hold,
  'incident.resume': ACTION.resume,
  'incident.close': ACTION.close,
  'incident.providerUpdate': ACTION.providerUpdate,
  'incident.handBack': ACTION.handBack,
  'incident.open': ACTION.incidentOpen,
  'reporter.fixed': ACTION.reporterFixed,
  'reporter.stillBroken': ACTION.reporterStillBroken,
  'reporter.comment': ACTION.commentOpen,
  'reporter.details': ACTION.detailsOpen,
  'satisfaction.up': ACTION.satisfactionUp,
  'satisfaction.down': ACTION.satisfactionDown,
  'satisfaction.comment': ACTION.satisfactionComment,
  'fault.report': ACTION.reportFault,
  'reminder.paid': ACTION.reminderPaid,
  'reminder.snooze': ACTION.reminderSnooze,
  'reminder.renewed': ACTION.reminderRenewed,
  'reminder.willCancel': ACTION.reminderWillCancel,
  'reminder.reassign': ACTION.reminderReassign,
  'reminder.chase': ACTION.reminderChase,
  'reminder.openProblem': ACTION.problemSuggested,
  'location.add': ACTION.locationAdd,
  'location.edit': ACTION.locationEdit,
  'location.archive': ACTION.locationArchive,
  'location.restore': ACTION.locationRestore,
  'asset.add': ACTION.assetAdd,
  'asset.view': ACTION.assetView,
  'asset.edit': ACTION.assetEdit,
  'asset.move': ACTION.assetMove,
  'asset.status': ACTION.assetStatus,
  'licence.add': ACTION.licenceAdd,
  'licence.edit': ACTION.licenceEdit,
  'provider.add': ACTION.providerAdd,
  'provider.edit': ACTION.providerEdit,
  'contract.add': ACTION.contractAdd,
  'contract.edit': ACTION.contractEdit,
  'payment.add': ACTION.paymentAdd,
  'payment.paid': ACTION.paymentPaid,
  'payment.cancel': ACTION.paymentCancel,
  'diary.add': ACTION.diaryAdd,
  'work.newChange': ACTION.workNewChange,
  'work.newProblem': ACTION.workNewProblem,
  'work.view': ACTION.workView,
  'work.progress': ACTION.workProgress,
  'work.edit': ACTION.workEdit,
  'work.link': ACTION.workLink,
  'work.resolveLinked': ACTION.workResolveLinked,
  'settings.edit': ACTION.settingsEdit,
  'fix.add': ACTION.fixAdd,
  'fix.edit': ACTION.fixEdit,
  'fix.retire': ACTION.fixRetire,
  'fix.restore': ACTION.fixRestore,
  'fixes.previous': `${ACTION.fixesPage}_prev`,
  'fixes.next': `${ACTION.fixesPage}_next`,
  'registers.previous': `${ACTION.page}_prev`,
  'registers.next': `${ACTION.page}_next`,
  'supply.previous': `${ACTION.supplyPage}_prev`,
  'supply.next': `${ACTION.supplyPage}_next`,
  'work.previous': `${ACTION.workPage}_prev`,
  'work.next': `${ACTION.workPage}_next`,
  'incidents.previous': `${ACTION.incidentsPage}_prev`,
  'incidents.next': `${ACTION.incidentsPage}_next`,
};

/** The neutral markup as Slack mrkdwn; dates in the school's time zone for old clients. */
export function mrkdwn(rich: Rich, timezone?: string): string {
  return rich
    .map((span) => {
      if (typeof span === 'string') return esc(span);
      if ('max' in span) return escClip(span.text, span.max);
      if ('bold' in span) return `*${mrkdwn(span.bold, timezone)}*`;
      if ('italic' in span) return `_${mrkdwn(span.italic, timezone)}_`;
      if ('command' in span) return `\`/${esc(span.command)}\``;
      if ('code' in span) return `\`${esc(span.code.replace(/`/g, ''))}\``;
      if ('surface' in span) return mrkdwn(SURFACE_WORDS.slack[span.surface], timezone);
      if ('quote' in span) return `>${mrkdwn(span.quote, timezone)}`;
      if ('person' in span) return mention(span.person.slackUserId, span.person.name);
      if ('date' in span) return slackDate(span.date, timezone);
      if ('link' in span) return `<${esc(span.link).replace(/\|/g, '%7C')}|${mrkdwn(span.label, timezone)}>`;
      return span.emoji;
    })
    .join('');
}

export function sectionBlocks(sections: readonly Section[], timezone?: string): KnownBlock[] {
  return sections.flatMap((s): KnownBlock | KnownBlock[] => {
    if (s.kind === 'lines') return sectionsOf(s.lines.map((line) => mrkdwn(line, timezone)));
    if (s.kind === 'fields')
      return {
        type: 'section',
        fields: s.fields.map((f) => md(`*${esc(f.label)}*\n${mrkdwn(f.value, timezone)}`)),
      };
    if (s.kind === 'context') return { type: 'context', elements: [md(mrkdwn(s.text, timezone))] };
    if (s.kind === 'item') return itemBlock(s.text, s.actions, timezone);
    if (s.kind === 'buttons')
      return s.actions.length ? { type: 'actions', elements: s.actions.map(slackButton) } : [];
    return { type: 'section', text: md(mrkdwn(s.text, timezone)) };
  });
}

/**
 * A list row: its text, with its one action as a button beside it, or its actions as a small
 * overflow menu (`ACTION.rowMenu`, each option's value `<action id>|<value>`).
 */
function itemBlock(text: Rich, actions: readonly PresentedAction[], timezone?: string): SectionBlock {
  const section: SectionBlock = { type: 'section', text: md(mrkdwn(text, timezone)) };
  const [only] = actions;
  if (actions.length === 1 && only) section.accessory = slackButton(only);
  else if (actions.length > 1)
    section.accessory = {
      type: 'overflow',
      action_id: ACTION.rowMenu,
      options: actions.map((a) => ({ text: plain(a.label), value: moreValue(SLACK_ACTION[a.id], a.value) })),
    };
  return section;
}

/** The value of an option in the card's overflow menu: which form, for which incident. */
export function moreValue(actionId: string, incidentId: string): string {
  return `${actionId}|${incidentId}`;
}

export function slackButton(a: PresentedAction): Button {
  return {
    type: 'button',
    action_id: SLACK_ACTION[a.id],
    text: plain(a.label),
    // An action on no record in particular (an Add button) carries no value.
    ...(a.value ? { value: a.value } : {}),
    ...(a.style ? { style: a.style } : {}),
    ...(a.confirm
      ? {
          confirm: {
            title: plain(a.confirm.title),
            text: plain(a.confirm.text),
            confirm: plain(a.confirm.confirm),
            deny: plain(a.confirm.deny),
          },
        }
      : {}),
  };
}

/**
 * The actions as one actions block: buttons in order, then the secondary ones in the card's
 * overflow menu. Slack shows every button to everyone in the channel; the commands check roles.
 */
export function actionsBlock(actions: readonly PresentedAction[], blockId?: string): ActionsBlock | null {
  const buttons = actions.filter((a) => !a.secondary).map(slackButton);
  const more: PlainTextOption[] = actions
    .filter((a) => a.secondary)
    .map((a) => ({ text: plain(a.label), value: moreValue(SLACK_ACTION[a.id], a.value) }));
  const elements: Array<Button | Overflow> = [...buttons];
  if (more.length) elements.push({ type: 'overflow', action_id: ACTION.cardMore, options: more });
  if (elements.length === 0) return null;
  return { type: 'actions', ...(blockId ? { block_id: blockId } : {}), elements };
}

/** A whole presentation as a message: its sections, then its actions. */
export function renderMessage(
  p: Presentation,
  timezone?: string,
  blockId?: string,
): { text: string; blocks: KnownBlock[] } {
  const blocks = sectionBlocks(p.sections, timezone);
  const actions = actionsBlock(p.actions, blockId);
  if (actions) blocks.push(actions);
  return { text: mrkdwn(p.text, timezone), blocks };
}
