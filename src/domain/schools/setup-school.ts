import { wakeSchool } from '../../db/queries/outbox';
import { lockAdmins, setPersonRole } from '../../db/queries/people';
import { lockSchool, setSlackChannel } from '../../db/queries/schools';
import type { Ctx } from '../context';
import { DomainFailure, type Result } from '../result';
import { inTransaction } from '../transaction';

export interface SetupSchoolInput {
  /** The channel that becomes the school's SPOC channel (triage cards and reminders go there). */
  slackChannelId: string;
}

export interface SetupSchoolOutput {
  channelId: string;
  previousChannelId: string | null;
  /** True when the caller was made the school's first admin. */
  becameAdmin: boolean;
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
    await setSlackChannel(tx, actor.schoolId, input.slackChannelId);
    await wakeSchool(tx, actor.schoolId, clock.now());
    return {
      channelId: input.slackChannelId,
      previousChannelId: school.slackChannelId,
      becameAdmin: admins.length === 0,
    };
  });
}
