/**
 * What staff are told in a channel of a diary entry (usually planned downtime for a change), for
 * every platform: the date and what, the notes, and the change it is part of. Slack posts it in the
 * channel chosen on the diary form, Teams as a new post in the team's channel chosen there.
 */
import type { DiaryAnnouncement } from '../../db/queries/work-items';
import { formatWorkItemReference } from '../work-items/types';
import { dayDate } from './format';
import { bold, emoji, joinRich, type Presentation, type Rich, typed } from './presentation';

export function presentDiaryAnnouncement(a: DiaryAnnouncement): Presentation {
  const { entry, change } = a;
  const lines: Rich[] = [
    [emoji(':spiral_calendar_pad:'), ' ', bold(dayDate(entry.date)), ' — ', bold(typed(entry.title, 200))],
    entry.notes ? [typed(entry.notes, 2000)] : [],
    change
      ? ['Part of ', bold(formatWorkItemReference(change.kind, change.number)), ' ', typed(change.title, 200)]
      : [],
  ];
  return {
    text: [`${dayDate(entry.date)}: `, typed(entry.title, 200)],
    sections: [{ kind: 'text', text: joinRich(lines, '\n') }],
    actions: [],
  };
}
