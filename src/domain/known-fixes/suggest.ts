/**
 * Known fixes suggested while someone reports a fault: once the place, the device or the summary
 * is known, up to three of the school's fixes in service, matched on the device first, then the
 * place with the device's type, then the place (or the type anywhere), then the words of the
 * summary (Postgres full-text search, `english`, ranked by ts_rank).
 */
import { getAsset } from '../../db/queries/assets';
import { hasKnownFixes, matchKnownFixes } from '../../db/queries/known-fixes';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { can } from '../roles';

/** At most this many fixes are suggested at once. */
export const SUGGESTIONS_MAX = 3;

/** The words of a summary searched for, at most this many. */
const WORDS_MAX = 12;

export interface FixSuggestion {
  id: string;
  title: string;
  steps: string;
}

export interface SuggestInput {
  summary?: string;
  locationId?: string;
  assetId?: string;
}

/**
 * A summary as a `websearch_to_tsquery` text matching any of its words (`projector or signal`):
 * every word the summary shares with a fix counts, and ts_rank puts the fix sharing most first.
 * Only letters and digits reach the query, so nothing typed is read as search syntax.
 */
export function wordsQuery(summary: string | undefined): string | null {
  const words = (summary ?? '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const kept = [...new Set(words.filter((w) => w.length > 1 && w !== 'or'))].slice(0, WORDS_MAX);
  return kept.length > 0 ? kept.join(' or ') : null;
}

/** True when the school has a fix in service (the fault form looks for suggestions only then). */
export async function knownFixesOffered(ctx: Ctx): Promise<boolean> {
  if (!can(ctx.actor.role, 'incident.report')) return false;
  return hasKnownFixes(ctx.db, ctx.actor.schoolId);
}

/** Up to three fixes of the actor's school in service that match what the form knows so far. */
export async function suggestKnownFixes(ctx: Ctx, input: SuggestInput): Promise<FixSuggestion[]> {
  if (!can(ctx.actor.role, 'incident.report')) return [];
  const schoolId = ctx.actor.schoolId;
  const asset = isUuid(input.assetId) ? await getAsset(ctx.db, schoolId, input.assetId) : undefined;
  const locationId = isUuid(input.locationId) ? input.locationId : (asset?.locationId ?? null);
  const words = wordsQuery(input.summary);
  if (!asset && !locationId && !words) return [];
  const rows = await matchKnownFixes(ctx.db, schoolId, {
    assetId: asset?.id ?? null,
    assetType: asset?.type ?? null,
    locationId,
    words,
    limit: SUGGESTIONS_MAX,
  });
  return rows.map(({ id, title, steps }) => ({ id, title, steps }));
}

/**
 * What a fault form offers: nothing when the school has no fix in service (the form then looks
 * for none), else the fixes matching what it holds so far (perhaps none yet).
 */
export async function fixesForFaultForm(ctx: Ctx, input: SuggestInput): Promise<FixSuggestion[] | undefined> {
  if (!(await knownFixesOffered(ctx))) return undefined;
  return suggestKnownFixes(ctx, input);
}
