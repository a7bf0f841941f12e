/** `npm start`: parse the environment, then run SPOC until a signal stops it. */
import { parseConfig } from './config';
import { createLogger, logUnhandledRejections } from './log';
import { OperatorError } from './operator-error';
import { startSpoc } from './server';

const parsed = parseConfig(process.env);
if (!parsed.ok) {
  console.error('SPOC cannot start: the environment has problems.\n');
  for (const problem of parsed.problems) console.error(`  - ${problem}`);
  console.error('\nREADME.md lists every variable.');
  process.exit(1);
}
const config = parsed.config;
const log = createLogger(config.logLevel);
logUnhandledRejections(log);
const running = await startSpoc(config, { log }).catch((error: unknown) => {
  // Something the operator fixes is said in plain words; anything else is logged in full.
  if (error instanceof OperatorError) console.error(`SPOC cannot start: ${error.message}`);
  else log.fatal({ err: error }, 'SPOC failed to start');
  process.exit(1);
});
const teams = config.teams ? `; Teams requests to ${running.url}/api/messages` : '';
if (config.slack?.kind === 'socket') {
  // The socket connects in the background; its own lines say when it is connected, or retrying.
  log.info(
    { url: running.url, slack: config.slack.kind, teams: Boolean(config.teams) },
    `SPOC is running: Slack requests over Socket Mode${teams}; health at ${running.url}/readyz`,
  );
} else if (config.slack) {
  log.info(
    { url: running.url, slack: config.slack.kind, teams: Boolean(config.teams) },
    `SPOC is running: Slack requests to ${running.url}/slack/events${teams}`,
  );
} else if (config.teamsLocal) {
  log.warn(
    { url: running.url, teamsLocal: true },
    `SPOC is running in local Teams mode, WITHOUT authentication: Teams requests to ${running.url}/api/messages (127.0.0.1 only)`,
  );
} else if (config.teams) {
  log.info(
    { url: running.url, teams: config.teams.appType },
    `SPOC is running: Teams requests to ${running.url}/api/messages`,
  );
} else {
  log.info({ url: running.url }, 'SPOC is running in playground mode (no Slack or Teams credentials)');
  console.log(`\nSPOC playground: open ${running.url}\n`);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: no new requests; finishing those under way');
    // Whatever happens, gone within 10 s (a container's grace period): an orderly stop takes ~5 s at most.
    setTimeout(() => {
      log.error('still stopping after 9 s: exiting anyway');
      process.exit(1);
    }, 9_000).unref();
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  });
}
