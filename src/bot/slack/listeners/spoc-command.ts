/** `/spoc <subcommand>`: routing declared in one place; each branch calls one domain command. */
import type { App, RespondArguments } from '@slack/bolt';
import { authorityAnswer } from '../../../domain/answers/authority';
import { helpAnswer, unknownCommandAnswer } from '../../../domain/answers/help';
import { incidentAnswer, incidentsAnswer } from '../../../domain/answers/incidents';
import { readPageValue } from '../../../domain/presenters/registers/paging';
import { isRole } from '../../../domain/roles';
import { roleChangedSentence, roleUsage, setRole } from '../../../domain/schools/set-role';
import { setupDoneLines, setupInAChannel, setupSchool } from '../../../domain/schools/setup-school';
import type { ButtonArgs, CommandArgs, SlackDeps } from '../deps';
import { guard, replyWithinBudget } from '../guard';
import { contextFor, slackWho } from '../identity';
import type { SlackMessage } from '../views/incident-card.view';
import { renderMessage, SLACK_ACTION } from '../views/render';
import { noticeView, usageView } from '../views/replies.view';
import { answerStale, reply } from './form-kit';

import { runExport, startImport } from './import-export';
import { FIX_SUBCOMMANDS } from './known-fixes';
import { REGISTER_SUBCOMMANDS } from './register-commands';
import { REPORT_SUBCOMMANDS, runReportCsv, wantsReportCsv } from './report-command';
import { SETTINGS_SUBCOMMANDS } from './settings-command';
import type { Handler } from './subcommand';
import { SUPPLY_SUBCOMMANDS } from './supply-commands';
import { termCommand } from './term-command';
import { WORK_SUBCOMMANDS } from './work-items';

/** `<@U123>` or `<@U123|name>` (with escaping on, Slack sends mentions in this form). */
export function parseMention(token: string | undefined): { userId: string; name?: string } | null {
  const match = /^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$/.exec(token ?? '');
  return match?.[1] ? { userId: match[1], ...(match[2] ? { name: match[2] } : {}) } : null;
}

const SUBCOMMANDS: Record<string, Handler> = {
  ...REGISTER_SUBCOMMANDS,
  ...SUPPLY_SUBCOMMANDS,
  ...SETTINGS_SUBCOMMANDS,
  ...WORK_SUBCOMMANDS,
  ...REPORT_SUBCOMMANDS,
  ...FIX_SUBCOMMANDS,
  term: termCommand,
  // `/spoc help incidnets`: "Did you mean …?" above the help, as for `/spoc incidnets`.
  help: async (ctx, args) => renderMessage(helpAnswer(ctx, args)),

  setup: async (ctx, _args, command, deps) => {
    if (command.channel_id.startsWith('D') || command.channel_name === 'directmessage') {
      return noticeView(setupInAChannel('/spoc setup', (t) => `\`${t}\``));
    }
    const result = await setupSchool(ctx, { slackChannelId: command.channel_id, topic: true });
    if (!result.ok) return noticeView(result.error.message);
    deps.kick();
    const lines = setupDoneLines(
      result.value,
      ctx.school.name,
      {
        channel: (id) => `<#${id}>`,
        bold: (text) => `*${text}*`,
        roleCommand: '`/spoc role @person technician|office|admin`',
        topic: true,
      },
      ':white_check_mark: ',
    );
    lines.push('If this is a private channel, invite me with `/invite @SPOC` so I can post here.');
    return noticeView(lines.join('\n'));
  },

  role: async (ctx, args, _command, _deps) => {
    const target = parseMention(args[0]);
    const role = args[1]?.toLowerCase();
    if (!target || !role || !isRole(role)) {
      return usageView(
        roleUsage('/spoc role', (t) => `\`${t}\``),
        ctx.actor.role,
      );
    }
    const result = await setRole(ctx, {
      target: { slackUserId: target.userId, displayName: target.name },
      role,
    });
    if (!result.ok) return noticeView(result.error.message);
    return noticeView(roleChangedSentence(`<@${target.userId}>`, result.value, (t) => `*${t}*`));
  },

  incidents: async (ctx, args) => renderMessage(await incidentsAnswer(ctx, args), ctx.school.timezone),

  incident: async (ctx, args, _command, deps) => {
    const answer = renderMessage(await incidentAnswer(ctx, args), ctx.school.timezone);
    // `incident INC-14 merge INC-13` changes two cards and tells the duplicate's reporter.
    if (args[1]?.toLowerCase() === 'merge') deps.kick();
    return answer;
  },

  // In an authority's own workspace: its member schools, and the incidents they escalated to it.
  authority: async (ctx, args) => renderMessage(await authorityAnswer(ctx, args), ctx.school.timezone),
};

export function registerSpocCommand(app: App, deps: SlackDeps): void {
  app.command(
    '/spoc',
    guard<CommandArgs>(deps, async (args) => {
      const { ack, command, respond } = args;
      const [first, second] = command.text.trim().split(/\s+/);
      // Import and export open a form or send a file: they ack first and work after.
      if (first?.toLowerCase() === 'import') return startImport(deps, args, second);
      if (first?.toLowerCase() === 'export') return runExport(deps, args, second);
      if (wantsReportCsv(command.text)) return runReportCsv(deps, args);
      const ephemeral = (m: SlackMessage): RespondArguments => ({
        response_type: 'ephemeral',
        text: m.text,
        blocks: m.blocks,
      });
      await replyWithinBudget<RespondArguments>(deps, ack, respond, async () => {
        const ctx = await contextFor(deps, slackWho(command));
        const [sub = 'help', ...args] = command.text.trim().split(/\s+/).filter(Boolean);
        const name = sub.toLowerCase();
        const handler = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
        // A slip for a command gets "Did you mean …?"; other words are said back. The help follows.
        if (!handler) return ephemeral(renderMessage(unknownCommandAnswer(ctx, sub)));
        return ephemeral(await handler(ctx, args, command, deps));
      });
    }),
  );

  // Previous / Next on an incident list: the page asked for, of the same list (the button carries
  // its filters as words, read again as typed), in place of the one pressed.
  for (const id of [SLACK_ACTION['incidents.previous'], SLACK_ACTION['incidents.next']]) {
    app.action(
      id,
      guard<ButtonArgs>(deps, async (args) => {
        await args.ack();
        const body = args.body;
        const action = body.actions[0];
        const to = readPageValue(action && 'value' in action ? String(action.value ?? '') : '');
        if (to?.kind !== 'incidents') return answerStale(args);
        const ctx = await contextFor(deps, slackWho(body));
        const page = await incidentsAnswer(ctx, [to.query], to.page);
        await reply(args, renderMessage(page, ctx.school.timezone), true);
      }),
    );
  }
}
