/**
 * The helpdesk's answers in Teams: `spoc help` and `help`, `spoc incidents [filters…]` (open, mine,
 * reported, all, unassigned, breached, closed, P1…P4, location <name>, asset <tag>, reporter
 * @person) with Previous / Next carrying the filters, `spoc incident INC-7`, and the school's
 * holidays (`spoc term list`, `spoc term add …`, `spoc term remove …`): the same answers, words and
 * role checks as Slack's.
 */
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
      present: (_deps, ctx, rest) => incidentAnswer(ctx, wordsOf(rest)),
    },
    {
      words: ['spoc', 'term'],
      usage: 'spoc term list',
      summary: "the school's holidays",
      present: (_deps, ctx, rest) => termAnswer(ctx, wordsOf(rest)),
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
  ],
  presses: {
    'incidents.previous': incidentsPage,
    'incidents.next': incidentsPage,
  },
};
