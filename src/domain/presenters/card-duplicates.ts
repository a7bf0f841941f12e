/**
 * What the incident card says of duplicates: "Merged into INC-13" on a duplicate; on the incident
 * it repeats, who else it affects ("Me too") and which duplicates were merged into it.
 */
import type { IncidentDetail } from '../../db/queries/incidents';
import { formatReference } from '../incidents/reference';
import { bold, emoji, joinRich, person, type Rich } from './presentation';

/** Who said an incident affects them too, and the duplicates merged into it. */
export interface CardDuplicates {
  /** Earliest first. */
  followers: ReadonlyArray<{ name: string; slackUserId: string | null }>;
  /** The numbers of the duplicates merged into it. */
  mergedFrom: readonly number[];
}

/** The most followers a card names; the rest are counted. */
export const FOLLOWERS_NAMED = 5;

/**
 * The card's duplicate lines: "Merged into INC-13" on a duplicate; on the incident it repeats, how
 * many others it affects and who, and which duplicates were merged into it.
 */
export function duplicateLines(i: Pick<IncidentDetail, 'mergedIntoNumber'>, d?: CardDuplicates): Rich[] {
  const lines: Rich[] = [];
  if (i.mergedIntoNumber)
    lines.push([
      emoji(':link:'),
      ' Merged into ',
      bold(formatReference(i.mergedIntoNumber)),
      ' (a duplicate)',
    ]);
  const followers = d?.followers ?? [];
  if (followers.length > 0) {
    const named = followers.slice(0, FOLLOWERS_NAMED).map((f) => person(f.name, f.slackUserId));
    const more = followers.length - named.length;
    lines.push([
      emoji(':raising_hand:'),
      ` ${followers.length} ${followers.length === 1 ? 'other' : 'others'} affected: `,
      ...joinRich(
        named.map((n) => [n]),
        ', ',
      ),
      ...(more > 0 ? [` and ${more} more`] : []),
    ]);
  }
  const from = d?.mergedFrom ?? [];
  if (from.length > 0)
    lines.push([
      emoji(':link:'),
      ' ',
      ...joinRich(
        from.map((n) => [bold(formatReference(n))]),
        ', ',
      ),
      ' merged into this',
    ]);
  return lines;
}
