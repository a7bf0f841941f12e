import { describe, expect, it } from 'vitest';
import { problemSuggestions, type RepeatIncident } from '../../../src/domain/reminders/problem-suggestions';

/**
 * The reminder pass runs every day and posts each key once (keys are recorded with a unique
 * constraint). These tests replay that: a suggestion reaches the channel only when its key is new.
 */
const DAY = 86_400_000;
const START = new Date('2027-01-04T10:00:00Z').getTime();

function fault(n: number, day: number, over: Partial<RepeatIncident> = {}): RepeatIncident {
  return {
    id: `i${n}`,
    number: n,
    summary: `Fault ${n}`,
    createdAt: new Date(START + day * DAY),
    assetId: null,
    assetTag: null,
    locationId: 'suite',
    locationName: 'ICT suite',
    linkedToOpenProblem: false,
    ...over,
  };
}

/** Runs the rule once a day (an hour after the day's faults) for `days` days; returns what was posted, by day. */
function postedOver(incidents: RepeatIncident[], days: number): Array<[number, string, number[]]> {
  const sent = new Set<string>();
  const posted: Array<[number, string, number[]]> = [];
  for (let day = 0; day <= days; day += 1) {
    const now = new Date(START + day * DAY + 3_600_000);
    const seen = incidents.filter((i) => i.createdAt <= now);
    for (const s of problemSuggestions(seen, now)) {
      if (sent.has(s.key)) continue;
      sent.add(s.key);
      posted.push([day, s.label, s.incidents.map((i) => i.number)]);
    }
  }
  return posted;
}

describe('repeated faults as the 30-day window slides', () => {
  it('posts when the cluster forms and when a new fault joins it, never again as old faults drop out', () => {
    const faults = [fault(1, 0), fault(2, 5), fault(3, 10), fault(4, 20), fault(5, 25)];
    expect(postedOver(faults, 60)).toEqual([
      [10, 'ICT suite', [1, 2, 3]],
      [20, 'ICT suite', [1, 2, 3, 4]],
      [25, 'ICT suite', [1, 2, 3, 4, 5]],
    ]);
  });

  it('a run suggested for an asset is not suggested again for its room when the asset drops below three', () => {
    const onProjector = { assetId: 'proj', assetTag: 'PROJ-SUITE' };
    const faults = [
      fault(1, 0, onProjector),
      fault(2, 8, onProjector),
      fault(3, 9), // the same room, another device
      fault(4, 10, onProjector),
    ];
    // Day 9: three faults in the room. Day 10: the projector's third takes its faults for itself.
    // Day 31: fault 1 leaves the window, the projector has 2 faults and the room 3 (2, 3, 4) — but
    // no fault is new since the projector was suggested.
    expect(postedOver(faults, 45)).toEqual([
      [9, 'ICT suite', [1, 2, 3]],
      [10, 'PROJ-SUITE', [1, 2, 4]],
    ]);
  });
});
