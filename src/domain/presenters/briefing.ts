/**
 * The day's briefing in the SPOC channel: one message with the week's digest on its first school
 * day, then what is due, grouped. Each item with buttons is posted in its thread, where it is
 * acted on and updated in place; the briefing lists them all, and says how many a group holds
 * beyond what it shows, so nothing is cut without saying so.
 */
import type { Reminder } from '../reminders/reminder';
import { dayDate } from './format';
import { bold, emoji, type Presentation, type Rich, type Section, typed } from './presentation';
import { digestSections, reminderActions, reminderText } from './reminder';

/** The most lines a group shows. */
export const BRIEFING_GROUP_LINES = 8;
/** The most lines each list of the week ahead shows inside a briefing. */
const DIGEST_LINES = 5;
/**
 * About how many characters of text the whole briefing may hold: well inside Slack's 50 blocks
 * and Teams' 28 KB card, however long the names in it. Past it, a group says how many more it has.
 */
export const BRIEFING_TEXT_BUDGET = 9_000;

/** About how long a line reads (a typed text as shown, at most its limit). */
function lengthOf(rich: Rich): number {
  let n = 0;
  for (const span of rich) {
    if (typeof span === 'string') n += span.length;
    else if ('max' in span) n += Math.min(span.text.length, span.max);
    else if ('bold' in span) n += lengthOf(span.bold);
    else if ('italic' in span) n += lengthOf(span.italic);
    else n += 24;
  }
  return n;
}

export interface BriefingModel {
  day: string;
  digest: Extract<Reminder, { kind: 'digest' }> | null;
  items: Reminder[];
}

type Item = Exclude<Reminder, { kind: 'digest' }>;

const GROUPS: Array<{ title: string; kinds: ReadonlyArray<Item['kind']> }> = [
  { title: 'SLA at risk or missed', kinds: ['incident.sla_breach', 'incident.sla_warning'] },
  { title: 'No update for too long', kinds: ['incident.stale'] },
  { title: 'Providers to chase', kinds: ['escalation.chase'] },
  { title: 'Payments', kinds: ['payment.overdue', 'payment.due_today', 'payment.due_soon'] },
  { title: 'Contracts', kinds: ['contract.notice', 'contract.end'] },
  { title: 'Licences', kinds: ['licence.expiring', 'licence.over_deployed'] },
  { title: 'Warranties', kinds: ['asset.warranty'] },
  { title: 'Repeated faults', kinds: ['problem.suggested'] },
  { title: 'Today in the diary', kinds: ['diary.today'] },
];

/** A diary reminder's entries are lines of their own; every other item is one line. */
function linesOf(r: Item): Rich[] {
  if (r.kind === 'diary.today')
    return r.entries.map((e) => [emoji(':calendar:'), ' ', typed(e.title, 200), ` (${e.kind})`]);
  return [reminderText(r)];
}

function countWords(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function presentBriefing(b: BriefingModel): Presentation {
  const items = b.items.filter((r): r is Item => r.kind !== 'digest');
  const sections: Section[] = [
    { kind: 'heading', text: [emoji(':sunrise:'), ' ', bold(`Briefing for ${dayDate(b.day)}`)] },
  ];
  // Today's diary is a group of the briefing's own: the week ahead leaves it out.
  if (b.digest) sections.push(...digestSections(b.digest, { diary: false, lines: DIGEST_LINES }));
  let budget =
    BRIEFING_TEXT_BUDGET -
    sections.reduce(
      (n, s) =>
        n +
        (s.kind === 'lines'
          ? s.lines.reduce((m, l) => m + lengthOf(l), 0)
          : 'text' in s
            ? lengthOf(s.text)
            : 0),
      0,
    );
  const summary: string[] = [];
  let inThread = 0;
  for (const group of GROUPS) {
    const mine = items.filter((r) => group.kinds.includes(r.kind));
    if (mine.length === 0) continue;
    const lines = mine.flatMap(linesOf);
    const threaded = mine.filter((r) => reminderActions(r).length > 0).length;
    inThread += threaded;
    summary.push(`${group.title.toLowerCase()}: ${mine.length}`);
    const shown: Rich[] = [];
    for (const line of lines.slice(0, BRIEFING_GROUP_LINES)) {
      // The first line of a group always shows, so every group says what it is about.
      if (shown.length > 0 && lengthOf(line) > budget) break;
      shown.push(line);
      budget -= lengthOf(line);
    }
    const more = lines.length - shown.length;
    sections.push({
      kind: 'lines',
      lines: [
        [bold(`${group.title} (${lines.length})`)],
        ...shown,
        ...(more > 0
          ? [[threaded > 0 ? `…and ${more} more, each in the thread below.` : `…and ${more} more.`]]
          : []),
      ],
    });
  }
  if (items.length === 0 && !b.digest) sections.push({ kind: 'text', text: ['Nothing is due today.'] });
  if (inThread > 0)
    sections.push({
      kind: 'context',
      text: [
        `${countWords(inThread, 'item')} to act on, each in the thread below with its buttons; what is done there shows there.`,
      ],
    });
  const text: Rich = [
    `Briefing for ${dayDate(b.day)}`,
    ...(summary.length ? [`: ${summary.join(', ')}`] : b.digest ? [': the week ahead'] : []),
  ];
  return { text, sections, actions: [] };
}
