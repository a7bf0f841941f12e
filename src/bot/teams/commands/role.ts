/**
 * `@SPOC spoc role @person technician` in a channel of the school's team (`/spoc role`'s twin).
 * The person comes from the message's mention entity, which carries their Teams id (`29:…`) and
 * name only; their Entra object id, by which SPOC keys people, is asked of Teams (`getMember`).
 */
import { type Mention, type TeamsChannelAccount, TeamsInfo, type TurnContext } from 'botbuilder';
import { can, FORBIDDEN, isRole } from '../../../domain/roles';
import { roleChangedSentence, roleUsage, setRole } from '../../../domain/schools/set-role';
import type { TeamsCommand } from '../commands';
import { markdownCode, say, type TeamsDeps, teamsChannelOf, teamsContext } from './deps';

const USAGE = `${roleUsage('@SPOC spoc role', markdownCode)} Say it in a channel of your school's team.`;

/** The people mentioned in a message, the bot left out. */
export function mentionedPeople(context: TurnContext): Mention['mentioned'][] {
  const bot = context.activity.recipient?.id;
  return (context.activity.entities ?? [])
    .filter((e) => e.type === 'mention')
    .map((e) => (e as unknown as Mention).mentioned)
    .filter((m) => m?.id && m.id !== bot);
}

export function roleCommand(deps: TeamsDeps): TeamsCommand {
  return {
    words: ['spoc', 'role'],
    usage: '@SPOC spoc role @person technician|office|admin',
    summary: 'admins: give someone a role',
    async run(context, rest) {
      const role = rest
        .replace(/<at>.*?<\/at>/g, ' ')
        .trim()
        .split(/\s+/)
        .pop()
        ?.toLowerCase();
      const mentioned = mentionedPeople(context);
      const target = mentioned[0];
      if (!teamsChannelOf(context) || mentioned.length !== 1 || !target || !role || !isRole(role)) {
        return say(context, USAGE);
      }
      const who = await teamsContext(deps, context);
      if (!who.ok) return say(context, who.message);
      // Not an admin: refused (as setRole would) before asking Teams about anyone.
      if (!can(who.ctx.actor.role, 'school.roles')) return say(context, FORBIDDEN['school.roles']);
      let member: TeamsChannelAccount | undefined;
      try {
        member = await TeamsInfo.getMember(context, target.id);
      } catch (error) {
        deps.log.warn({ err: error }, 'Teams member lookup failed');
      }
      if (!member?.aadObjectId) return say(context, 'I could not find that person.');
      const name = member.name || target.name || '';
      const result = await setRole(who.ctx, {
        target: { teamsUserId: member.aadObjectId, displayName: name },
        role,
      });
      if (!result.ok) return say(context, result.error.message);
      return say(
        context,
        roleChangedSentence(name || 'They', result.value, (t) => `**${t}**`),
      );
    },
  };
}
