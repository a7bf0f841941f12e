/**
 * The Bot Framework connector (Teams' side of every send) pinned with nock and recorded: a new
 * channel post, a reply or a personal message, an update in place, and the member lookup `spoc
 * role` makes. Every call is kept in order, with its path decoded and its body, so a test can say
 * what Teams was asked to show.
 */
import nock from 'nock';
import { CHANNEL_ID, COLLEAGUE, SERVICE_URL } from './teams-activities';

export interface ConnectorCall {
  method: 'CREATE' | 'POST' | 'PUT' | 'GET';
  path: string;
  body: Record<string, unknown>;
  /** The id Teams gave what was sent (a new post's or a reply's message id). */
  id?: string;
}

export interface RecordingConnector {
  /** Every call so far, oldest first. */
  calls: ConnectorCall[];
  /** Forgets the calls so far. */
  clear(): void;
}

/** A member of the team, as a member lookup returns them. */
export interface TeamMember {
  id: string;
  name: string;
  aadObjectId: string;
}

/**
 * Pins the connector at `SERVICE_URL` until `nock.cleanAll()`. A member lookup answers with the
 * given members (the colleague, `COLLEAGUE`, unless given), with their Entra object id, and 404
 * for anyone else, as Teams does. Each new channel post gets its own message id, from 9001.
 */
export function pinRecordingConnector(members: TeamMember[] = [COLLEAGUE]): RecordingConnector {
  const calls: ConnectorCall[] = [];
  let posted = 9000;
  const url = new URL(SERVICE_URL);
  const base = url.pathname.replace(/\/$/, '');
  const record = (method: ConnectorCall['method'], path: string, body: unknown) =>
    calls.push({ method, path: decodeURIComponent(path), body: (body ?? {}) as Record<string, unknown> });
  nock(url.origin)
    .persist()
    // A new post in a channel (the incident card, a reminder), as the outbox makes it.
    .post(`${base}/v3/conversations`)
    .reply((path, body) => {
      record('CREATE', path, body);
      posted += 1;
      calls[calls.length - 1]!.id = String(posted);
      return [200, { id: `${CHANNEL_ID};messageid=${posted}`, activityId: String(posted) }];
    })
    .post(new RegExp(`^${base}/v3/conversations/[^/]+/activities(/[^/]+)?$`))
    .reply((path, body) => {
      record('POST', path, body);
      const id = `1:reply-${calls.length}`;
      calls[calls.length - 1]!.id = id;
      return [200, { id }];
    })
    .put(new RegExp(`^${base}/v3/conversations/[^/]+/activities/[^/]+$`))
    .reply((path, body) => {
      record('PUT', path, body);
      return [200, { id: 'updated' }];
    })
    // What Teams says of a team member, asked for the mentioned person's Entra object id.
    .get(new RegExp(`^${base}/v3/conversations/[^/]+/members/[^/]+$`))
    .reply((path) => {
      record('GET', path, {});
      const member = members.find((m) => decodeURIComponent(path).endsWith(`/members/${m.id}`));
      return member
        ? [
            200,
            {
              ...member,
              objectId: member.aadObjectId,
              userPrincipalName: `${member.aadObjectId}@example.sch.uk`,
            },
          ]
        : [404, { error: { code: 'MemberNotFoundInConversation', message: 'Member not found' } }];
    });
  return {
    calls,
    clear: () => void calls.splice(0),
  };
}
