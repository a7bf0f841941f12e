/** The core loop on Slack, over signed Slack payloads to the real Bolt app. */
import { coreLoop } from './core-loop';
import { slackDriver } from './slack-driver';

coreLoop(slackDriver);
