/** The SPOC's diary (implementations, deliveries, visits, maintenance) and the school's holidays. */

import type { Db } from '../../db/client';
import { getAsset } from '../../db/queries/assets';
import { enqueue } from '../../db/queries/outbox';
import { getSchool, type SchoolRow } from '../../db/queries/schools';
import {
  type DiaryRow,
  deleteHoliday,
  type HolidayRow,
  insertDiaryEntry,
  insertHoliday,
  listDiary,
  listHolidays,
} from '../../db/queries/supply';
import { findTeamChannel, listTeamChannels, type TeamsTeam } from '../../db/queries/teams-conversations';
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
  /**
   * A channel to tell staff in, the notice posted from the outbox: for a school on Slack a Slack
   * channel id; for a school on Teams one of its team's channels SPOC knows (`19:…@thread.…`).
   */
  announceChannel?: string | null;
}

/** Why a channel is refused beside the field. */
const NOT_A_CHANNEL = 'Choose a channel from the list.';
const NOT_OUR_CHANNEL =
  "That is not one of your school's channels that SPOC can post in. Choose a channel from the list.";

/** The name Teams gives a team's first channel, whose id is the team's own. */
const GENERAL = 'General';

/**
 * The team a school on Teams posts in (its tenant and team), `null` for a Teams school whose team
 * is not known, or `undefined` for a school whose channels are Slack's.
 */
function teamsTeamOf(school: SchoolRow | undefined): TeamsTeam | null | undefined {
  if (!school || school.slackTeamId || !school.teamsTenantId) return undefined;
  return school.teamsTeamId ? { tenantId: school.teamsTenantId, teamId: school.teamsTeamId } : null;
}

/**
 * Where a diary entry can be announced: `true` for Slack's own channel picker (a school on Slack);
 * for a school on Teams, the channels of its team SPOC has heard from and may post in, by name
 * (Teams' General when it never said the name; a channel whose name is not known yet is left out);
 * `false` where SPOC cannot post one.
 */
export async function announceChannels(
  db: Db,
  schoolId: string,
): Promise<boolean | Array<{ id: string; name: string }>> {
  const school = await getSchool(db, schoolId);
  if (school?.slackTeamId) return true;
  const team = teamsTeamOf(school);
  if (!team) return false;
  return (await listTeamChannels(db, team)).flatMap((c) => {
    const name = c.name ?? (c.conversationId === team.teamId ? GENERAL : null);
    return name ? [{ id: c.conversationId, name }] : [];
  });
}

/** A channel's id as the school's platform writes it: Slack's `C…`, or a Teams channel's `19:…@thread.…`. */
const channelShape = (team: TeamsTeam | null | undefined, channel: string): boolean =>
  team === undefined
    ? /^[CG][A-Z0-9]{2,}$/.test(channel)
    : channel.length <= 300 && /^19:[^\s;]+@thread\.[a-z0-9]+$/i.test(channel);

export async function addDiaryEntry(ctx: Ctx, input: DiaryInput): Promise<Result<DiaryRow>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  const team = input.announceChannel ? teamsTeamOf(await getSchool(ctx.db, ctx.actor.schoolId)) : undefined;
  const fields = fieldsOf({
    date: input.date ? checkDate(input.date, 'The date') : 'The date is needed.',
    title: checkText(input.title, 'The title', 200, true),
    kind: DIARY_KINDS.includes(input.kind) ? undefined : 'Choose a kind.',
    notes: checkText(input.notes, 'Notes', 2000),
    assetId: input.assetId !== null && !isUuid(input.assetId) ? 'Choose an asset from the list.' : undefined,
    workItemId: input.workItemId && !isUuid(input.workItemId) ? 'Choose a change from the list.' : undefined,
    announceChannel:
      input.announceChannel && !channelShape(team, input.announceChannel)
        ? team === undefined
          ? NOT_A_CHANNEL
          : NOT_OUR_CHANNEL
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
    // A Teams channel is posted in only when it is one of the school's own team's, as SPOC knows it.
    if (input.announceChannel && team !== undefined) {
      if (!team || !(await findTeamChannel(tx, team, input.announceChannel))) {
        throw new DomainFailure({
          code: 'VALIDATION',
          message: 'Choose another channel.',
          fields: { announceChannel: NOT_OUR_CHANNEL },
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
