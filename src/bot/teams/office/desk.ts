/**
 * The helpdesk's answers in Teams: `spoc help` and `help`, `spoc incidents [filters…]` (open, mine,
 * reported, all, unassigned, breached, closed, P1…P4, location <name>, asset <tag>, reporter
 * @person) with Previous / Next carrying the filters, `spoc incident INC-7`, and the school's
 * holidays (`spoc term list`, `spoc term add …`, `spoc term remove …`): the same answers, words and
 * role checks as Slack's.
 */
import { authorityAnswer } from '../../../domain/answers/authority';
import { incidentAnswer, incidentsAnswer } from '../../../domain/answers/incidents';
import { termAnswer } from '../../../domain/answers/term';
import { readPageValue } from '../../../domain/presenters/registers/paging';
import { HELP_REPLY, helpCommand } from '../commands';
import { type CardPress, messageAnswer } from '../presses';
import { presentationAnswer } from '../replies';
import { changeCommand, wordsOf } from './answer-now';
import type { TeamsFamily } from './family';

const STALE = 'This card is out of date; nothing was changed.';

/** Previous / Next on an incident list: the page asked for, of the list (filters and all) the button carries. */
const incidentsPage: CardPress = async (_deps, ctx, { value }) => {
  const to = readPageValue(value);
  if (to?.kind !== 'incidents') return messageAnswer(STALE);
  return presentationAnswer(ctx, await incidentsAnswer(ctx, [to.query], to.page));
};

export const deskFamily: TeamsFamily = {
  replies: [
    HELP_REPLY,
    {
      words: ['spoc', 'incidents'],
      usage: 'spoc incidents [mine|unassigned|breached|closed|P1…P4|location <name>|reporter @person…]',
      summary: 'the incident queue, or your reports',
      present: (_deps, ctx, rest) => incidentsAnswer(ctx, wordsOf(rest)),
    },
    {
      words: ['spoc', 'incident'],
      usage: 'spoc incident INC-7',
      summary: 'one incident and its history',
      // `spoc incident INC-14 merge INC-13` merges a duplicate (office): said again, as a channel
      // answer is for whoever views it, it only says it is already merged.
      present: async (deps, ctx, rest) => {
        const words = wordsOf(rest);
        const answer = await incidentAnswer(ctx, words);
        if (words[1]?.toLowerCase() === 'merge') deps.kick?.();
        return answer;
      },
    },
    {
      words: ['spoc', 'term'],
      usage: 'spoc term list',
      summary: "the school's holidays",
      present: (_deps, ctx, rest) => termAnswer(ctx, wordsOf(rest)),
    },
    {
      // In an authority's own team: its member schools (or one), or an incident escalated to it.
      words: ['spoc', 'authority'],
      usage: 'spoc authority [<school>|open <school> INC-n]',
      summary: "the authority's member schools",
      present: (_deps, ctx, rest) => authorityAnswer(ctx, wordsOf(rest)),
    },
  ],
  commands: (deps) => [
    helpCommand(deps),
    ...(['add', 'remove'] as const).map((verb) =>
      changeCommand(deps, {
        words: ['spoc', 'term', verb],
        usage: `spoc term ${verb}`,
        summary: verb === 'add' ? 'record a school holiday' : 'remove a school holiday',
        run: (ctx, rest) => termAnswer(ctx, [verb, ...wordsOf(rest)]),
      }),
    ),
    // The authority's update on an incident escalated to it, and its hand-back: changes, said once.
    ...(['update', 'handback'] as const).map((verb) =>
      changeCommand(deps, {
        words: ['spoc', 'authority', verb],
        usage: `spoc authority ${verb} <school> INC-n ${verb === 'update' ? '<what you did>' : '[note]'}`,
        summary:
          verb === 'update'
            ? 'record your update on an escalated incident'
            : 'hand an incident back to its school',
        run: (ctx, rest) => authorityAnswer(ctx, [verb, ...wordsOf(rest)]),
      }),
    ),
  ],
  presses: {
    'incidents.previous': incidentsPage,
    'incidents.next': incidentsPage,
  },
};
