import { enqueue, wakeSchool } from '../../db/queries/outbox';
import { lockAdmins, setPersonRole } from '../../db/queries/people';
import { lockSchool, setSlackChannel, setTeamsChannel } from '../../db/queries/schools';
import type { Ctx } from '../context';
import { serviceHoursSentence } from '../presenters/service-hours';
import { DomainFailure, type Result } from '../result';
import { inTransaction } from '../transaction';

/** The channel that becomes the school's SPOC channel (triage cards and reminders go there). */
export type SetupSchoolInput =
  | {
      slackChannelId: string;
      /**
       * Show the service's hours in the channel's topic (set through the outbox): asked by the
       * `/spoc setup` command, whose person sees the topic change; not by the demo seed or tests
       * that only need a SPOC channel.
       */
      topic?: boolean;
    }
  /** A Teams channel (`channelData.channel.id`) of the school's team. */
  | { teamsChannelId: string };

export interface SetupSchoolOutput {
  channelId: string;
  previousChannelId: string | null;
  /** True when the caller was made the school's first admin. */
  becameAdmin: boolean;
  /** The school day: the service's published hours. */
  hours?: { dayStart: string; dayEnd: string };
}

/**
 * Makes a channel the school's SPOC channel. The first person to do it becomes admin; after
 * that only an admin may move the channel. Messages that waited for a channel are sent now.
 */
export async function setupSchool(ctx: Ctx, input: SetupSchoolInput): Promise<Result<SetupSchoolOutput>> {
  const { actor, clock } = ctx;
  return inTransaction(ctx.db, async (tx) => {
    const school = await lockSchool(tx, actor.schoolId);
    if (!school) throw new Error(`school ${actor.schoolId} missing`);
    const admins = await lockAdmins(tx, actor.schoolId);
    const isAdmin = admins.some((a) => a.id === actor.personId);
    if (admins.length > 0 && !isAdmin) {
      throw new DomainFailure({
        code: 'AUTH.FORBIDDEN',
        message: 'SPOC is already set up here. Only an admin can move the SPOC channel.',
      });
    }
    if (admins.length === 0) await setPersonRole(tx, actor.schoolId, actor.personId, 'admin', clock.now());
    const teams = 'teamsChannelId' in input;
    const channelId = teams ? input.teamsChannelId : input.slackChannelId;
    if (teams) await setTeamsChannel(tx, actor.schoolId, channelId);
    else await setSlackChannel(tx, actor.schoolId, channelId);
    await wakeSchool(tx, actor.schoolId, clock.now());
    // The service's hours go in the Slack channel's topic (a Teams channel has none a bot may set).
    if ('topic' in input && input.topic)
      await enqueue(tx, actor.schoolId, [{ type: 'channel.topic' }], clock.now());
    return {
      channelId,
      previousChannelId: teams ? school.teamsChannelId : school.slackChannelId,
      becameAdmin: admins.length === 0,
      hours: { dayStart: school.dayStart, dayEnd: school.dayEnd },
    };
  });
}

/** How each platform writes what the setup answer says: its markdown and its command. */
export interface SetupWording {
  /** The channel, as the platform mentions it. */
  channel(id: string): string;
  bold(text: string): string;
  /** How the role command is said there, in the platform's markup: "`/spoc role @person technician|office|admin`". */
  roleCommand: string;
  /** Whether SPOC shows the service's hours in the channel's topic there (Slack; Teams has no topic a bot may set). */
  topic?: boolean;
}

/**
 * Said where setup cannot be done (a direct message): the same sentence on every platform, with
 * its command as said there ("/spoc setup", "@SPOC spoc setup") set apart by the platform's own
 * markup (`code`); without it, plain words (no raw backticks where a platform shows text as it is).
 */
export function setupInAChannel(command: string, code: (text: string) => string = (t) => t): string {
  return `Run ${code(command)} in the channel where fault reports should go, not in a direct message.`;
}

/** The answer to a successful setup, decided once for Slack and Teams. */
export function setupDoneLines(
  out: SetupSchoolOutput,
  schoolName: string,
  w: SetupWording,
  emoji = '',
): string[] {
  const lines = [
    `${emoji}${w.channel(out.channelId)} is now the SPOC channel for ${w.bold(schoolName)}: new fault reports will appear here.`,
  ];
  if (out.becameAdmin) lines.push(`You are the first admin. Give people roles with ${w.roleCommand}.`);
  if (out.previousChannelId && out.previousChannelId !== out.channelId) {
    lines.push(`(It was ${w.channel(out.previousChannelId)}; cards already posted there stay there.)`);
  }
  if (out.hours) {
    lines.push(
      `${serviceHoursSentence(out.hours)}${w.topic ? " The channel's topic shows these hours." : ''}`,
    );
  }
  return lines;
}
