/**
 * `spoc settings [sla P1 30m 4h | hours 08:30 15:30]`, answered once for every platform: staff may
 * look; only an admin may change anything (the domain command checks).
 */
import type { Ctx } from '../context';
import { PRIORITIES, type Priority } from '../incidents/priority';
import { formatSchoolMinutes } from '../incidents/sla';
import { presentUsage } from '../presenters/help';
import { emoji, type Presentation, type Rich, sentence } from '../presenters/presentation';
import { presentSettings, SETTINGS_USAGE } from '../presenters/settings';
import { can } from '../roles';
import {
  getSchoolSettings,
  LEAD_TIME_LABELS,
  type SchoolSettings,
  targetField,
  type UpdateSettingsInput,
  updateSchoolSettings,
} from '../schools/settings';

/** "1 day 3 days" typed as words: a bare number takes the unit word after it. */
export function durationWords(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const word of words) {
    const last = out.length - 1;
    if (/^[a-z]+$/i.test(word) && last >= 0 && /^\d+(\.\d+)?$/.test(out[last] ?? '')) out[last] += ` ${word}`;
    else out.push(word);
  }
  return out;
}

const FIELD_LABELS: Record<string, string> = {
  dayStart: 'start of the day',
  dayEnd: 'end of the day',
  ...Object.fromEntries(
    PRIORITIES.flatMap((p) => [
      [targetField(p, 'respond'), `${p} respond`],
      [targetField(p, 'resolve'), `${p} fix`],
    ]),
  ),
  ...LEAD_TIME_LABELS,
};

async function change(
  ctx: Ctx,
  input: UpdateSettingsInput,
  done: (s: SchoolSettings) => string,
): Promise<Presentation> {
  const result = await updateSchoolSettings(ctx, input);
  if (!result.ok) {
    if (result.error.code !== 'VALIDATION') return sentence(result.error.message);
    const problems = Object.entries(result.error.fields ?? {}).map(
      ([field, message]) => `• ${FIELD_LABELS[field] ?? field}: ${message}`,
    );
    return sentence([[result.error.message, ...problems].join('\n'), '\n', ...SETTINGS_USAGE]);
  }
  const unchanged = Object.keys(result.value.changes).length === 0;
  const said: Rich = unchanged ? ['No change: '] : [emoji(':white_check_mark:'), ' '];
  return sentence([...said, done(result.value.settings)]);
}

/** The settings, or a change to them typed as words. */
export async function settingsAnswer(ctx: Ctx, words: readonly string[]): Promise<Presentation> {
  const [verb, ...rest] = words;
  if (!verb) {
    const settings = await getSchoolSettings(ctx);
    if (!settings.ok) return sentence(settings.error.message);
    return presentSettings(settings.value, can(ctx.actor.role, 'school.settings'));
  }
  const usage = () => presentUsage(SETTINGS_USAGE, ctx.actor.role);
  switch (verb.toLowerCase()) {
    case 'sla': {
      const priority = rest[0]?.toUpperCase() as Priority | undefined;
      const times = durationWords(rest.slice(1));
      if (!priority || !PRIORITIES.includes(priority) || times.length !== 2) return usage();
      const [respond = '', resolve = ''] = times;
      return change(
        ctx,
        { sla: { [priority]: { respond, resolve } } },
        (s) =>
          `${priority}: respond within ${formatSchoolMinutes(s.sla[priority].respondMinutes, s.dayMinutes)}, fix within ${formatSchoolMinutes(s.sla[priority].resolveMinutes, s.dayMinutes)} (school time). New reports and re-triaged incidents get these targets.`,
      );
    }
    case 'hours': {
      const [dayStart, dayEnd] = rest;
      if (!dayStart || !dayEnd || rest.length !== 2) return usage();
      return change(ctx, { dayStart, dayEnd }, (s) => `the school day is ${s.dayStart}–${s.dayEnd}.`);
    }
    default:
      return usage();
  }
}
