/**
 * Every Slack request's text made fit to store before any listener sees it: a NUL pasted into a
 * form, a slash command or a message would otherwise reach Postgres (which refuses it) and turn a
 * fault report into an apology. Signatures are checked on the raw body before this runs.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { cleanStringsInPlace } from '../../domain/text';

/**
 * Global middleware (`app.use`): cleans every string in the request body in place (see
 * cleanStringsInPlace). Bolt's `payload`, `view`, `action`, `command` and `event` are parts of
 * that same body, so listeners see the clean text whichever they read.
 */
export const cleanSlackInput: Middleware<AnyMiddlewareArgs> = async ({ body, next }) => {
  cleanStringsInPlace(body);
  await next();
};
