/**
 * The framework's floor: a bare Bolt app (the same @slack/bolt, HTTP receiver, signing secret and
 * payloads as SPOC) whose listeners only acknowledge. Run as its own process by bench/run.ts,
 * beside SPOC's, so both are measured the same way: `PORT=… SLACK_API_URL=… tsx bench/bare-bolt.ts`.
 */
import { App, LogLevel } from '@slack/bolt';
import { ACTION, CALLBACK } from '../src/bot/slack/ids';
import { BOT_TOKEN, SIGNING_SECRET } from '../test/support/slack-payloads';

const app = new App({
  signingSecret: SIGNING_SECRET,
  token: BOT_TOKEN,
  tokenVerificationEnabled: false,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});
app.command('/spoc', async ({ ack }) => {
  await ack();
});
app.view(CALLBACK.faultModal, async ({ ack }) => {
  await ack();
});
app.action(ACTION.claim, async ({ ack }) => {
  await ack();
});
await app.start({ port: Number(process.env.PORT), host: '127.0.0.1' });
// Ready: the bench waits for this line.
console.log('bare bolt listening');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void app.stop().finally(() => process.exit(0));
  });
}
