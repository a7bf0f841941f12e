/**
 * `spoc help`: what the person may do, by role, for every platform; and the answer to words after
 * `spoc` that name no command, with "Did you mean …?" when they are a slip away from one.
 */
import { distance } from 'fastest-levenshtein';
import type { Ctx } from '../context';
import { presentDidYouMean, presentHelp, presentUnknownCommand } from '../presenters/help';
import type { Presentation } from '../presenters/presentation';
import { can, type Permission, type Role } from '../roles';

/**
 * The words that follow `spoc` on every platform, each with what a person needs to use it (`null`:
 * anyone), in the order a tie between two equally close words is settled. The help for a role
 * names exactly those it may use.
 */
export const SPOC_SUBCOMMANDS: ReadonlyArray<readonly [string, Permission | null]> = [
  ['help', null],
  ['setup', null],
  ['incidents', 'incident.report'],
  ['incident', 'incident.report'],
  ['changes', 'work.view'],
  ['problems', 'work.view'],
  ['change', 'work.view'],
  ['problem', 'work.view'],
  ['locations', 'register.view'],
  ['assets', 'register.view'],
  ['asset', 'register.view'],
  ['licences', 'register.view'],
  ['fixes', 'register.view'],
  ['export', 'register.view'],
  ['import', 'register.manage'],
  ['providers', 'register.view'],
  ['contracts', 'register.view'],
  ['payments', 'register.manage'],
  ['diary', 'register.view'],
  ['report', 'report.view'],
  ['settings', 'incident.viewAll'],
  ['term', 'incident.viewAll'],
  ['role', 'school.roles'],
  ['authority', 'authority.view'],
];

/** The words after `spoc` someone with `role` may use. */
export function subcommandsFor(role: Role): string[] {
  return SPOC_SUBCOMMANDS.filter(([, needs]) => needs === null || can(role, needs)).map(([word]) => word);
}

/** How far a word may be from a command and still be taken for it: 2 edits, and under half the word. */
const isClose = (edits: number, word: string) => edits <= 2 && edits < word.length / 2;

/**
 * The command `role` may use that `word` is most likely a slip for (`incidnets` → `incidents`), by
 * edit distance; none when the word is one already, or nothing is close enough.
 */
export function closestSubcommand(word: string, role: Role): string | undefined {
  const said = word.toLowerCase();
  let best: { word: string; edits: number } | undefined;
  for (const known of subcommandsFor(role)) {
    const edits = distance(said, known);
    if (edits === 0) return undefined;
    if (isClose(edits, said) && (!best || edits < best.edits)) best = { word: known, edits };
  }
  return best?.word;
}

/**
 * `spoc help`, and Teams' answer to words no command claims: the help for the person's role, with
 * "Did you mean …?" above it when the first of `words` is a slip for a command they may use.
 */
export function helpAnswer(ctx: Ctx, words: readonly string[] = []): Presentation {
  const role = ctx.actor.role;
  const meant = words[0] ? closestSubcommand(words[0], role) : undefined;
  return meant ? presentDidYouMean(meant, role) : presentHelp(role);
}

/**
 * Words after `spoc` that name no command (Slack's `/spoc incidnets`): "Did you mean …?" when the
 * word is a slip for one the person may use, else "I don't know …"; then the help for their role.
 */
export function unknownCommandAnswer(ctx: Ctx, word: string): Presentation {
  const role = ctx.actor.role;
  const meant = closestSubcommand(word, role);
  return meant ? presentDidYouMean(meant, role) : presentUnknownCommand(word, role);
}
