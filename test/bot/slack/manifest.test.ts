import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BOT_SCOPES } from '../../../src/bot/slack/app';
import { CALLBACK } from '../../../src/bot/slack/ids';

const manifest = parse(
  readFileSync(new URL('../../../manifests/slack/manifest.yaml', import.meta.url), 'utf8'),
);

describe('Slack app manifest', () => {
  it('asks for exactly the scopes the app requests at install', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...BOT_SCOPES].sort());
  });

  it('declares the commands, shortcut, interactivity, events and App Home the app listens for', () => {
    const commands = manifest.features.slash_commands.map(
      (c: { command: string; should_escape: boolean }) => [c.command, c.should_escape],
    );
    // /spoc must escape mentions: `/spoc role @person …` is parsed from `<@U…|name>`.
    expect(commands).toEqual([
      ['/fault', false],
      ['/spoc', true],
    ]);
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({
        type: 'message',
        callback_id: CALLBACK.reportFromMessage,
        name: 'Report ICT fault',
      }),
    ]);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.interactivity.request_url).toMatch(/\/slack\/events$/);
    expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
    // Uninstalling (or revoking the token) stops deliveries to that workspace, keeping its records.
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['app_uninstalled', 'tokens_revoked']),
    );
    // Installable org-wide on Enterprise Grid: every workspace of the organisation is then served.
    expect(manifest.settings.org_deploy_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.oauth_config.redirect_urls[0]).toMatch(/\/slack\/oauth_redirect$/);
  });
});
