/**
 * "Save as a known fix" on the Resolve form: the fix is saved from the incident in the resolve's
 * own transaction, with a `resolved` use linked to the incident, so the resolve and the fix are
 * kept or lost together, and a repeated submission (refused by the state machine, and recorded
 * once per form) saves nothing twice. Defaults come from the incident: its summary as the title,
 * what was done as the steps, and its device and place for whom it is suggested to.
 */
import type { Db } from '../../db/client';
import { getAsset } from '../../db/queries/assets';
import type { IncidentRow } from '../../db/queries/incidents';
import { insertKnownFixUse } from '../../db/queries/known-fixes';
import type { Ctx } from '../context';
import { DomainFailure } from '../result';
import { checkKnownFix, insertCheckedFix, type KnownFix, type KnownFixInput } from './known-fixes';

/**
 * Whom the fix is suggested to: reports about this device; about devices of its type at its place;
 * about anything at its place; or, matched by words alone, anyone.
 */
export const FIX_SCOPES = ['asset', 'type', 'location', 'words'] as const;
export type FixScope = (typeof FIX_SCOPES)[number];

export interface SaveFixOnResolve {
  /** The fix's title; the incident's summary when left blank. */
  title?: string;
  /** What to do; what was done (the resolution) when left blank. */
  steps?: string;
  keywords?: string;
  /** Whom it is suggested to; the narrowest the incident allows when left out. */
  scope?: FixScope;
}

/** The resolve form's fields for the fix, as the domain's errors name them. */
export const FIX_FIELDS = {
  title: 'fixTitle',
  steps: 'fixSteps',
  keywords: 'fixKeywords',
  scope: 'fixScope',
} as const;

/** The scopes an incident allows, narrowest first (the first is the form's default). */
export function scopesFor(i: { assetId: string | null; locationId: string | null }): FixScope[] {
  return FIX_SCOPES.filter((s) => {
    if (s === 'asset') return i.assetId !== null;
    if (s === 'type') return i.assetId !== null && i.locationId !== null;
    if (s === 'location') return i.locationId !== null;
    return true;
  });
}

/** The checker's field names as the resolve form's. */
function asFormFields(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(fields)) {
    const named = FIX_FIELDS[field as keyof typeof FIX_FIELDS] ?? FIX_FIELDS.scope;
    out[named] ??= message;
  }
  return out;
}

/** What was typed, checked before anything is read or written (blank title and steps take defaults). */
export function checkFixOnResolve(input: SaveFixOnResolve): Record<string, string> {
  const fields = checkKnownFix({
    title: input.title?.trim() ? input.title : 'a title',
    steps: input.steps?.trim() ? input.steps : 'some steps',
    keywords: input.keywords ?? '',
    locationId: null,
    assetType: null,
    assetId: null,
  });
  if (input.scope !== undefined && !FIX_SCOPES.includes(input.scope))
    fields.scope = 'Choose whom it is suggested to.';
  return asFormFields(fields);
}

/** Saves the fix from the resolved incident in `tx`, with its `resolved` use. */
export async function saveFixFromIncident(
  tx: Db,
  ctx: Ctx,
  incident: IncidentRow,
  input: SaveFixOnResolve,
  resolution: string,
  eventId: number | string,
): Promise<KnownFix> {
  const allowed = scopesFor(incident);
  const scope = input.scope ?? allowed[0] ?? 'words';
  if (!allowed.includes(scope)) {
    throw new DomainFailure({
      code: 'VALIDATION',
      message: 'That choice does not fit this incident.',
      fields: { [FIX_FIELDS.scope]: 'This incident has no device or place for that: choose another.' },
    });
  }
  const asset =
    incident.assetId && (scope === 'asset' || scope === 'type')
      ? await getAsset(tx, incident.schoolId, incident.assetId)
      : undefined;
  const fix: KnownFixInput = {
    title: input.title?.trim() ? input.title : incident.summary,
    steps: input.steps?.trim() ? input.steps : resolution,
    keywords: input.keywords ?? '',
    locationId: scope === 'words' ? null : incident.locationId,
    assetType: asset?.type ?? null,
    assetId: scope === 'asset' ? (asset?.id ?? null) : null,
  };
  const fields = checkKnownFix(fix);
  if (Object.keys(fields).length > 0) {
    throw new DomainFailure({
      code: 'VALIDATION',
      message: 'Please check the known fix.',
      fields: asFormFields(fields),
    });
  }
  const saved = await insertCheckedFix(tx, ctx, fix, incident.id);
  await insertKnownFixUse(tx, {
    schoolId: incident.schoolId,
    fixId: saved.id,
    personId: ctx.actor.personId,
    kind: 'resolved',
    incidentId: incident.id,
    key: `resolved:${eventId}`,
    createdAt: ctx.clock.now(),
  });
  return saved;
}
