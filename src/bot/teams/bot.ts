/**
 * SPOC's Teams bot: keeps the conversation reference of every conversation it hears from in
 * Postgres (never in memory), and answers messages through the command router.
 */
import {
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type ConversationReference,
  type FileConsentCardResponse,
  type InvokeResponse,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  type TaskModuleRequest,
  type TaskModuleResponse,
  TeamsActivityHandler,
  TurnContext,
} from 'botbuilder';
import type { Database } from '../../db/client';
import {
  isTeamsConversationKind,
  saveTeamsConversation,
  type TeamsConversationInput,
} from '../../db/queries/teams-conversations';
import type { Clock } from '../../domain/clock';
import type { Logger } from '../../log';
import { handleCardAction, handleTaskFetch, handleTaskSubmit } from './actions';
import { answerWithHelp, matchCommand, type TeamsCommand } from './commands';
import { type TeamsDeps, type TeamsSubmit, teamsCommands } from './commands/index';
import { fetchReportTask, submitReportTask } from './commands/report-message';
import { sentFileOf } from './files';
import { acceptFile, answerFileAlone, declineFile } from './office/csv';
import { welcomeOnInstall } from './office/home';
import { answerSearch } from './search';

export interface TeamsBotOptions {
  database: Database;
  clock: Clock;
  log: Logger;
  /** Commands said to the bot; SPOC's own (`fault`, `spoc setup`, `spoc role`, …) unless given. */
  commands?: TeamsCommand[];
  /** Card submissions (`Action.Submit` data with a `verb`); SPOC's own unless given. */
  submits?: TeamsSubmit[];
  /** Wakes the outbox after a change (the card refreshed for everyone, the notices). */
  kick?: () => void;
}

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string };
  channel?: { id?: string; name?: string };
}

/**
 * What is stored for an activity's conversation, or undefined when it names no tenant (not
 * Teams). A channel is stored once, by the channel's id, not once per thread
 * (`19:…;messageid=…`), and no reference keeps the activity it came from, so a proactive send
 * starts a new message rather than replying to an old one.
 */
export function conversationOf(activity: Partial<Activity>): TeamsConversationInput | undefined {
  const channelData = (activity.channelData ?? {}) as TeamsChannelData;
  const conversation = activity.conversation;
  const tenantId = conversation?.tenantId ?? channelData.tenant?.id;
  if (!conversation?.id || !tenantId || !activity.serviceUrl) return undefined;
  const type = conversation.conversationType;
  const kind = isTeamsConversationKind(type) ? type : conversation.isGroup ? 'groupChat' : 'personal';
  const conversationId =
    kind === 'channel'
      ? (channelData.channel?.id ?? conversation.id.split(';')[0] ?? conversation.id)
      : conversation.id;
  const reference = TurnContext.getConversationReference(activity) as Partial<ConversationReference>;
  delete reference.activityId;
  reference.conversation = { ...conversation, id: conversationId };
  const personal = kind === 'personal' && activity.from?.id !== activity.recipient?.id;
  // Teams names the channel on its activities, except (on some clients) the team's General,
  // whose id is the team's: Teams' own name for it then.
  const teamId = channelData.team?.id;
  const said = channelData.channel?.name;
  const channelName = typeof said === 'string' ? said.trim().slice(0, 200) : undefined;
  const name =
    kind !== 'channel' ? undefined : channelName || (conversationId === teamId ? 'General' : undefined);
  const removed =
    (activity.type === 'installationUpdate' && String(activity.action ?? '').startsWith('remove')) ||
    (activity.type === 'conversationUpdate' &&
      (activity.membersRemoved ?? []).some((m) => m.id === activity.recipient?.id));
  return {
    tenantId,
    teamId,
    conversationId,
    kind,
    ...(name ? { name } : {}),
    aadObjectId: personal ? activity.from?.aadObjectId : undefined,
    userId: personal ? activity.from?.id : undefined,
    reference: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>,
    installed: !removed,
  };
}

export class SpocTeamsBot extends TeamsActivityHandler {
  readonly commands: TeamsCommand[];
  readonly submits: TeamsSubmit[];
  private readonly deps: TeamsDeps;

  constructor(private readonly options: TeamsBotOptions) {
    super();
    const { database, clock, log } = options;
    this.deps = { db: database.db, clock, log, kick: options.kick };
    const own = teamsCommands(this.deps);
    this.commands = options.commands ?? own.commands;
    this.submits = options.submits ?? own.submits;
    // Every activity first: its conversation's reference, stored or brought up to date.
    this.onTurn(async (context, next) => {
      const input = conversationOf(context.activity);
      if (input) {
        await saveTeamsConversation(database.db, input, clock.now());
      } else {
        log.debug({ type: context.activity.type }, 'Teams activity with no tenant: reference not stored');
      }
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.answer(context);
      await next();
    });
    // Installed for a person (personal scope): their home card, or the welcome.
    this.onInstallationUpdateAdd(async (context, next) => {
      if (context.activity.action === 'add') await welcomeOnInstall(this.deps, context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const { membersAdded, recipient } = context.activity;
      if ((membersAdded ?? []).some((m) => m.id === recipient?.id))
        await welcomeOnInstall(this.deps, context);
      await next();
    });
  }

  /**
   * A card's type-ahead (`application/search`, from an `Input.ChoiceSet` with a `Data.Query`):
   * answered here rather than in `onSearchInvoke`, because botbuilder refuses a search with no
   * text (400) before calling it, and an empty search (the list just opened) should list the
   * first locations. Every other invoke goes on as botbuilder routes it.
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name === 'application/search') {
      return { status: 200, body: await answerSearch(this.deps, context) };
    }
    return super.onInvokeActivity(context);
  }

  /** A card's button (`Action.Execute`): Claim, or a stale card asking to be refreshed. */
  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    return handleCardAction(this.deps, context, invokeValue);
  }

  /** A card button that opens a dialog (`Action.Submit` with `msteams.type` `task/fetch`): Resolve. */
  protected override async handleTeamsTaskModuleFetch(
    context: TurnContext,
    request: TaskModuleRequest,
  ): Promise<TaskModuleResponse> {
    return (await handleTaskFetch(this.deps, context, request?.data)) as TaskModuleResponse;
  }

  /** That dialog's submit: kept open with the errors, or closed once done. */
  protected override async handleTeamsTaskModuleSubmit(
    context: TurnContext,
    request: TaskModuleRequest,
  ): Promise<TaskModuleResponse> {
    return (await handleTaskSubmit(this.deps, context, request?.data)) as TaskModuleResponse;
  }

  /** A file SPOC offered (an export) accepted: made again and put in the person's OneDrive. */
  protected override async handleTeamsFileConsentAccept(
    context: TurnContext,
    response: FileConsentCardResponse,
  ): Promise<void> {
    await acceptFile(this.deps, context, response);
  }

  /** A file SPOC offered declined: nothing is made. */
  protected override async handleTeamsFileConsentDecline(
    context: TurnContext,
    response: FileConsentCardResponse,
  ): Promise<void> {
    await declineFile(this.deps, context, response);
  }

  /** The message action "Report ICT fault": the fault form as a dialog, pre-filled with the message. */
  protected override async handleTeamsMessagingExtensionFetchTask(
    context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    return (await fetchReportTask(this.deps, context, action)) as MessagingExtensionActionResponse;
  }

  /** The dialog's submit: the fault reported once, answered with its reference. */
  protected override async handleTeamsMessagingExtensionSubmitAction(
    context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    return (await submitReportTask(this.deps, context, action)) as MessagingExtensionActionResponse;
  }

  /**
   * Runs the command the message names, or answers with the help. A card's `Action.Submit`
   * arrives as a message with no text and the card's data in `value`: it goes by its `verb`.
   */
  async answer(context: TurnContext): Promise<void> {
    const value = context.activity.value as Record<string, unknown> | undefined;
    if (value && typeof value === 'object' && typeof value.verb === 'string' && !context.activity.text) {
      const submit = this.submits.find((s) => s.verb === value.verb);
      if (submit) return submit.run(context, value);
      this.options.log.debug({ verb: value.verb }, 'Teams card submission with an unknown verb');
    }
    const text = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '';
    const match = matchCommand(this.commands, text);
    if (match) return match.command.run(context, match.rest);
    // A file sent with no command: for the register `spoc import` named, else asked which.
    if (sentFileOf(context)) return answerFileAlone(this.deps, context);
    this.options.log.debug('Teams message with no command: answered with the help');
    await answerWithHelp(this.deps, context);
  }
}
