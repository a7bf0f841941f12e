/** `/spoc <subcommand>`: routing declared in one place; each branch calls one domain command. */
import type { App, RespondArguments } from '@slack/bolt';
import {
  getIncident,
  type IncidentListFilter,
  listIncidents,
} from '../../../domain/incidents/list-incidents';
import { PRIORITIES } from '../../../domain/incidents/priority';
import { isRole } from '../../../domain/roles';
import { roleChangedSentence, roleUsage, setRole } from '../../../domain/schools/set-role';
import { setupDoneLines, setupInAChannel, setupSchool } from '../../../domain/schools/setup-school';
import type { CommandArgs, SlackDeps } from '../deps';
import { guard, replyWithinBudget } from '../guard';
import { contextFor, slackWho } from '../identity';
import type { SlackMessage } from '../views/incident-card.view';
import { helpView, incidentDetailView, incidentListView, noticeView, usageView } from '../views/replies.view';

import { runExport, startImport } from './import-export';
import { REGISTER_SUBCOMMANDS } from './register-commands';
import { REPORT_SUBCOMMANDS, runReportCsv, wantsReportCsv } from './report-command';
import { SETTINGS_SUBCOMMANDS } from './settings-command';
import type { Handler } from './subcommand';
import { SUPPLY_SUBCOMMANDS } from './supply-commands';
import { termCommand } from './term-command';
import { WORK_SUBCOMMANDS } from './work-items';

const FILTERS: readonly string[] = ['open', 'mine', 'reported', 'all', ...PRIORITIES];

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
  term: termCommand,
  help: async (ctx) => helpView(ctx.actor.role),

  setup: async (ctx, _args, command, deps) => {
    if (command.channel_id.startsWith('D') || command.channel_name === 'directmessage') {
      return noticeView(setupInAChannel('/spoc setup'));
    }
    const result = await setupSchool(ctx, { slackChannelId: command.channel_id });
    if (!result.ok) return noticeView(result.error.message);
    deps.kick();
    const lines = setupDoneLines(
      result.value,
      ctx.school.name,
      {
        channel: (id) => `<#${id}>`,
        bold: (text) => `*${text}*`,
        roleCommand: '`/spoc role @person technician|office|admin`',
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
      return usageView(roleUsage('/spoc role'), ctx.actor.role);
    }
    const result = await setRole(ctx, {
      target: { slackUserId: target.userId, displayName: target.name },
      role,
    });
    if (!result.ok) return noticeView(result.error.message);
    return noticeView(roleChangedSentence(`<@${target.userId}>`, result.value, (t) => `*${t}*`));
  },

  incidents: async (ctx, args) => {
    const raw = args[0] ?? 'open';
    const filter = (/^p[1-4]$/i.test(raw) ? raw.toUpperCase() : raw.toLowerCase()) as IncidentListFilter;
    if (!FILTERS.includes(filter)) {
      return usageView(
        `I don't know the list \`${raw}\`: use open, mine, reported, all or P1…P4.`,
        ctx.actor.role,
      );
    }
    const result = await listIncidents(ctx, { filter });
    return result.ok ? incidentListView(result.value) : noticeView(result.error.message);
  },

  incident: async (ctx, args) => {
    if (!args[0]) return usageView('Usage: `/spoc incident INC-7`', ctx.actor.role);
    const result = await getIncident(ctx, { ref: args[0] });
    if (!result.ok) return noticeView(result.error.message);
    // The command gives only what the caller may see (a teacher: no staff notes, no liaison).
    const { incident, events, live } = result.value;
    return incidentDetailView(incident, events, ctx.school.timezone, live);
  },
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
        if (!handler) return ephemeral(usageView(`I don't know \`/spoc ${sub}\`.`, ctx.actor.role));
        return ephemeral(await handler(ctx, args, command, deps));
      });
    }),
  );
}
