/**
 * `/spoc fixes` in Slack: the school's known fixes with their uses (technicians, office and
 * admin), and for the office a row's Edit, Retire / Put back in use, Add a fix and the pages. The
 * form is the domain's own (`knownFixForm`); every change goes through a domain command.
 */
import type { App } from '@slack/bolt';
import { fixesAnswer, pageOfFix } from '../../../domain/answers/known-fixes';
import { knownFixForm } from '../../../domain/forms/known-fixes';
import type { FixScope, SaveFixOnResolve } from '../../../domain/known-fixes/from-incident';
import { setKnownFixRetired } from '../../../domain/known-fixes/known-fixes';
import { FIXES_PAGE, fixRetiredText } from '../../../domain/presenters/known-fixes';
import { sentence } from '../../../domain/presenters/presentation';
import { readPageValue } from '../../../domain/presenters/registers/paging';
import type { ButtonArgs, SlackDeps } from '../deps';
import { guard } from '../guard';
import { contextFor, slackWho } from '../identity';
import { ACTION, CALLBACK, RESOLVE_BLOCK } from '../ids';
import type { StateReader } from '../view-state';
import { SAVE_FIX_TICKED } from '../views/known-fix.view';
import { renderMessage } from '../views/render';
import { actionValue, answerStale, onButton, reply } from './form-kit';
import { registerOfficeForm } from './office-forms';
import type { Handler } from './subcommand';

/** The Resolve modal's "Save as a known fix", when ticked: what to save (blanks take the defaults). */
export function savedFixOf(value: StateReader): SaveFixOnResolve | undefined {
  if (!value.checked(RESOLVE_BLOCK.saveFix).includes(SAVE_FIX_TICKED)) return undefined;
  return {
    title: value(RESOLVE_BLOCK.fixTitle),
    steps: value(RESOLVE_BLOCK.fixSteps),
    keywords: value(RESOLVE_BLOCK.fixKeywords),
    scope: value(RESOLVE_BLOCK.fixScope) as FixScope | undefined,
  };
}

export const FIX_SUBCOMMANDS: Record<string, Handler> = {
  fixes: async (ctx, args) =>
    renderMessage(await fixesAnswer(ctx, Math.max(1, Number(args[0]) || 1)), ctx.school.timezone),
};

export function registerKnownFixActions(app: App, deps: SlackDeps): void {
  registerOfficeForm(app, deps, knownFixForm, CALLBACK.knownFixModal, [
    { actionId: ACTION.fixAdd, record: false },
    { actionId: ACTION.fixEdit, record: true },
  ]);
  // Retire or put back: the list again, in place, with what was done over it.
  for (const [actionId, retired] of [
    [ACTION.fixRetire, true],
    [ACTION.fixRestore, false],
  ] as const) {
    onButton(app, deps, actionId, async (args, fixId) => {
      const ctx = await contextFor(deps, slackWho(args.body));
      const done = await setKnownFixRetired(ctx, { fixId, retired });
      const before = sentence(done.ok ? fixRetiredText(done.value) : done.error.message);
      const page = done.ok ? await pageOfFix(ctx, fixId, FIXES_PAGE) : 1;
      await reply(args, renderMessage(await fixesAnswer(ctx, page, before), ctx.school.timezone), true);
    });
  }
  app.action(
    new RegExp(`^${ACTION.fixesPage}_(prev|next)$`),
    guard<ButtonArgs>(deps, async (args) => {
      await args.ack();
      const value = readPageValue(actionValue(args.body));
      if (value?.kind !== 'fixes') return answerStale(args);
      const ctx = await contextFor(deps, slackWho(args.body));
      await reply(args, renderMessage(await fixesAnswer(ctx, value.page), ctx.school.timezone), true);
    }),
  );
}
