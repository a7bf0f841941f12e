/**
 * Changes and problems in Teams: `spoc changes [filter] [page]`, `spoc problems`, `spoc change
 * CHG-3` and `spoc problem PRB-2`; a row's Open, Previous / Next; and the forms (New change, New
 * problem, Post update, Edit, Link incident, Resolve linked incidents) as dialogs — the same
 * answers, forms and domain commands as Slack's. The owner is chosen from the school's staff by
 * SPOC person id. A progress update that finishes a problem with incidents still open shows the
 * resolve form next in the same dialog, as Slack's modal does.
 */
import { randomUUID } from 'node:crypto';
import {
  changesCommandAnswer,
  isUsage,
  type Usage,
  workDetailCommandAnswer,
  workItemAnswer,
  workListAnswer,
} from '../../../domain/answers/work-items';
import {
  editWorkForm,
  linkForm,
  newChangeForm,
  newProblemForm,
  progressForm,
  resolveLinkedForm,
  type WorkForm,
  type WorkSaved,
} from '../../../domain/forms/work-items';
import { type Presentation, sentence } from '../../../domain/presenters/presentation';
import { readPageValue } from '../../../domain/presenters/registers/paging';
import { can, FORBIDDEN } from '../../../domain/roles';
import { WORK_LIST_FILTERS } from '../../../domain/work-items/types';
import { officeFormCard } from '../cards/office-form';
import { type Dialog, taskCard } from '../dialogs/dialog';
import { officeFormDialog } from '../dialogs/office-form';
import { type CardPress, messageAnswer } from '../presses';
import { presentationAnswer } from '../replies';
import type { TeamsFamily } from './family';

const STALE = 'This card is out of date; nothing was changed.';

const words = (rest: string) => rest.trim().split(/\s+/).filter(Boolean);
/** A usage is said as a sentence; anything else is the answer. */
const shown = (a: Presentation | Usage): Presentation => (isUsage(a) ? sentence(a.usage) : a);

/** Previous / Next on the list, by the filter the button names. */
const workPage: CardPress = async (_deps, ctx, { value }) => {
  const to = readPageValue(value);
  const filter = WORK_LIST_FILTERS.find((f) => f === to?.query);
  if (to?.kind !== 'work' || !filter) return messageAnswer(STALE);
  return presentationAnswer(ctx, await workListAnswer(ctx, filter, to.page));
};

/** A row's Open: the change or problem in full, in place of the list. */
const openPress: CardPress = async (_deps, ctx, { value }) => {
  if (!can(ctx.actor.role, 'work.view')) return messageAnswer(FORBIDDEN['work.view']);
  return presentationAnswer(ctx, await workItemAnswer(ctx, value));
};

/**
 * Post update: the shared dialog, and once an update finishes a problem whose incidents are
 * still open (for someone who may resolve them), the resolve form in its place, as a new form.
 */
function progressDialog(): Dialog {
  const base = officeFormDialog('work.progress', progressForm, { record: true });
  return {
    verb: 'work.progress',
    open: base.open,
    async submit(deps, ctx, value, formId, data, turn) {
      let next: WorkSaved['next'];
      const watched: WorkForm = {
        ...progressForm,
        async submit(tx, id, read, key) {
          const result = await progressForm.submit(tx, id, read, key);
          if (result.ok) next = result.value.next;
          return result;
        },
      };
      const answer = await officeFormDialog('work.progress', watched, { record: true }).submit(
        deps,
        ctx,
        value,
        formId,
        data,
        turn,
      );
      if (!next) return answer;
      return taskCard(
        next.spec.title,
        officeFormCard(next.spec, { formId: randomUUID(), verb: 'work.resolveLinked', value: next.id }),
      );
    },
  };
}

export const workItemsFamily: TeamsFamily = {
  replies: [
    {
      words: ['spoc', 'changes'],
      usage: 'spoc changes [open|changes|problems|all]',
      summary: 'changes and problems, with their progress',
      present: async (_deps, ctx, rest) => shown(await changesCommandAnswer(ctx, words(rest))),
    },
    {
      words: ['spoc', 'problems'],
      usage: 'spoc problems',
      summary: 'open problems',
      present: async (_deps, ctx, rest) => shown(await changesCommandAnswer(ctx, words(rest), 'problems')),
    },
    {
      words: ['spoc', 'change'],
      usage: 'spoc change CHG-3',
      summary: 'one change in full',
      present: async (_deps, ctx, rest) => shown(await workDetailCommandAnswer(ctx, words(rest), 'change')),
    },
    {
      words: ['spoc', 'problem'],
      usage: 'spoc problem PRB-2',
      summary: 'one problem in full',
      present: async (_deps, ctx, rest) => shown(await workDetailCommandAnswer(ctx, words(rest), 'problem')),
    },
  ],
  presses: {
    'work.view': openPress,
    'work.previous': workPage,
    'work.next': workPage,
  },
  dialogs: [
    officeFormDialog('work.newChange', newChangeForm, { record: false }),
    officeFormDialog('work.newProblem', newProblemForm, { record: false }),
    officeFormDialog('work.edit', editWorkForm, { record: true }),
    officeFormDialog('work.link', linkForm, { record: true }),
    officeFormDialog('work.resolveLinked', resolveLinkedForm, { record: true }),
    progressDialog(),
  ],
};
