/** `/spoc term add|list|remove`: the school's holidays, when reminders and SLA clocks rest. */
import { parseDate } from '../../../domain/imports/fields';
import { addSchoolHoliday, listSchoolHolidays, removeSchoolHoliday } from '../../../domain/registers/diary';
import { parseHolidayRange } from '../../../domain/school-time';
import { escClip, ukDate } from '../views/format';
import type { SlackMessage } from '../views/incident-card.view';
import { noticeView, usageView } from '../views/replies.view';
import type { Handler } from './subcommand';

const USAGE =
  'Usage: `/spoc term add 19/12/2026 04/01/2027 Christmas`, `/spoc term list`, `/spoc term remove 19/12/2026`';

function isoOf(word: string | undefined): string | null {
  const parsed = parseDate(word ?? '');
  return parsed.ok ? parsed.value : null;
}

async function list(ctx: Parameters<Handler>[0]): Promise<SlackMessage> {
  const holidays = await listSchoolHolidays(ctx);
  if (!holidays.ok) return noticeView(holidays.error.message);
  if (holidays.value.length === 0) {
    return noticeView(
      `No school holidays recorded yet. Weekends and bank holidays are already counted.\n${USAGE}`,
    );
  }
  const lines = holidays.value.map(
    (h) => `• *${escClip(h.name, 100)}*: ${ukDate(h.startDate)} – ${ukDate(h.endDate)}`,
  );
  return noticeView(
    `*School holidays* (weekends and England & Wales bank holidays are counted too)\n${lines.join('\n')}`,
  );
}

export const termCommand: Handler = async (ctx, args) => {
  const [verb = 'list', first, second, ...rest] = args;
  switch (verb.toLowerCase()) {
    case 'list':
      return list(ctx);
    case 'add': {
      const start = isoOf(first);
      const end = isoOf(second);
      const name = rest.join(' ').trim();
      if (!start || !end || !name) return usageView(USAGE, ctx.actor.role);
      const range = parseHolidayRange(start, end);
      if (!range.ok) return noticeView(range.reason);
      const added = await addSchoolHoliday(ctx, { start, end, name });
      if (!added.ok) return noticeView(added.error.message);
      return noticeView(
        `:palm_tree: *${escClip(name, 100)}* added: ${ukDate(start)} – ${ukDate(end)}. No reminders then, and SLA clocks rest.`,
      );
    }
    case 'remove': {
      const start = isoOf(first);
      const holidays = await listSchoolHolidays(ctx);
      const found = holidays.ok ? holidays.value.find((h) => h.startDate === start) : undefined;
      if (!found) return noticeView(`No holiday starts on ${first ?? '(no date)'}. ${USAGE}`);
      const removed = await removeSchoolHoliday(ctx, { holidayId: found.id });
      return noticeView(removed.ok ? `*${escClip(found.name, 100)}* removed.` : removed.error.message);
    }
    default:
      return usageView(USAGE, ctx.actor.role);
  }
};
