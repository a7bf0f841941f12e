import type { Db } from '../../db/client';
import type { Clock } from '../../domain/clock';
import type { Logger } from '../../log';
import type { SlackClientFor } from './delivery';

/** What the Slack listeners are given. */
export interface SlackDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Wakes the outbox dispatcher: a command just wrote messages to deliver. */
  kick: () => void;
  /** How long a listener may wait on the database before it acks and answers later. */
  ackBudgetMs?: number;
  /** The workspace's own Web API client (its token, SLACK_API_URL), for asking Slack names. */
  clientFor?: SlackClientFor;
}

import type {
  AllMiddlewareArgs,
  BlockAction,
  MessageShortcut,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';

/** Listener argument types, named once. */
export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
export type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
export type MessageShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;
export type HomeOpenedArgs = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;
export type OptionsArgs = SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs;
