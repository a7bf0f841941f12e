/**
 * The words of "Already reported", decided once for every platform: the fault form's warning
 * ("Already reported as INC-13 by Mr Jones, 40 minutes ago") with its "Me too" button, what
 * replaces the form after "Me too", and the answer to a merge. The warning names only the
 * reference, who reported it, when, and the device and place the person chose themselves: what
 * someone else wrote about their fault stays theirs (`visibility.ts`).
 */
import type { AlreadyReported } from '../incidents/already-reported';
import type { MergeIncidentOutput } from '../incidents/merge-incident';
import { formatReference } from '../incidents/reference';
import { bold, emoji, type Presentation, type Rich, sentence, typed } from './presentation';

/** The button that follows the incident instead of reporting it again. */
export const ME_TOO_LABEL = 'Me too';

/** How long ago, in words: "just now", "40 minutes ago", "2 hours ago", "3 days ago". */
export function timeAgo(at: Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - at.getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  if (minutes < 60) return count(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return count(hours, 'hour');
  return count(Math.floor(hours / 24), 'day');
}

/** The warning's words: its first line, and what it is about and what "Me too" does. */
export interface AlreadyReportedWords {
  /** The incident it is about. */
  incidentId: string;
  line: Rich;
  detail: Rich;
  /** The "Me too" button, unless the person reported it themselves. */
  meToo: { label: string; incidentId: string } | null;
}

/** What the fault form says when the chosen device (or its kind, in that place) has an open incident. */
export function alreadyReportedWords(hint: AlreadyReported, now: Date): AlreadyReportedWords {
  const ref = formatReference(hint.number);
  const ago = timeAgo(hint.reportedAt, now);
  if (hint.yours) {
    return {
      incidentId: hint.incidentId,
      line: [emoji(':warning:'), ' You already reported this as ', bold(ref), `, ${ago}.`],
      detail: [
        "It is still open: you'll hear when it is fixed. Report again only if this is a different fault.",
      ],
      meToo: null,
    };
  }
  const device = hint.assetTag ? [typed(hint.assetTag, 64)] : ['a device'];
  const place = hint.locationName ? [' in ', typed(hint.locationName, 100)] : [];
  const about: Rich =
    hint.match === 'asset'
      ? ['It is about this device (', ...device, ...place, ').']
      : ['It is about ', ...device, ...place, ', a device of the same kind.'];
  return {
    incidentId: hint.incidentId,
    line: [
      emoji(':warning:'),
      ' Already reported as ',
      bold(ref),
      ' by ',
      typed(hint.reporter.name || 'someone', 100),
      `, ${ago}.`,
    ],
    detail: [
      ...about,
      ' If it is the same fault, press ',
      bold(ME_TOO_LABEL),
      ': you will be told when it is fixed, and no second report is made.',
    ],
    meToo: { label: ME_TOO_LABEL, incidentId: hint.incidentId },
  };
}

/** What replaces the form after "Me too" (or a second press of it). */
export function meTooDoneText(reference: string, already: boolean): Rich {
  return already
    ? [
        emoji(':raising_hand:'),
        ' You are already following ',
        bold(reference),
        ": you'll be told when it is fixed.",
      ]
    : [
        emoji(':raising_hand:'),
        ' Thanks — you are now following ',
        bold(reference),
        ' and will be told when it is fixed. No new report was made.',
      ];
}

/** The title of what replaces the form after "Me too" (24 characters at most, Slack's limit). */
export const ME_TOO_TITLE = 'Following';

/** The answer to `spoc incident INC-14 merge INC-13`. */
export function presentMerged(out: MergeIncidentOutput): Presentation {
  const dup = formatReference(out.duplicate.number);
  const target = formatReference(out.target.number);
  if (out.already)
    return sentence([emoji(':link:'), ' ', bold(dup), ' is already merged into ', bold(target), '.']);
  const who: Rich =
    out.moved === 0
      ? [' Everyone on it already follows ', bold(target), '.']
      : [
          out.moved === 1 ? ' 1 person now follows ' : ` ${out.moved} people now follow `,
          bold(target),
          ' and will be told when it is fixed.',
        ];
  return sentence([
    emoji(':link:'),
    ' ',
    bold(dup),
    ' is merged into ',
    bold(target),
    ' and closed.',
    ...who,
    ' Both cards say so.',
  ]);
}
