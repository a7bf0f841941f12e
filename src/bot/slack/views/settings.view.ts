/** `/spoc settings`: the school day, service targets and reminder lead times, and their form. */
import type { InputBlock, KnownBlock, ModalView } from '@slack/types';
import { PRIORITIES } from '../../../domain/incidents/priority';
import { formatSchoolMinutes } from '../../../domain/incidents/sla';
import type { LeadTimes } from '../../../domain/reminders/rules';
import {
  LEAD_TIME_FIELDS,
  LEAD_TIME_LABELS,
  LEAD_TIME_LISTS,
  type LeadTimeField,
  type SchoolSettings,
  targetField,
} from '../../../domain/schools/settings';
import { ACTION, CALLBACK, SETTINGS_BLOCK } from '../ids';
import { escClip, md, plain } from './format';
import type { SlackMessage } from './incident-card.view';
import { PRIORITY_EMOJI } from './incident-card.view';

export const SETTINGS_USAGE =
  'Usage: `/spoc settings` to see them; admins: `/spoc settings sla P1 30m 4h` (respond, resolve) or `/spoc settings hours 08:30 15:30`. Targets are school time: 30m, 2h, 1 day, 3 days (a day is the school day).';

/** The length of the school day, "8h" or "7h 30m" (never "1 day"). */
const hoursText = (m: number) => `${Math.floor(m / 60)}h${m % 60 ? ` ${m % 60}m` : ''}`;
const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

function leadText(field: LeadTimeField, lead: LeadTimes): string {
  const value = lead[field];
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function leadLine(lead: LeadTimes): string {
  return [
    `payments due soon: ${days(lead.paymentDueSoonDays)} ahead`,
    `contract notice deadline: ${lead.contractNoticeDays.join(', ')} days before`,
    `contract end: ${days(lead.contractEndDays)} before`,
    `licence expiry: ${lead.licenceExpiryDays.join(', ')} days before`,
    `warranty end: ${days(lead.warrantyDays)} before`,
  ].join(' · ');
}

function targetLines(s: SchoolSettings): string[] {
  return PRIORITIES.map(
    (p) =>
      `${PRIORITY_EMOJI[p]} *${p}* — respond within *${formatSchoolMinutes(s.sla[p].respondMinutes, s.dayMinutes)}*, fix within *${formatSchoolMinutes(s.sla[p].resolveMinutes, s.dayMinutes)}*`,
  );
}

/** The settings as a private reply; the Edit button is there for admins (the command checks again). */
export function settingsView(s: SchoolSettings, canEdit: boolean): SlackMessage {
  const blocks: KnownBlock[] = [
    { type: 'section', text: md(`*School settings* · ${escClip(s.schoolName, 100)}`) },
    {
      type: 'section',
      text: md(
        `*School day*: ${s.dayStart}–${s.dayEnd} (${hoursText(s.dayMinutes)}), ${escClip(s.timezone, 60)}. Weekends, bank holidays and \`/spoc term\` holidays are not school time.`,
      ),
    },
    {
      type: 'section',
      text: md(
        [
          `*Service targets* (school time; a day is the ${hoursText(s.dayMinutes)} school day)`,
          ...targetLines(s),
        ].join('\n'),
      ),
    },
    { type: 'section', text: md(`*Reminders*: ${leadLine(s.leadTimes)}`) },
  ];
  if (canEdit) {
    blocks.push(
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: ACTION.settingsEdit,
            style: 'primary',
            text: plain('Edit'),
            value: 'edit',
          },
        ],
      },
      { type: 'context', elements: [md(SETTINGS_USAGE)] },
    );
  } else {
    blocks.push({ type: 'context', elements: [md('Only an admin can change these.')] });
  }
  return { text: `School settings for ${s.schoolName}`, blocks };
}

function input(blockId: string, label: string, initial: string, hint?: string): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    ...(hint ? { hint: plain(hint) } : {}),
    element: { type: 'plain_text_input', action_id: ACTION.input, initial_value: initial, max_length: 40 },
  };
}

/** The settings form: every value as text, in the form the command reads back. */
export function settingsModalView(s: SchoolSettings): ModalView {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('School day') },
    input(SETTINGS_BLOCK.dayStart, 'Starts at', s.dayStart, '24-hour clock, e.g. 08:30'),
    input(SETTINGS_BLOCK.dayEnd, 'Ends at', s.dayEnd, '24-hour clock, e.g. 15:30'),
    { type: 'header', text: plain('Service targets (school time)') },
    {
      type: 'context',
      elements: [
        md('Write 30m, 2h, 1 day or 3 days. A day is the school day. New targets apply to new reports.'),
      ],
    },
  ];
  for (const p of PRIORITIES) {
    blocks.push(
      input(
        SETTINGS_BLOCK[targetField(p, 'respond')],
        `${p}: respond within`,
        formatSchoolMinutes(s.sla[p].respondMinutes, s.dayMinutes),
      ),
      input(
        SETTINGS_BLOCK[targetField(p, 'resolve')],
        `${p}: fix within`,
        formatSchoolMinutes(s.sla[p].resolveMinutes, s.dayMinutes),
      ),
    );
  }
  blocks.push({ type: 'header', text: plain('Reminders (days)') });
  for (const field of LEAD_TIME_FIELDS) {
    blocks.push(
      input(
        SETTINGS_BLOCK[field],
        LEAD_TIME_LABELS[field],
        leadText(field, s.leadTimes),
        LEAD_TIME_LISTS.includes(field) ? 'One or more, e.g. 60, 30, 7' : undefined,
      ),
    );
  }
  return {
    type: 'modal',
    callback_id: CALLBACK.settingsModal,
    title: plain('School settings'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks,
  };
}

/** Replaces the form once saved. */
export function settingsSavedView(s: SchoolSettings, changed: number): ModalView {
  return {
    type: 'modal',
    title: plain('Saved'),
    close: plain('Done'),
    blocks: [
      {
        type: 'section',
        text: md(
          changed === 0 ? 'Nothing changed.' : `:white_check_mark: Settings saved (${changed} changed).`,
        ),
      },
      { type: 'section', text: md(targetLines(s).join('\n')) },
    ],
  };
}
