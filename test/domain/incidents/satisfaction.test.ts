/**
 * The satisfaction question: asked once, when the reporter presses Fixed; the answer kept once
 * with who had the incident; the card's thread told only that they answered; the optional comment
 * checked beside its field and kept once.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentEvents, incidentRatings, outbox } from '../../../src/db/schema';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { closeIncident } from '../../../src/domain/incidents/close-incident';
import { getIncident } from '../../../src/domain/incidents/list-incidents';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { confirmFixed, reportStillBroken } from '../../../src/domain/incidents/reporter-response';
import { resolveIncident } from '../../../src/domain/incidents/resolve-incident';
import {
  commentOnSatisfaction,
  rateIncident,
  SATISFACTION_COMMENT_MAX,
} from '../../../src/domain/incidents/satisfaction';
import { eventLine } from '../../../src/domain/presenters/incident-event';
import type { Rich } from '../../../src/domain/presenters/presentation';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { makeSchool, type TestSchool } from '../../support/factories';
import { must } from '../../support/wait';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

/** A fault Ms Patel reported, Sam claimed and resolved. */
async function resolvedFault(school?: TestSchool) {
  const s = school ?? (await makeSchool(tdb.db));
  const teacher = await s.person('teacher', 'Ms Patel');
  const tech = await s.person('technician', 'Sam Tech');
  const office = await s.person('office', 'Mrs Office');
  const { incident } = must(
    await reportFault(teacher, { summary: 'Projector has no signal', urgency: 'today' }),
  );
  must(await claimIncident(tech, { incidentId: incident.id }));
  must(await resolveIncident(tech, { incidentId: incident.id, resolution: 'Reseated the HDMI cable' }));
  return { s, teacher, tech, office, incidentId: incident.id };
}

const ratingsOf = (incidentId: string) =>
  tdb.db.select().from(incidentRatings).where(eq(incidentRatings.incidentId, incidentId));
const eventsOf = (incidentId: string, kind: string) =>
  tdb.db
    .select()
    .from(incidentEvents)
    .where(and(eq(incidentEvents.incidentId, incidentId), eq(incidentEvents.kind, kind)));
const outboxOf = async (schoolId: string) =>
  (await tdb.db.select().from(outbox).where(eq(outbox.schoolId, schoolId)).orderBy(outbox.id)).map(
    (r) => r.message,
  );

/** The words of a line, with no markup. */
const words = (rich: Rich): string =>
  rich
    .map((s) =>
      typeof s === 'string'
        ? s
        : 'max' in s
          ? s.text
          : 'person' in s
            ? s.person.name
            : 'bold' in s
              ? words(s.bold)
              : '',
    )
    .join('');

describe('asking', () => {
  it('asks once, on the Fixed that closes it, and keeps the first answer with who had it', async () => {
    const f = await resolvedFault();
    const fixed = must(await confirmFixed(f.teacher, { incidentId: f.incidentId }));
    expect(fixed).toMatchObject({ outcome: 'confirmed', satisfaction: { state: 'ask' } });
    const before = (await outboxOf(f.s.schoolId)).length;

    f.s.clock.set('2026-11-30T10:00:00Z');
    const rated = must(await rateIncident(f.teacher, { incidentId: f.incidentId, rating: 'up' }));
    expect(rated).toMatchObject({ outcome: 'recorded', rating: 'up', commented: false });
    expect(await ratingsOf(f.incidentId)).toEqual([
      {
        schoolId: f.s.schoolId,
        incidentId: f.incidentId,
        personId: f.teacher.actor.personId,
        rating: 'up',
        comment: '',
        assigneeId: f.tech.actor.personId,
        createdAt: new Date('2026-11-30T10:00:00Z'),
      },
    ]);
    // The card's thread is told, in the same transaction, that she answered: not what.
    const [event] = await eventsOf(f.incidentId, 'satisfaction');
    expect(event).toMatchObject({ actorId: f.teacher.actor.personId, data: {} });
    expect((await outboxOf(f.s.schoolId)).slice(before)).toEqual([
      { type: 'incident.thread', incidentId: f.incidentId, eventId: event?.id },
    ]);

    // A second answer (the other button, a double click) changes nothing: the first stands.
    const again = must(await rateIncident(f.teacher, { incidentId: f.incidentId, rating: 'down' }));
    expect(again).toMatchObject({ outcome: 'already_answered', rating: 'up' });
    expect(await ratingsOf(f.incidentId)).toHaveLength(1);
    expect(await eventsOf(f.incidentId, 'satisfaction')).toHaveLength(1);
    expect((await outboxOf(f.s.schoolId)).length).toBe(before + 1);

    // Fixed pressed again: nothing asked again, the answer is thanked.
    const second = must(await confirmFixed(f.teacher, { incidentId: f.incidentId }));
    expect(second).toMatchObject({
      outcome: 'already_closed',
      satisfaction: { state: 'answered', rating: 'up', commented: false },
    });
  });

  it('after a reopen, asks on the Fixed that finally closes it, once', async () => {
    const f = await resolvedFault();
    const broken = must(await reportStillBroken(f.teacher, { incidentId: f.incidentId }));
    expect(broken.satisfaction).toEqual({ state: 'none' });
    must(await resolveIncident(f.tech, { incidentId: f.incidentId, resolution: 'New cable' }));
    expect(must(await confirmFixed(f.teacher, { incidentId: f.incidentId })).satisfaction).toEqual({
      state: 'ask',
    });
    must(await rateIncident(f.teacher, { incidentId: f.incidentId, rating: 'down' }));
    expect(must(await confirmFixed(f.teacher, { incidentId: f.incidentId })).satisfaction).toMatchObject({
      state: 'answered',
      rating: 'down',
    });
    expect(await ratingsOf(f.incidentId)).toHaveLength(1);
  });

  it('asks nothing of a fault closed without her Fixed, and refuses an answer to it', async () => {
    const f = await resolvedFault();
    must(await closeIncident(f.office, { incidentId: f.incidentId, note: 'Done' }));
    const refused = await rateIncident(f.teacher, { incidentId: f.incidentId, rating: 'up' });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'INCIDENT.ILLEGAL_TRANSITION',
        message: 'There is nothing to answer about INC-1: I ask once you have pressed Fixed.',
      },
    });
    // Nor before Fixed, while it is only resolved.
    const open = await resolvedFault();
    expect((await rateIncident(open.teacher, { incidentId: open.incidentId, rating: 'up' })).ok).toBe(false);
    expect(await ratingsOf(f.incidentId)).toEqual([]);
    expect(await ratingsOf(open.incidentId)).toEqual([]);
  });

  it('takes an answer only from the reporter, only in her school, only 👍 or 👎', async () => {
    const f = await resolvedFault();
    must(await confirmFixed(f.teacher, { incidentId: f.incidentId }));
    const colleague = await f.s.person('teacher', 'Mr Jones');
    for (const who of [colleague, f.tech, f.office]) {
      expect(await rateIncident(who, { incidentId: f.incidentId, rating: 'up' })).toEqual({
        ok: false,
        error: { code: 'AUTH.FORBIDDEN', message: 'Only the person who reported INC-1 can answer for it.' },
      });
    }
    const elsewhere = await (await makeSchool(tdb.db)).person('admin');
    expect((await rateIncident(elsewhere, { incidentId: f.incidentId, rating: 'up' })).ok).toBe(false);
    expect(await rateIncident(f.teacher, { incidentId: f.incidentId, rating: 'meh' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(await ratingsOf(f.incidentId)).toEqual([]);
  });
});

describe('what the technician sees', () => {
  it('the thread line and the history say she answered, never what, nor her comment', async () => {
    const f = await resolvedFault();
    must(await confirmFixed(f.teacher, { incidentId: f.incidentId }));
    must(await rateIncident(f.teacher, { incidentId: f.incidentId, rating: 'down' }));
    must(await commentOnSatisfaction(f.teacher, { incidentId: f.incidentId, comment: 'Took three days' }));
    const shown = must(await getIncident(f.tech, { ref: 'INC-1' }));
    const lines = shown.events
      .filter((e) => e.kind.startsWith('satisfaction'))
      .map((e) => words(eventLine(e)).trim());
    expect(lines).toEqual([
      'Ms Patel answered the satisfaction question (the office sees the answers in the service report)',
      'Ms Patel added a comment for the office to their satisfaction answer',
    ]);
    for (const e of shown.events) {
      expect(JSON.stringify(e.data)).not.toMatch(/down|up"|Took three days/);
    }
  });
});

describe('the comment', () => {
  it('is optional, checked beside its field, kept once', async () => {
    const f = await resolvedFault();
    // Before an answer there is nothing to comment on.
    must(await confirmFixed(f.teacher, { incidentId: f.incidentId }));
    expect(
      await commentOnSatisfaction(f.teacher, { incidentId: f.incidentId, comment: 'Great' }),
    ).toMatchObject({
      ok: false,
      error: { fields: { comment: 'Answer 👍 or 👎 first, then add a comment.' } },
    });
    must(await rateIncident(f.teacher, { incidentId: f.incidentId, rating: 'up' }));

    expect(await commentOnSatisfaction(f.teacher, { incidentId: f.incidentId, comment: '   ' })).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'Please check the highlighted fields.',
        fields: { comment: 'Write a comment, or press Cancel: the comment is optional.' },
      },
    });
    const long = 'x'.repeat(SATISFACTION_COMMENT_MAX + 1);
    expect(await commentOnSatisfaction(f.teacher, { incidentId: f.incidentId, comment: long })).toMatchObject(
      {
        ok: false,
        error: { fields: { comment: 'Keep it under 500 characters (this is 501).' } },
      },
    );
    const other = await f.s.person('teacher', 'Mr Jones');
    expect(await commentOnSatisfaction(other, { incidentId: f.incidentId, comment: 'Nice' })).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN' },
    });
    const elsewhere = await (await makeSchool(tdb.db)).person('admin');
    expect(
      await commentOnSatisfaction(elsewhere, { incidentId: f.incidentId, comment: 'Nice' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INCIDENT.NOT_FOUND' },
    });

    must(await commentOnSatisfaction(f.teacher, { incidentId: f.incidentId, comment: ' Quick, thank you ' }));
    // The same words again (a retried submit) are accepted and change nothing; other words are refused.
    must(await commentOnSatisfaction(f.teacher, { incidentId: f.incidentId, comment: 'Quick, thank you' }));
    expect(
      await commentOnSatisfaction(f.teacher, { incidentId: f.incidentId, comment: 'Also…' }),
    ).toMatchObject({
      ok: false,
      error: { fields: { comment: 'You have already added a comment to your answer — thank you.' } },
    });
    expect(await ratingsOf(f.incidentId)).toMatchObject([{ rating: 'up', comment: 'Quick, thank you' }]);
    expect(await eventsOf(f.incidentId, 'satisfaction_comment')).toHaveLength(1);
    expect(must(await confirmFixed(f.teacher, { incidentId: f.incidentId })).satisfaction).toEqual({
      state: 'answered',
      rating: 'up',
      commented: true,
    });
  });
});
