/**
 * School settings: the school day, the published SLA targets per priority and the
 * reminder lead times. Staff may read them; only an admin changes them, and every change is
 * audited (who, from → to, when) in the register history under `school:<id>`.
 */
import { z } from 'zod';
import { enqueue } from '../../db/queries/outbox';
import { recordRegisterEvents } from '../../db/queries/register-events';
import { getSchool, lockSchool, type SchoolRow } from '../../db/queries/schools';
import { writeSchoolSettings } from '../../db/queries/settings';
import type { Ctx } from '../context';
import { PRIORITIES, type Priority } from '../incidents/priority';
import { formatSchoolMinutes, SLA_MAX_MINUTES, type SlaTargets, slaTargetsOf } from '../incidents/sla';
import { EMOJI_NAME, emojiName } from '../incidents/ticket-from-message';
import type { PersonRef } from '../people';
import { type LeadTimes, leadTimesOf } from '../reminders/rules';
import { DomainFailure, fail, ok, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { parseWallClock, schoolDayMinutes } from '../school-time';
import { inTransaction } from '../transaction';
import { loadOnCallPerson, type OnCallPerson, onCallPersonOf } from './on-call-setting';

export const LEAD_TIME_FIELDS = [
  'paymentDueSoonDays',
  'contractNoticeDays',
  'contractEndDays',
  'licenceExpiryDays',
  'warrantyDays',
] as const satisfies ReadonlyArray<keyof LeadTimes>;
export type LeadTimeField = (typeof LEAD_TIME_FIELDS)[number];

/** Lead times that are a list of reminders (most distant first), not one number. */
export const LEAD_TIME_LISTS: readonly LeadTimeField[] = ['contractNoticeDays', 'licenceExpiryDays'];

export const LEAD_TIME_LABELS: Record<LeadTimeField, string> = {
  paymentDueSoonDays: 'Payments: days before due',
  contractNoticeDays: 'Contract notice deadline: days before',
  contractEndDays: 'Contract end: days before',
  licenceExpiryDays: 'Licence expiry: days before',
  warrantyDays: 'Warranty end: days before',
};

/** The field key of a target in errors and forms: `P1_respond`, `P1_resolve`. */
export type TargetField = `${Priority}_${'respond' | 'resolve'}`;
export const targetField = (p: Priority, which: 'respond' | 'resolve'): TargetField => `${p}_${which}`;

export interface SchoolSettings {
  schoolName: string;
  timezone: string;
  /** School day, 'HH:MM' local time. */
  dayStart: string;
  dayEnd: string;
  /** Minutes in a school day: what "1 day" of a target means. */
  dayMinutes: number;
  sla: SlaTargets;
  leadTimes: LeadTimes;
  /** The reaction that makes a chat message an incident, as Slack names it (`ticket` is 🎫). */
  ticketEmoji: string;
  /** Who is told at once of a P1 out of school time; null: nobody. Absent where not read. */
  onCall?: OnCallPerson | null;
}

export interface UpdateSettingsInput {
  /** School day start and end as typed ('08:30'); both or neither. */
  dayStart?: string;
  dayEnd?: string;
  /**
   * Targets as typed ('30m', '2h', '1 day', '3 days'; a day is the school day), by priority;
   * priorities left out keep their targets.
   */
  sla?: Partial<Record<Priority, { respond: string; resolve: string }>>;
  /** Lead times in days as typed ('7', or '60, 30, 7' for the lists); fields left out are kept. */
  leadTimes?: Partial<Record<LeadTimeField, string>>;
  /** The ticket emoji's name as typed (`ticket` or `:ticket:`); left out, it is kept. */
  ticketEmoji?: string;
  /** The on-call person for P1s out of school time; null: nobody; left out: unchanged. */
  onCall?: PersonRef | null;
}

export interface UpdateSettingsOutput {
  settings: SchoolSettings;
  /** What changed, as field → { from, to }; empty when everything was already so. */
  changes: Record<string, { from: unknown; to: unknown }>;
}

const UNIT_MINUTES: Array<[RegExp, 'day' | number]> = [
  [/^(d|days?)$/, 'day'],
  [/^(h|hrs?|hours?)$/, 60],
  [/^(m|mins?|minutes?)$/, 1],
];
const PART = /[\s,]*(?:and\s+)?(\d+(?:\.\d+)?)\s*([a-z]+)/y;

/**
 * School time as typed: '30m', '2h', '1h30m', '1d', '1 day', '3 days', '1 day 2h'. A day is the
 * school day (`dayMinutes`), not 24 hours. Null when it is not a duration.
 */
export function parseDuration(text: string, dayMinutes: number): number | null {
  const s = text.trim().toLowerCase();
  if (!s) return null;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < s.length) {
    const match = PART.exec(s);
    if (!match?.[1] || !match[2]) return null;
    const unit = UNIT_MINUTES.find(([pattern]) => pattern.test(match[2] as string))?.[1];
    if (unit === undefined) return null;
    total += Number(match[1]) * (unit === 'day' ? dayMinutes : unit);
  }
  return Math.round(total);
}

export function settingsOf(school: SchoolRow): SchoolSettings {
  return {
    schoolName: school.name,
    timezone: school.timezone,
    dayStart: school.dayStart,
    dayEnd: school.dayEnd,
    dayMinutes: schoolDayMinutes(school),
    sla: slaTargetsOf(school.slaTargets),
    leadTimes: leadTimesOf(school.reminderLeadTimes),
    ticketEmoji: school.ticketEmoji,
  };
}

const STAFF_ONLY = 'Only ICT staff can see the school settings.';

/** The school's settings, for staff (technicians, office, admin). */
export async function getSchoolSettings(ctx: Ctx): Promise<Result<SchoolSettings>> {
  if (!can(ctx.actor.role, 'incident.viewAll')) return fail('AUTH.FORBIDDEN', STAFF_ONLY);
  const school = await getSchool(ctx.db, ctx.actor.schoolId);
  if (!school) return fail('SCHOOL.NOT_SET_UP', 'This school is not set up yet.');
  return ok({ ...settingsOf(school), onCall: await loadOnCallPerson(ctx.db, school) });
}

// ——— validation (zod): one message per field, shown beside it ———

export const DURATION_HINT = 'Write it like 30m, 2h, 1 day or 3 days.';

const WallClockText = z
  .string()
  .trim()
  // "8:30" is what people type; the calendar wants "08:30".
  .transform((t) => (/^\d:\d\d$/.test(t) ? `0${t}` : t))
  .refine((t) => parseWallClock(t) !== null, 'Write a time like 08:30 (24-hour clock).');

const HoursSchema = z
  .object({ dayStart: WallClockText, dayEnd: WallClockText })
  // Only once both are times: a malformed one already has its own message.
  .refine((h) => !parseWallClock(h.dayStart) || !parseWallClock(h.dayEnd) || h.dayStart < h.dayEnd, {
    path: ['dayEnd'],
    message: 'The school day must end after it starts.',
  });

function durationSchema(dayMinutes: number) {
  return z
    .string()
    .trim()
    .transform((text, ctx) => {
      const minutes = parseDuration(text, dayMinutes);
      if (minutes === null) {
        ctx.addIssue({ code: 'custom', message: DURATION_HINT });
        return z.NEVER;
      }
      return minutes;
    })
    .pipe(
      z
        .number()
        .int()
        .min(1, 'A target must be at least 1 minute.')
        .max(SLA_MAX_MINUTES, `At most ${formatSchoolMinutes(SLA_MAX_MINUTES, dayMinutes)} of school time.`),
    );
}

function targetSchema(dayMinutes: number) {
  return z
    .object({ respond: durationSchema(dayMinutes), resolve: durationSchema(dayMinutes) })
    .refine((t) => t.respond <= t.resolve, {
      path: ['respond'],
      message: 'The response target must not be longer than the resolution target.',
    });
}

const DAYS_MAX = 366;
const DaysText = z
  .string()
  .trim()
  .regex(/^\d{1,3}$/, 'A whole number of days, e.g. 30.')
  .transform(Number)
  .pipe(z.number().int().max(DAYS_MAX, `At most ${DAYS_MAX} days.`));

const DaysListText = z
  .string()
  .trim()
  .transform((text, ctx) => {
    const parts = text.split(/[\s,;]+/).filter(Boolean);
    if (parts.length === 0 || parts.some((p) => !/^\d{1,3}$/.test(p))) {
      ctx.addIssue({ code: 'custom', message: 'Whole numbers of days, e.g. 60, 30, 7.' });
      return z.NEVER;
    }
    // Most distant first, each once: the order the reminders go out in.
    return [...new Set(parts.map(Number))].sort((a, b) => b - a);
  })
  .pipe(
    z
      .array(z.number().int().max(DAYS_MAX, `At most ${DAYS_MAX} days.`))
      .min(1)
      .max(5, 'At most 5 reminders.'),
  );

/** An emoji's name as Slack writes it, with or without its colons: `ticket`, `:ticket:`, `raised_hand`. */
const TicketEmojiText = z
  .string()
  .trim()
  .min(1, 'Name an emoji, e.g. ticket (for 🎫).')
  .transform(emojiName)
  .refine(
    (name) => EMOJI_NAME.test(name),
    'An emoji’s name as Slack writes it: lower-case letters, digits, _ - or +, e.g. ticket or :ticket:.',
  );

type Issues = Record<string, string>;

function collect<T>(
  parsed: z.ZodSafeParseResult<T>,
  fields: Issues,
  keyOf: (path: PropertyKey | undefined) => string,
): T | undefined {
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const key = keyOf(issue.path[0]);
    fields[key] ??= issue.message;
  }
  return undefined;
}

/** The settings after applying `input` to `current`, or the field errors. */
export function applySettings(
  current: SchoolSettings,
  input: UpdateSettingsInput,
): { ok: true; value: SchoolSettings } | { ok: false; fields: Issues } {
  const fields: Issues = {};
  let { dayStart, dayEnd } = current;
  if (input.dayStart !== undefined || input.dayEnd !== undefined) {
    const hours = collect(
      HoursSchema.safeParse({
        dayStart: input.dayStart ?? current.dayStart,
        dayEnd: input.dayEnd ?? current.dayEnd,
      }),
      fields,
      (key) => (key === 'dayStart' ? 'dayStart' : 'dayEnd'),
    );
    if (hours) ({ dayStart, dayEnd } = hours);
  }
  // New hours make a new "day" for the targets typed with them.
  const dayMinutes = schoolDayMinutes({ dayStart, dayEnd });
  const sla = { ...current.sla };
  for (const priority of PRIORITIES) {
    const typed = input.sla?.[priority];
    if (!typed) continue;
    const target = collect(targetSchema(dayMinutes).safeParse(typed), fields, (key) =>
      targetField(priority, key === 'resolve' ? 'resolve' : 'respond'),
    );
    if (target) sla[priority] = { respondMinutes: target.respond, resolveMinutes: target.resolve };
  }
  const leadTimes: LeadTimes = { ...current.leadTimes };
  for (const field of LEAD_TIME_FIELDS) {
    const typed = input.leadTimes?.[field];
    if (typed === undefined) continue;
    if (LEAD_TIME_LISTS.includes(field)) {
      const days = collect(DaysListText.safeParse(typed), fields, () => field);
      if (days) (leadTimes as unknown as Record<string, number[]>)[field] = days;
    } else {
      const days = collect(DaysText.safeParse(typed), fields, () => field);
      if (days !== undefined) (leadTimes as unknown as Record<string, number>)[field] = days;
    }
  }
  let { ticketEmoji } = current;
  if (input.ticketEmoji !== undefined) {
    ticketEmoji =
      collect(TicketEmojiText.safeParse(input.ticketEmoji), fields, () => 'ticketEmoji') ?? ticketEmoji;
  }
  if (Object.keys(fields).length > 0) return { ok: false, fields };
  return { ok: true, value: { ...current, dayStart, dayEnd, dayMinutes, sla, leadTimes, ticketEmoji } };
}

function pick<T extends object>(values: T, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => keys.includes(key)));
}

function changesBetween(before: SchoolSettings, after: SchoolSettings): UpdateSettingsOutput['changes'] {
  const changes: UpdateSettingsOutput['changes'] = {};
  const note = (field: string, from: unknown, to: unknown) => {
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  };
  note('dayStart', before.dayStart, after.dayStart);
  note('dayEnd', before.dayEnd, after.dayEnd);
  for (const p of PRIORITIES) note(`sla.${p}`, before.sla[p], after.sla[p]);
  for (const f of LEAD_TIME_FIELDS) note(`leadTimes.${f}`, before.leadTimes[f], after.leadTimes[f]);
  note('ticketEmoji', before.ticketEmoji, after.ticketEmoji);
  return changes;
}

/**
 * Changes the school settings. Admins only. Under the school row lock, so two admins saving at
 * once queue and the second applies its change to the first's result; audited with from → to.
 * Incidents keep the targets they were given: new targets apply to new reports and re-triages.
 */
export async function updateSchoolSettings(
  ctx: Ctx,
  input: UpdateSettingsInput,
): Promise<Result<UpdateSettingsOutput>> {
  const { actor, clock } = ctx;
  if (!can(actor.role, 'school.settings')) return fail('AUTH.FORBIDDEN', FORBIDDEN['school.settings']);
  return inTransaction(ctx.db, async (tx) => {
    const school = await lockSchool(tx, actor.schoolId);
    if (!school) {
      throw new DomainFailure({ code: 'SCHOOL.NOT_SET_UP', message: 'This school is not set up yet.' });
    }
    const current = settingsOf(school);
    const applied = applySettings(current, input);
    if (!applied.ok) {
      throw new DomainFailure({
        code: 'VALIDATION',
        message: 'Please check the highlighted settings.',
        fields: applied.fields,
      });
    }
    const changes = changesBetween(current, applied.value);
    const onCallId =
      input.onCall === undefined
        ? school.onCallPersonId
        : await onCallPersonOf(tx, actor.schoolId, input.onCall, clock.now());
    if (onCallId !== school.onCallPersonId) changes.onCall = { from: school.onCallPersonId, to: onCallId };
    if (Object.keys(changes).length === 0)
      return { settings: { ...current, onCall: await loadOnCallPerson(tx, school) }, changes };
    const updated = await writeSchoolSettings(tx, actor.schoolId, {
      onCallPersonId: onCallId,
      dayStart: applied.value.dayStart,
      dayEnd: applied.value.dayEnd,
      // Only what was set is stored: anything never set keeps following the defaults.
      slaTargets: { ...school.slaTargets, ...pick(applied.value.sla, Object.keys(input.sla ?? {})) },
      reminderLeadTimes: {
        ...school.reminderLeadTimes,
        ...pick(applied.value.leadTimes, Object.keys(input.leadTimes ?? {})),
      },
      ticketEmoji: applied.value.ticketEmoji,
    });
    await recordRegisterEvents(tx, [
      {
        schoolId: actor.schoolId,
        subject: `school:${actor.schoolId}`,
        actorId: actor.personId,
        kind: 'edited',
        data: { changes },
        createdAt: clock.now(),
      },
    ]);
    // New hours are the service's new hours: the SPOC channel's topic says them (Slack).
    if ((changes.dayStart || changes.dayEnd) && updated.slackChannelId)
      await enqueue(tx, actor.schoolId, [{ type: 'channel.topic' }], clock.now());
    return { settings: { ...settingsOf(updated), onCall: await loadOnCallPerson(tx, updated) }, changes };
  });
}
