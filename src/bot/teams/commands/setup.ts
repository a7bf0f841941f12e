/** `@SPOC spoc setup` in a channel: that channel becomes the school's SPOC channel (`/spoc setup`'s twin). */
import { setupDoneLines, setupInAChannel, setupSchool } from '../../../domain/schools/setup-school';
import type { TeamsCommand } from '../commands';
import { markdownCode, say, type TeamsDeps, teamsChannelOf, teamsContext } from './deps';

export function setupCommand(deps: TeamsDeps): TeamsCommand {
  return {
    words: ['spoc', 'setup'],
    usage: '@SPOC spoc setup',
    summary: "in a channel of your school's team: make it the SPOC channel, where fault reports go",
    async run(context) {
      const channelId = teamsChannelOf(context);
      if (!channelId) return say(context, setupInAChannel('@SPOC spoc setup', markdownCode));
      const who = await teamsContext(deps, context);
      if (!who.ok) return say(context, who.message);
      const { ctx } = who;
      const result = await setupSchool(ctx, { teamsChannelId: channelId });
      if (!result.ok) return say(context, result.error.message);
      // Messages that waited for a SPOC channel go now.
      deps.kick?.();
      const lines = setupDoneLines(result.value, ctx.school.name, {
        // Teams has no markdown for a channel link: this channel, or the one before it.
        channel: (id) => (id === channelId ? 'This channel' : 'another channel'),
        bold: (text) => `**${text}**`,
        roleCommand: markdownCode('@SPOC spoc role @person technician|office|admin'),
      });
      deps.log.info(
        { schoolId: ctx.actor.schoolId, becameAdmin: result.value.becameAdmin },
        'Teams school set up',
      );
      return say(context, lines.join('\n\n'));
    },
  };
}
