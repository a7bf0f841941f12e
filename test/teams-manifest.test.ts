/**
 * The Teams app manifest and its icons: the manifest as packaged fits Microsoft's own schema (kept in
 * manifests/teams/schema, so this runs offline), offers what SPOC answers, and the icons have the
 * sizes and transparency Teams checks on upload.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { drawColorIcon, drawOutlineIcon, SPOC_BLUE } from '../scripts/teams-icons';
import {
  fillManifest,
  manifestErrors,
  PackageError,
  readManifestTemplate,
  TEAMS_DIR,
} from '../scripts/teams-package';

const APP_ID = '0f3e2b1a-9c8d-4e7f-a6b5-c4d3e2f1a0b9';
const schema = JSON.parse(readFileSync(join(TEAMS_DIR, 'schema', 'MicrosoftTeams.schema.json'), 'utf8'));

// biome-ignore lint/suspicious/noExplicitAny: the manifest is JSON read back to inspect
type Json = any;
const packaged = (): Json => fillManifest(readManifestTemplate(), { TEAMS_APP_ID: APP_ID });

describe('Teams manifest', () => {
  it('fits the kept Teams schema once filled', () => {
    expect(manifestErrors(packaged())).toEqual([]);
  });

  it('is written for the schema version it is checked against', () => {
    const template = JSON.parse(readManifestTemplate());
    expect(schema.properties.manifestVersion.const).toBe('1.29');
    expect(template.manifestVersion).toBe(schema.properties.manifestVersion.const);
    expect(template.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${template.manifestVersion}/MicrosoftTeams.schema.json`,
    );
  });

  it.each<[string, (m: Json) => void]>([
    ['without the bot id', (m) => delete m.bots[0].botId],
    ['with a scope Teams does not have', (m) => m.bots[0].scopes.push('channel')],
    ['with another manifest version', (m) => (m.manifestVersion = '1.28')],
    ['with an app id that is not a GUID', (m) => (m.id = 'spoc')],
    [
      'with a command title longer than 32',
      (m) => (m.composeExtensions[0].commands[0].title = 'x'.repeat(33)),
    ],
    ['with a field the schema does not know', (m) => (m.bots[0].supportsThreads = true)],
  ])('is refused by the schema %s', (_, breakIt) => {
    const manifest = packaged();
    breakIt(manifest);
    expect(manifestErrors(manifest).length).toBeGreaterThan(0);
  });

  it('puts the app id into the app, the bot and the message action, leaving no placeholder', () => {
    const manifest = packaged();
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(manifest.composeExtensions[0].botId).toBe(APP_ID);
    expect(JSON.stringify(manifest)).not.toContain('${{');
    expect(readManifestTemplate()).toContain('"botId": "$' + '{{TEAMS_APP_ID}}"');
  });

  it('refuses to fill without TEAMS_APP_ID, or with one that is not a GUID', () => {
    expect(() => fillManifest(readManifestTemplate(), {})).toThrow(PackageError);
    expect(() => fillManifest(readManifestTemplate(), {})).toThrow(/TEAMS_APP_ID is not set/);
    expect(() => fillManifest(readManifestTemplate(), { TEAMS_APP_ID: 'spoc-bot' })).toThrow(/GUID/);
  });

  it('puts TEAMS_APP_WEBSITE_URL in the developer links, and refuses one that is not https', () => {
    const url = 'https://ict.school.example/spoc';
    const manifest = fillManifest(readManifestTemplate(), {
      TEAMS_APP_ID: APP_ID,
      TEAMS_APP_WEBSITE_URL: url,
    });
    expect(manifest.developer).toMatchObject({ websiteUrl: url, privacyUrl: url, termsOfUseUrl: url });
    expect(manifestErrors(manifest)).toEqual([]);
    expect(packaged().developer.websiteUrl).toBe('https://spoc.example.org');
    expect(() =>
      fillManifest(readManifestTemplate(), {
        TEAMS_APP_ID: APP_ID,
        TEAMS_APP_WEBSITE_URL: 'http://x.example',
      }),
    ).toThrow(/https/);
  });

  it('has one bot in personal, team and group chat scope, taking files in personal chat', () => {
    const { bots } = packaged();
    expect(bots).toHaveLength(1);
    expect([...bots[0].scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bots[0].supportsFiles).toBe(true);
  });

  it('lists the commands, each described, in the scope where it is said', () => {
    const lists: { scopes: string[]; commands: { title: string; description: string }[] }[] =
      packaged().bots[0].commandLists;
    const titles = (scope: string) =>
      lists.filter((l) => l.scopes.includes(scope)).flatMap((l) => l.commands.map((c) => c.title));
    expect(titles('personal')).toEqual([
      'fault',
      'home',
      'spoc incidents',
      'spoc incident',
      'spoc assets',
      'spoc contracts',
      'spoc changes',
      'spoc export',
      'spoc import',
      'spoc help',
    ]);
    expect(titles('team')).toEqual([
      'spoc setup',
      'spoc role',
      'spoc incidents',
      'spoc incident',
      'spoc locations',
      'spoc assets',
      'spoc payments',
      'spoc report',
      'spoc settings',
      'spoc help',
    ]);
    // Teams shows at most ten commands a list.
    for (const list of lists) expect(list.commands.length).toBeLessThanOrEqual(10);
    expect(titles('groupChat')).toEqual(['spoc help']);
    for (const command of lists.flatMap((l) => l.commands))
      expect(command.description.length).toBeGreaterThan(10);
  });

  it('offers Report ICT fault on any message, opening a dialog fetched from SPOC', () => {
    const [extension] = packaged().composeExtensions;
    expect(extension.commands).toEqual([
      expect.objectContaining({
        id: 'reportFault',
        type: 'action',
        title: 'Report ICT fault',
        context: ['message'],
        fetchTask: true,
      }),
    ]);
  });
});

/** Width, height, bit depth and colour type from a PNG's IHDR chunk, read from the bytes. */
function pngHeader(bytes: Buffer) {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  return {
    width: bytes.readUInt32BE(16),
    height: bytes.readUInt32BE(20),
    bitDepth: bytes[24],
    colorType: bytes[25],
  };
}

function pixels(bytes: Buffer) {
  const png = PNG.sync.read(bytes);
  const at = (x: number, y: number) => {
    const i = (y * png.width + x) * 4;
    return { r: png.data[i]!, g: png.data[i + 1]!, b: png.data[i + 2]!, a: png.data[i + 3]! };
  };
  const all = Array.from({ length: png.width * png.height }, (_, n) =>
    at(n % png.width, Math.floor(n / png.width)),
  );
  return { png, at, all };
}

describe('Teams icons', () => {
  const color = readFileSync(join(TEAMS_DIR, 'color.png'));
  const outline = readFileSync(join(TEAMS_DIR, 'outline.png'));

  it('names the two icon files the package holds', () => {
    expect(packaged().icons).toEqual({ color: 'color.png', outline: 'outline.png' });
  });

  it('color.png is 192×192, opaque, SPOC blue with a white mark', () => {
    expect(pngHeader(color)).toEqual({ width: 192, height: 192, bitDepth: 8, colorType: 2 });
    const { at, all } = pixels(color);
    for (const [x, y] of [
      [0, 0],
      [191, 0],
      [0, 191],
      [191, 191],
    ] as const)
      expect(at(x, y)).toEqual({ ...SPOC_BLUE, a: 255 });
    expect(at(96, 96)).toEqual({ r: 255, g: 255, b: 255, a: 255 });
    expect(all.every((p) => p.a === 255)).toBe(true);
  });

  it('outline.png is 32×32, white on transparent', () => {
    const header = pngHeader(outline);
    expect(header).toEqual({ width: 32, height: 32, bitDepth: 8, colorType: 6 });
    const { at, all } = pixels(outline);
    expect(at(0, 0).a).toBe(0);
    expect(at(31, 31).a).toBe(0);
    expect(at(16, 16)).toEqual({ r: 255, g: 255, b: 255, a: 255 });
    const shown = all.filter((p) => p.a > 0);
    expect(shown.every((p) => p.r === 255 && p.g === 255 && p.b === 255)).toBe(true);
    // Mostly see-through: the mark is a ring and a dot, not a filled square.
    expect(all.filter((p) => p.a === 0).length).toBeGreaterThan(all.length / 3);
  });

  it('are the pictures scripts/teams-icons.ts draws', () => {
    expect(pixels(drawColorIcon()).png.data.equals(pixels(color).png.data)).toBe(true);
    expect(pixels(drawOutlineIcon()).png.data.equals(pixels(outline).png.data)).toBe(true);
  });
});
