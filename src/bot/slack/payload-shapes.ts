/**
 * The request bodies SPOC accepts on `/slack/events`, checked before Bolt sees them: a slash
 * command's form fields, an interactive payload of a type SPOC answers, or an Events API envelope.
 * Anything else (null, a bare string or number, an array, an unknown payload type, an action with
 * no user, a submission with no view) is refused with 400, so no handler ever reads a field of
 * something that is not there.
 */
import { parse as parseQuery } from 'node:querystring';
import { z } from 'zod';

const id = z.string().min(1);
const User = z.looseObject({ id, team_id: z.string().optional() });
const Team = z.looseObject({ id }).nullable().optional();
const Enterprise = z.looseObject({ id }).nullable().optional();
const View = z.looseObject({ id, callback_id: z.string(), type: z.string().optional() });

const interactiveBase = { user: User, team: Team, enterprise: Enterprise };

/** Interactive payloads (the form field `payload`), by type. */
export const InteractivePayload = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('block_actions'),
    ...interactiveBase,
    actions: z.array(z.looseObject({ action_id: z.string() })).min(1),
  }),
  z.looseObject({ type: z.literal('view_submission'), ...interactiveBase, view: View }),
  z.looseObject({ type: z.literal('view_closed'), ...interactiveBase, view: View }),
  z.looseObject({
    type: z.literal('block_suggestion'),
    ...interactiveBase,
    action_id: z.string(),
    value: z.string(),
  }),
  z.looseObject({
    type: z.literal('message_action'),
    ...interactiveBase,
    callback_id: z.string(),
    trigger_id: z.string(),
  }),
  z.looseObject({
    type: z.literal('shortcut'),
    ...interactiveBase,
    callback_id: z.string(),
    trigger_id: z.string(),
  }),
]);

/** A slash command's form fields. */
export const CommandBody = z.looseObject({
  command: z.string().startsWith('/'),
  team_id: id,
  enterprise_id: z.string().optional(),
  user_id: id,
  text: z.string().optional(),
});

/** Events API envelopes. */
export const EventBody = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('url_verification'), challenge: z.string() }),
  z.looseObject({
    type: z.literal('event_callback'),
    team_id: z.string().optional(),
    enterprise_id: z.string().nullable().optional(),
    event: z.looseObject({ type: z.string() }),
  }),
  z.looseObject({ type: z.literal('app_rate_limited'), team_id: z.string().optional() }),
]);

export type SlackBody =
  | { kind: 'command'; body: z.infer<typeof CommandBody> }
  | { kind: 'interactive'; body: z.infer<typeof InteractivePayload> }
  | { kind: 'event'; body: z.infer<typeof EventBody> };

/** The workspace a request comes from, as SPOC identifies it (see identity.ts). */
export interface Workspace {
  teamId?: string;
  enterpriseId?: string;
}

export function workspaceOf(request: SlackBody): Workspace {
  if (request.kind === 'command') {
    return { teamId: request.body.team_id, enterpriseId: request.body.enterprise_id || undefined };
  }
  if (request.kind === 'event') {
    const b = request.body;
    if (b.type === 'url_verification') return {};
    const enterpriseId = b.type === 'event_callback' ? b.enterprise_id : undefined;
    return { teamId: b.team_id || undefined, enterpriseId: enterpriseId || undefined };
  }
  const b = request.body;
  return {
    teamId: b.team?.id ?? b.user.team_id ?? undefined,
    enterpriseId: b.enterprise?.id ?? undefined,
  };
}

/** Slack's URL check when the events URL is set up: the one request that names no workspace. */
export function isUrlVerification(request: SlackBody): boolean {
  return request.kind === 'event' && request.body.type === 'url_verification';
}

/** Which accepted shape an already-parsed body has (Socket Mode hands bodies over parsed). */
export function classifySlackBody(body: unknown): SlackBody | undefined {
  const command = CommandBody.safeParse(body);
  if (command.success) return { kind: 'command', body: command.data };
  const interactive = InteractivePayload.safeParse(body);
  if (interactive.success) return { kind: 'interactive', body: interactive.data };
  const event = EventBody.safeParse(body);
  return event.success ? { kind: 'event', body: event.data } : undefined;
}

/** Parses a raw body as Slack sends it; `undefined` when it is not one SPOC accepts. */
export function parseSlackBody(raw: string, contentType: string | undefined): SlackBody | undefined {
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      // Parsed the way Bolt parses it, so both read the same fields (a repeated field is an array).
      const fields = parseQuery(raw);
      if ('payload' in fields) {
        if (typeof fields.payload !== 'string') return undefined;
        const payload = InteractivePayload.safeParse(JSON.parse(fields.payload));
        return payload.success ? { kind: 'interactive', body: payload.data } : undefined;
      }
      const command = CommandBody.safeParse(fields);
      return command.success ? { kind: 'command', body: command.data } : undefined;
    }
    const event = EventBody.safeParse(JSON.parse(raw));
    return event.success ? { kind: 'event', body: event.data } : undefined;
  } catch {
    return undefined;
  }
}
