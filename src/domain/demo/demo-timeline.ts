/**
 * The demo's faults, changes and problems as one timeline of command calls, in the order they
 * "happened", so incident numbers, history and progress read like a real fortnight in school.
 */
import { claimIncident } from '../incidents/claim-incident';
import { closeIncident } from '../incidents/close-incident';
import { commentOnIncident } from '../incidents/comment-incident';
import { escalateIncident } from '../incidents/escalate-incident';
import { forwardIncident } from '../incidents/forward-incident';
import { holdIncident, resumeIncident } from '../incidents/hold-incident';
import { reportFault } from '../incidents/report-fault';
import { confirmFixed, reportStillBroken } from '../incidents/reporter-response';
import { resolveIncident } from '../incidents/resolve-incident';
import { triageIncident } from '../incidents/triage-incident';
import { addDiaryEntry } from '../registers/diary';
import type { Result } from '../result';
import type { SchoolCalendar } from '../school-time';
import { addIsoDays } from '../school-time/iso-date';
import { createWorkItem, postProgress } from '../work-items/commands';
import { DEMO_INCIDENTS, type DemoStep } from './demo-incidents';
import { type DemoIds, type DemoPeople, must, schoolDayFrom } from './demo-kit';
import { DEMO_PEOPLE, DEMO_STAFF_CHANNEL_ID } from './demo-school';
import { schoolTimeAfter, schoolTimeBefore } from './demo-time';
import { DEMO_WORK_ITEMS } from './demo-work-items';

export interface TimelineEvent {
  at: Date;
  run: () => Promise<void>;
}

interface TimelineInput {
  people: DemoPeople;
  calendar: SchoolCalendar;
  now: Date;
  today: string;
  ids: DemoIds;
}

/** Every call, soonest first (steps of one item keep their order). */
export function timelineOf(input: TimelineInput): TimelineEvent[] {
  const { calendar, now } = input;
  const incidentIds = new Map<string, string>();
  const incidentId = (key: string) => {
    const id = incidentIds.get(key);
    if (!id) throw new Error(`Demo seeding failed: incident ${key} was not reported`);
    return id;
  };
  const events: Array<TimelineEvent & { seq: number }> = [];
  const push = (at: Date, run: () => Promise<void>) => events.push({ at, run, seq: events.length });

  for (const incident of DEMO_INCIDENTS) {
    let at = schoolTimeBefore(calendar, now, incident.ago);
    push(at, async () => {
      const { ids } = input;
      const reported = must(
        await reportFault(input.people[incident.by], {
          summary: incident.summary,
          description: incident.description,
          locationId: ids.location(incident.location),
          ...(incident.assetTag ? { assetId: ids.asset(incident.assetTag) } : {}),
          urgency: incident.urgency,
          submissionKey: `demo-seed:${incident.key}`,
        }),
        `report "${incident.summary}"`,
      );
      incidentIds.set(incident.key, reported.incident.id);
    });
    for (const step of incident.steps) {
      at = schoolTimeAfter(calendar, at, step.after, now);
      push(at, async () => {
        must(await runStep(input, incidentId(incident.key), step), `${step.do} "${incident.summary}"`);
      });
    }
  }

  for (const item of DEMO_WORK_ITEMS) {
    let at = schoolTimeBefore(calendar, now, item.ago);
    const owner = DEMO_PEOPLE[item.owner];
    let workItemId = '';
    push(at, async () => {
      const created = must(
        await createWorkItem(input.people[item.by], {
          kind: item.kind,
          title: item.title,
          description: item.description,
          owner: { slackUserId: owner.slackUserId, displayName: owner.name },
          targetDate: addIsoDays(input.today, item.targetInDays),
          status: item.status,
          percentDone: item.percentDone,
          incidents: item.incidents.map(incidentId),
          submissionKey: `demo-seed:${item.key}`,
        }),
        `open "${item.title}"`,
      );
      workItemId = created.item.id;
    });
    const diary = item.diary;
    if (diary) {
      at = schoolTimeAfter(calendar, at, 30, now);
      push(at, async () => {
        must(
          await addDiaryEntry(input.people[item.by], {
            date: schoolDayFrom(calendar, addIsoDays(input.today, diary.inDays)),
            title: diary.title,
            kind: 'implementation',
            notes: diary.notes,
            assetId: null,
            workItemId,
            announceChannel: DEMO_STAFF_CHANNEL_ID,
          }),
          `add diary entry for "${item.title}"`,
        );
      });
    }
    item.updates.forEach((update, n) => {
      at = schoolTimeAfter(calendar, at, update.after, now);
      push(at, async () => {
        must(
          await postProgress(input.people[update.by], {
            workItemId,
            note: update.note,
            ...(update.status ? { status: update.status } : {}),
            ...(update.percentDone !== undefined ? { percentDone: update.percentDone } : {}),
            submissionKey: `demo-seed:${item.key}:${n + 1}`,
          }),
          `progress on "${item.title}"`,
        );
      });
    });
  }

  return events.sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq - b.seq);
}

async function runStep(input: TimelineInput, incidentId: string, step: DemoStep): Promise<Result<unknown>> {
  const ctx = input.people[step.by];
  switch (step.do) {
    case 'triage':
      return triageIncident(ctx, {
        incidentId,
        impact: step.impact,
        urgency: step.urgency,
        category: step.category,
      });
    case 'forward': {
      const to = DEMO_PEOPLE[step.to];
      return forwardIncident(ctx, {
        incidentId,
        technician: { slackUserId: to.slackUserId, displayName: to.name },
      });
    }
    case 'claim':
      return claimIncident(ctx, { incidentId });
    case 'escalate':
      return escalateIncident(ctx, {
        incidentId,
        providerId: input.ids.provider[step.provider],
        providerRef: step.ref,
        note: step.note,
      });
    case 'hold':
      return holdIncident(ctx, {
        incidentId,
        reason: step.reason,
        ...(step.detail ? { detail: step.detail } : {}),
      });
    case 'resume':
      return resumeIncident(ctx, { incidentId });
    case 'comment':
      return commentOnIncident(ctx, { incidentId, note: step.note });
    case 'resolve':
      return resolveIncident(ctx, { incidentId, resolution: step.resolution });
    case 'close':
      return closeIncident(ctx, { incidentId, ...(step.note ? { note: step.note } : {}) });
    case 'fixed':
      return confirmFixed(ctx, { incidentId });
    case 'still_broken':
      return reportStillBroken(ctx, { incidentId });
  }
}
