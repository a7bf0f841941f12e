/**
 * `npm run teams:package [out.zip]`: the Teams app package to upload, written to
 * dist/spoc-teams.zip unless another path is given.
 *
 * It fills manifests/teams/manifest.json from the environment, checks the result against the
 * manifest schema kept in manifests/teams/schema (no network needed), and zips it with color.png and
 * outline.png at the root, as Teams expects.
 *
 * - TEAMS_APP_ID (required): the bot's Microsoft app id, the same one SPOC serves with. It is the
 *   bot's id and also the Teams app's own id: each registration then packages as its own app (a
 *   staging and a live SPOC in one tenant do not replace each other), and a new package of the same
 *   deployment updates the app already uploaded instead of adding a second one.
 * - TEAMS_APP_WEBSITE_URL (optional): the https page that tells staff about SPOC (the school's or
 *   the trust's IT support page); Teams shows it as the app's website, privacy and terms links.
 *   Unset, those links stay at the https://spoc.example.org placeholders.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { strToU8, zipSync } from 'fflate';

export const TEAMS_DIR = join(import.meta.dirname, '..', 'manifests', 'teams');
export const DEFAULT_OUT = join(import.meta.dirname, '..', 'dist', 'spoc-teams.zip');
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const PLACEHOLDER = /\$\{\{([A-Z0-9_]+)\}\}/g;
/** Fixed so that the same inputs give the same zip, byte for byte. */
const ZIP_MTIME = new Date(2026, 0, 1);

export class PackageError extends Error {}

type Manifest = Record<string, unknown> & {
  developer: { websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
};

/** The manifest template with `${{NAME}}` placeholders, as kept in the repository. */
export function readManifestTemplate(): string {
  return readFileSync(join(TEAMS_DIR, 'manifest.json'), 'utf8');
}

/** The manifest with the environment's values in place; throws PackageError saying what to set. */
export function fillManifest(template: string, env: NodeJS.ProcessEnv): Manifest {
  const appId = env.TEAMS_APP_ID?.trim();
  if (!appId)
    throw new PackageError(
      "TEAMS_APP_ID is not set: set it to the bot's Microsoft app id (a GUID, from the Azure Bot resource's Configuration or the Teams Developer Portal's Bot management), then run npm run teams:package again.",
    );
  if (!GUID.test(appId))
    throw new PackageError(
      `TEAMS_APP_ID must be a GUID like 00000000-0000-0000-0000-000000000000, not "${appId}".`,
    );
  const values: Record<string, string> = { TEAMS_APP_ID: appId };
  const filled = template.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    if (value === undefined)
      throw new PackageError(`manifest.json has a placeholder nobody fills: \${{${name}}}`);
    return value;
  });
  const manifest = JSON.parse(filled) as Manifest;
  const website = env.TEAMS_APP_WEBSITE_URL?.trim();
  if (website) {
    if (!/^https:\/\/[^\s/]+/.test(website))
      throw new PackageError(`TEAMS_APP_WEBSITE_URL must be an https:// URL, not "${website}".`);
    manifest.developer.websiteUrl = website;
    manifest.developer.privacyUrl = website;
    manifest.developer.termsOfUseUrl = website;
  }
  return manifest;
}

let validator: ValidateFunction | undefined;

/** Schema errors of a manifest against the kept Teams schema, as readable lines; empty if valid. */
export function manifestErrors(manifest: unknown): string[] {
  if (!validator) {
    const schema = JSON.parse(readFileSync(join(TEAMS_DIR, 'schema', 'MicrosoftTeams.schema.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validator = ajv.compile(schema);
  }
  if (validator(manifest)) return [];
  return (validator.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params ?? {})}`,
  );
}

/** Builds the zip from the environment; returns the manifest it holds. */
export function buildPackage(env: NodeJS.ProcessEnv): { manifest: Manifest; zip: Uint8Array } {
  const manifest = fillManifest(readManifestTemplate(), env);
  const errors = manifestErrors(manifest);
  if (errors.length)
    throw new PackageError(`The filled manifest does not fit the Teams schema:\n  ${errors.join('\n  ')}`);
  const zip = zipSync(
    {
      'manifest.json': strToU8(`${JSON.stringify(manifest, null, 2)}\n`),
      'color.png': readFileSync(join(TEAMS_DIR, 'color.png')),
      'outline.png': readFileSync(join(TEAMS_DIR, 'outline.png')),
    },
    { mtime: ZIP_MTIME },
  );
  return { manifest, zip };
}

function main(): void {
  const out = resolve(process.argv[2] ?? DEFAULT_OUT);
  try {
    const { manifest, zip } = buildPackage(process.env);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, zip);
    process.stdout.write(
      `Wrote ${out} (Teams app ${String(manifest.id)}, version ${String(manifest.version)}).\n`,
    );
    if (!process.env.TEAMS_APP_WEBSITE_URL?.trim())
      process.stdout.write(
        "Note: TEAMS_APP_WEBSITE_URL is not set, so the app's website, privacy and terms links point at https://spoc.example.org.\n",
      );
  } catch (err) {
    if (!(err instanceof PackageError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
