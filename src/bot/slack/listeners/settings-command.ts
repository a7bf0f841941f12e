/**
 * `/spoc settings [sla P1 30m 4h | hours 08:30 15:30]` and its Edit form. Staff may look; the
 * commands let only an admin change anything.
 */
import type { App } from '@slack/bolt';
import { PRIORITIES, type Priority } from '../../../domain/incidents/priority';
import { formatSchoolMinutes } from '../../../domain/incidents/sla';
import { can, FORBIDDEN } from '../../../domain/roles';
import {
  getSchoolSettings,
  LEAD_TIME_FIELDS,
  LEAD_TIME_LABELS,
  type SchoolSettings,
  targetField,
  type UpdateSettingsInput,
  updateSchoolSettings,
} from '../../../domain/schools/settings';
import type { ButtonArgs, SlackDeps, SubmitArgs } from '../deps';
import { guard, submitWithinBudget } from '../guard';
import { contextFor, slackWho } from '../identity';
import { ACTION, CALLBACK, SETTINGS_BLOCK } from '../ids';
import { type FormReply, replyOnce } from '../submit-once';
import { fieldErrors, readState } from '../view-state';
import type { SlackMessage } from '../views/incident-card.view';
import { noticeView, usageView } from '../views/replies.view';
import { SETTINGS_USAGE, settingsModalView, settingsSavedView, settingsView } from '../views/settings.view';
import type { Handler, SlackCtx } from './subcommand';

/** "1 day 3 days" typed as words: a bare number takes the unit word after it. */
export function durationWords(words: string[]): string[] {
  const out: string[] = [];
  for (const word of words) {
    const last = out.length - 1;
    if (/^[a-z]+$/i.test(word) && last >= 0 && /^\d+(\.\d+)?$/.test(out[last] ?? '')) out[last] += ` ${word}`;
    else out.push(word);
  }
  return out;
}

const FIELD_LABELS: Record<string, string> = {
  dayStart: 'start of the day',
  dayEnd: 'end of the day',
  ...Object.fromEntries(
    PRIORITIES.flatMap((p) => [
      [targetField(p, 'respond'), `${p} respond`],
      [targetField(p, 'resolve'), `${p} fix`],
    ]),
  ),
  ...LEAD_TIME_LABELS,
};

async function change(
  ctx: SlackCtx,
  input: UpdateSettingsInput,
  done: (s: SchoolSettings) => string,
): Promise<SlackMessage> {
  const result = await updateSchoolSettings(ctx, input);
  if (!result.ok) {
    const problems = Object.entries(result.error.fields ?? {}).map(
      ([field, message]) => `• ${FIELD_LABELS[field] ?? field}: ${message}`,
    );
    if (result.error.code !== 'VALIDATION') return noticeView(result.error.message);
    return noticeView([result.error.message, ...problems, SETTINGS_USAGE].join('\n'));
  }
  const unchanged = Object.keys(result.value.changes).length === 0;
  return noticeView(`${unchanged ? 'No change: ' : ':white_check_mark: '}${done(result.value.settings)}`);
}

export const settingsCommand: Handler = async (ctx, args) => {
  const [verb, ...rest] = args;
  if (!verb) {
    const settings = await getSchoolSettings(ctx);
    if (!settings.ok) return noticeView(settings.error.message);
    return settingsView(settings.value, can(ctx.actor.role, 'school.settings'));
  }
  switch (verb.toLowerCase()) {
    case 'sla': {
      const priority = rest[0]?.toUpperCase() as Priority | undefined;
      const times = durationWords(rest.slice(1));
      if (!priority || !PRIORITIES.includes(priority) || times.length !== 2) {
        return usageView(SETTINGS_USAGE, ctx.actor.role);
      }
      const [respond = '', resolve = ''] = times;
      return change(
        ctx,
        { sla: { [priority]: { respond, resolve } } },
        (s) =>
          `${priority}: respond within ${formatSchoolMinutes(s.sla[priority].respondMinutes, s.dayMinutes)}, fix within ${formatSchoolMinutes(s.sla[priority].resolveMinutes, s.dayMinutes)} (school time). New reports and re-triaged incidents get these targets.`,
      );
    }
    case 'hours': {
      const [dayStart, dayEnd] = rest;
      if (!dayStart || !dayEnd || rest.length !== 2) return usageView(SETTINGS_USAGE, ctx.actor.role);
      return change(ctx, { dayStart, dayEnd }, (s) => `the school day is ${s.dayStart}–${s.dayEnd}.`);
    }
    default:
      return usageView(SETTINGS_USAGE, ctx.actor.role);
  }
};

export const SETTINGS_SUBCOMMANDS: Record<string, Handler> = { settings: settingsCommand };

export function registerSettingsActions(app: App, deps: SlackDeps): void {
  app.action(
    ACTION.settingsEdit,
    guard<ButtonArgs>(deps, async (args) => {
      await args.ack();
      const ctx = await contextFor(deps, slackWho(args.body));
      if (!can(ctx.actor.role, 'school.settings')) {
        await args.respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: FORBIDDEN['school.settings'],
        });
        return;
      }
      const settings = await getSchoolSettings(ctx);
      if (!settings.ok) {
        await args.respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: settings.error.message,
        });
        return;
      }
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: settingsModalView(settings.value),
      });
    }),
  );

  app.view(
    CALLBACK.settingsModal,
    guard<SubmitArgs>(deps, async (args) => {
      const { body, view } = args;
      await submitWithinBudget(deps, args, async () => {
        const ctx = await contextFor(deps, slackWho(body));
        const value = readState(view.state.values);
        const typed = (block: string) => value(block) ?? '';
        const { reply } = await replyOnce(ctx, view, async (tx): Promise<FormReply> => {
          const result = await updateSchoolSettings(tx, {
            dayStart: typed(SETTINGS_BLOCK.dayStart),
            dayEnd: typed(SETTINGS_BLOCK.dayEnd),
            sla: Object.fromEntries(
              PRIORITIES.map((p) => [
                p,
                {
                  respond: typed(SETTINGS_BLOCK[targetField(p, 'respond')]),
                  resolve: typed(SETTINGS_BLOCK[targetField(p, 'resolve')]),
                },
              ]),
            ),
            leadTimes: Object.fromEntries(LEAD_TIME_FIELDS.map((f) => [f, typed(SETTINGS_BLOCK[f])])),
          });
          if (!result.ok) {
            return {
              response_action: 'errors',
              errors: fieldErrors(result.error, SETTINGS_BLOCK, SETTINGS_BLOCK.dayStart),
            };
          }
          deps.log.info(
            { schoolId: ctx.actor.schoolId, changed: Object.keys(result.value.changes) },
            'school settings saved',
          );
          return {
            response_action: 'update',
            view: settingsSavedView(result.value.settings, Object.keys(result.value.changes).length),
          };
        });
        return reply;
      });
    }),
  );
}
