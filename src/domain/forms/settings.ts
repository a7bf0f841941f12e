/**
 * The school settings form (the school day, service targets and reminder lead times), defined
 * once for every platform: every value as text, in the form `updateSchoolSettings` reads back.
 */
import { PRIORITIES } from '../incidents/priority';
import { formatSchoolMinutes } from '../incidents/sla';
import { type AssignablePerson, listAssignablePeople } from '../people';
import { emoji, type Rich } from '../presenters/presentation';
import { asParagraph, targetLines } from '../presenters/settings';
import {
  getSchoolSettings,
  LEAD_TIME_FIELDS,
  LEAD_TIME_LABELS,
  LEAD_TIME_LISTS,
  type LeadTimeField,
  type SchoolSettings,
  targetField,
  updateSchoolSettings,
} from '../schools/settings';
import type { FormField, FormSpec, OfficeForm } from './form';
import { personRefOf } from './work-items';

/** How long a typed setting may be. */
const SETTING_MAX = 40;

function leadText(field: LeadTimeField, s: SchoolSettings): string {
  const value = s.leadTimes[field];
  return Array.isArray(value) ? value.join(', ') : String(value);
}

const text = (id: string, label: string, initial: string, hint?: string): FormField => ({
  kind: 'text',
  id,
  label,
  initial,
  max: SETTING_MAX,
  ...(hint ? { hint } : {}),
});

/** The field ids of the on-call person and of "nobody is on call". */
export const ON_CALL_FIELD = 'onCall';
export const ON_CALL_NOBODY_FIELD = 'onCallNobody';

/**
 * Out of hours: who is told at once of a P1 outside school time; left empty, nobody. Slack's user
 * picker cannot be emptied once a person is chosen, so clearing it is a box of its own, which wins.
 */
function onCallFields(
  s: SchoolSettings,
  people: ReadonlyArray<Pick<AssignablePerson, 'personId' | 'name'>>,
): FormField[] {
  return [
    {
      kind: 'note',
      text: [
        { bold: ['Out of hours'] },
        '\nA fault reported outside school time is seen when the office next opens. A P1 can go to someone on call at once.',
      ],
    },
    {
      kind: 'person',
      id: ON_CALL_FIELD,
      label: 'On call for P1s out of school time',
      optional: true,
      hint: 'A technician, office member or admin, told at once by direct message.',
      placeholder: 'Choose a person',
      people,
      initial: s.onCall ? { personId: s.onCall.personId, slackUserId: s.onCall.slackUserId } : null,
    },
    {
      kind: 'toggle',
      id: ON_CALL_NOBODY_FIELD,
      label: 'Nobody on call',
      title: 'Nobody: clear the person above, and P1s out of hours wait for the office',
    },
  ];
}

/** The form, opened with the settings as they are; `people`: who may be on call (Teams lists them). */
export function settingsFormSpec(
  s: SchoolSettings,
  people: ReadonlyArray<Pick<AssignablePerson, 'personId' | 'name'>> = [],
): FormSpec {
  const fields: FormField[] = [
    { kind: 'note', text: [{ bold: ['School day'] }] },
    text('dayStart', 'Starts at', s.dayStart, '24-hour clock, e.g. 08:30'),
    text('dayEnd', 'Ends at', s.dayEnd, '24-hour clock, e.g. 15:30'),
    ...onCallFields(s, people),
    {
      kind: 'note',
      text: [
        { bold: ['Service targets (school time)'] },
        '\nWrite 30m, 2h, 1 day or 3 days. A day is the school day. New targets apply to new reports.',
      ],
    },
  ];
  for (const p of PRIORITIES) {
    fields.push(
      text(
        targetField(p, 'respond'),
        `${p}: respond within`,
        formatSchoolMinutes(s.sla[p].respondMinutes, s.dayMinutes),
      ),
      text(
        targetField(p, 'resolve'),
        `${p}: fix within`,
        formatSchoolMinutes(s.sla[p].resolveMinutes, s.dayMinutes),
      ),
    );
  }
  fields.push({ kind: 'note', text: [{ bold: ['Reminders (days)'] }] });
  for (const field of LEAD_TIME_FIELDS) {
    fields.push(
      text(
        field,
        LEAD_TIME_LABELS[field],
        leadText(field, s),
        LEAD_TIME_LISTS.includes(field) ? 'One or more, e.g. 60, 30, 7' : undefined,
      ),
    );
  }
  fields.push(
    { kind: 'note', text: [{ bold: ['Ticket from a message'] }] },
    text(
      'ticketEmoji',
      'Reaction that logs a message',
      s.ticketEmoji,
      'An emoji’s name, e.g. ticket for 🎫. In Slack, reacting with it to a message logs it as a fault.',
    ),
  );
  return { title: 'School settings', submit: 'Save', fields };
}

/** What a saved form says: how many settings changed, then the targets now. */
export function settingsSavedText(s: SchoolSettings, changed: number): Rich {
  return asParagraph([
    changed === 0
      ? ['Nothing changed.']
      : [emoji(':white_check_mark:'), ` Settings saved (${changed} changed).`],
    ...targetLines(s),
  ]);
}

export const settingsForm: OfficeForm = {
  name: 'settings',
  permission: 'school.settings',
  async open(ctx) {
    const settings = await getSchoolSettings(ctx);
    if (!settings.ok) return settings;
    const people = await listAssignablePeople(ctx);
    return { ok: true, value: settingsFormSpec(settings.value, people.ok ? people.value : []) };
  },
  async submit(ctx, _id, read) {
    const typed = (id: string) => read(id) ?? '';
    const result = await updateSchoolSettings(ctx, {
      dayStart: typed('dayStart'),
      dayEnd: typed('dayEnd'),
      sla: Object.fromEntries(
        PRIORITIES.map((p) => [
          p,
          { respond: typed(targetField(p, 'respond')), resolve: typed(targetField(p, 'resolve')) },
        ]),
      ),
      leadTimes: Object.fromEntries(LEAD_TIME_FIELDS.map((f) => [f, typed(f)])),
      // A form opened before the field existed keeps the emoji as it is.
      ticketEmoji: read('ticketEmoji'),
      onCall: read(ON_CALL_NOBODY_FIELD) === 'true' ? null : personRefOf(read(ON_CALL_FIELD)),
    });
    if (!result.ok) return result;
    const changed = Object.keys(result.value.changes).length;
    return { ok: true, value: { saved: settingsSavedText(result.value.settings, changed) } };
  },
};
