/** The SPOC's diary (implementations, deliveries, visits, maintenance) and the school's holidays. */
import { getAsset } from '../../db/queries/assets';
import { enqueue } from '../../db/queries/outbox';
import {
  type DiaryRow,
  deleteHoliday,
  type HolidayRow,
  insertDiaryEntry,
  insertHoliday,
  listDiary,
  listHolidays,
} from '../../db/queries/supply';
import { getWorkItem } from '../../db/queries/work-items';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { DomainFailure, fail, ok, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { inTransaction } from '../transaction';
import { DIARY_KINDS, type DiaryKind } from './supply-types';
import { checkDate, checkText, fieldsOf } from './validate';

export interface DiaryInput {
  /** `YYYY-MM-DD` */
  date: string;
  title: string;
  kind: DiaryKind;
  notes: string;
  assetId: string | null;
  /** The change this entry belongs to (planned downtime for an implementation), if any. */
  workItemId?: string | null;
  /** A channel to tell staff in (a Slack channel id); the notice is posted from the outbox. */
  announceChannel?: string | null;
}

export async function addDiaryEntry(ctx: Ctx, input: DiaryInput): Promise<Result<DiaryRow>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  const fields = fieldsOf({
    date: input.date ? checkDate(input.date, 'The date') : 'The date is needed.',
    title: checkText(input.title, 'The title', 200, true),
    kind: DIARY_KINDS.includes(input.kind) ? undefined : 'Choose a kind.',
    notes: checkText(input.notes, 'Notes', 2000),
    assetId: input.assetId !== null && !isUuid(input.assetId) ? 'Choose an asset from the list.' : undefined,
    workItemId: input.workItemId && !isUuid(input.workItemId) ? 'Choose a change from the list.' : undefined,
    announceChannel:
      input.announceChannel && !/^[CG][A-Z0-9]{2,}$/.test(input.announceChannel)
        ? 'Choose a channel from the list.'
        : undefined,
  });
  if (Object.keys(fields).length > 0)
    return fail('VALIDATION', 'Please check the highlighted fields.', fields);
  return inTransaction(ctx.db, async (tx) => {
    if (input.assetId && !(await getAsset(tx, ctx.actor.schoolId, input.assetId))) {
      throw new DomainFailure({
        code: 'VALIDATION',
        message: 'Choose another asset.',
        fields: { assetId: 'That asset is not in your register.' },
      });
    }
    if (input.workItemId) {
      const change = await getWorkItem(tx, ctx.actor.schoolId, input.workItemId);
      if (change?.kind !== 'change') {
        throw new DomainFailure({
          code: 'VALIDATION',
          message: 'Choose another change.',
          fields: { workItemId: 'That change is not in your school.' },
        });
      }
    }
    const now = ctx.clock.now();
    const entry = await insertDiaryEntry(tx, {
      schoolId: ctx.actor.schoolId,
      date: input.date,
      title: input.title.trim(),
      kind: input.kind,
      notes: input.notes.trim(),
      assetId: input.assetId,
      workItemId: input.workItemId ?? null,
      createdBy: ctx.actor.personId,
      createdAt: now,
      updatedAt: now,
    });
    if (input.announceChannel) {
      const notice = {
        type: 'diary.announce' as const,
        diaryEntryId: entry.id,
        channel: input.announceChannel,
      };
      await enqueue(tx, ctx.actor.schoolId, [notice], now);
    }
    return entry;
  });
}

export async function listDiaryEntries(
  ctx: Ctx,
  input: { from: string; to: string },
): Promise<Result<DiaryRow[]>> {
  if (!can(ctx.actor.role, 'register.view')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.view']);
  return ok(await listDiary(ctx.db, ctx.actor.schoolId, input.from, input.to));
}

/** `/spoc term add 2026-12-19 2027-01-04 Christmas`: a holiday range when there is no school time. */
export async function addSchoolHoliday(
  ctx: Ctx,
  input: { start: string; end: string; name: string },
): Promise<Result<HolidayRow>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  const fields = fieldsOf({
    start: checkDate(input.start, 'The first day'),
    end:
      checkDate(input.end, 'The last day') ??
      (input.end < input.start ? 'The last day must not be before the first.' : undefined),
    name: checkText(input.name, 'The name', 100, true),
  });
  if (Object.keys(fields).length > 0) return fail('VALIDATION', Object.values(fields).join(' '), fields);
  return inTransaction(ctx.db, async (tx) => {
    const row = await insertHoliday(tx, {
      schoolId: ctx.actor.schoolId,
      startDate: input.start,
      endDate: input.end,
      name: input.name.trim(),
      createdAt: ctx.clock.now(),
    });
    if (!row)
      throw new DomainFailure({ code: 'VALIDATION', message: 'That holiday is already in the calendar.' });
    return row;
  });
}

export async function removeSchoolHoliday(ctx: Ctx, input: { holidayId: string }): Promise<Result<true>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  if (!isUuid(input.holidayId) || !(await deleteHoliday(ctx.db, ctx.actor.schoolId, input.holidayId))) {
    return fail('REGISTER.NOT_FOUND', "I couldn't find that holiday.");
  }
  return ok(true);
}

export async function listSchoolHolidays(ctx: Ctx): Promise<Result<HolidayRow[]>> {
  return ok(await listHolidays(ctx.db, ctx.actor.schoolId));
}
