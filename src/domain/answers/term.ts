/**
 * `spoc term add|list|remove`: the school's holidays, when reminders and SLA clocks rest. Answered
 * once for every platform.
 */
import type { Ctx } from '../context';
import { parseDate } from '../imports/fields';
import { dayDate, ukDate } from '../presenters/format';
import { presentUsage } from '../presenters/help';
import { bold, emoji, type Presentation, type Rich, sentence, typed } from '../presenters/presentation';
import { addSchoolHoliday, listSchoolHolidays, removeSchoolHoliday } from '../registers/diary';
import { parseHolidayRange } from '../school-time';

export const TERM_USAGE: Rich = [
  'Usage: ',
  { command: 'spoc term add 19/12/2026 04/01/2027 Christmas' },
  ', ',
  { command: 'spoc term list' },
  ', ',
  { command: 'spoc term remove 19/12/2026' },
];

function isoOf(word: string | undefined): string | null {
  const parsed = parseDate(word ?? '');
  return parsed.ok ? parsed.value : null;
}

/** The school's holidays, one a line. */
export async function termListAnswer(ctx: Ctx): Promise<Presentation> {
  const holidays = await listSchoolHolidays(ctx);
  if (!holidays.ok) return sentence(holidays.error.message);
  if (holidays.value.length === 0) {
    return sentence([
      'No school holidays recorded yet. Weekends and bank holidays are already counted.\n',
      ...TERM_USAGE,
    ]);
  }
  const lines = holidays.value.flatMap(
    (h): Rich => ['\n• ', bold(typed(h.name, 100)), `: ${ukDate(h.startDate)} – ${ukDate(h.endDate)}`],
  );
  return sentence([
    bold('School holidays'),
    ' (weekends and England & Wales bank holidays are counted too)',
    ...lines,
  ]);
}

/** `spoc term <verb> …`: `list` when no verb is given. */
export async function termAnswer(ctx: Ctx, words: readonly string[]): Promise<Presentation> {
  const [verb = 'list', first, second, ...rest] = words;
  switch (verb.toLowerCase()) {
    case 'list':
      return termListAnswer(ctx);
    case 'add': {
      const start = isoOf(first);
      const end = isoOf(second);
      const name = rest.join(' ').trim();
      if (!start || !end || !name) return presentUsage(TERM_USAGE, ctx.actor.role);
      const range = parseHolidayRange(start, end);
      if (!range.ok) return sentence(range.reason);
      const added = await addSchoolHoliday(ctx, { start, end, name });
      if (!added.ok) return sentence(added.error.message);
      return sentence([
        emoji(':palm_tree:'),
        ' ',
        bold(typed(name, 100)),
        ` added: ${dayDate(start)} – ${dayDate(end)}. No reminders then, and SLA clocks rest.`,
      ]);
    }
    case 'remove': {
      const start = isoOf(first);
      const holidays = await listSchoolHolidays(ctx);
      const found = holidays.ok ? holidays.value.find((h) => h.startDate === start) : undefined;
      if (!found)
        return sentence([
          `No holiday starts on ${start ? dayDate(start) : (first ?? '(no date)')}. `,
          ...TERM_USAGE,
        ]);
      const removed = await removeSchoolHoliday(ctx, { holidayId: found.id });
      return sentence(removed.ok ? [bold(typed(found.name, 100)), ' removed.'] : [removed.error.message]);
    }
    default:
      return presentUsage(TERM_USAGE, ctx.actor.role);
  }
}
