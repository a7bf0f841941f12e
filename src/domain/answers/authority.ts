/**
 * `spoc authority …`, answered once for every platform, in the authority's own workspace:
 *
 * - `spoc authority` — every member school: open incidents by priority, SLA breaches, open
 *   escalations (to the authority and to other providers), contracts in notice, overdue payments;
 * - `spoc authority <school>` — one school of them;
 * - `spoc authority open <school> INC-12` — an incident escalated to the authority, with its history;
 * - `spoc authority update <school> INC-12 <what was done>` — the authority's update on it;
 * - `spoc authority handback <school> INC-12 [note]` — handed back to the school.
 *
 * A school is named as typed (in quotes when it has spaces, or the start of its name), among the
 * schools `readableSchools` gives; nothing else is ever found.
 */
import { handBackFromAuthority, openAuthorityIncident, recordAuthorityUpdate } from '../authority/act';
import { authorityOverview } from '../authority/overview';
import type { Ctx } from '../context';
import { formatReference, parseReference } from '../incidents/reference';
import { presentAuthorityOverview } from '../presenters/authority';
import { presentUsage } from '../presenters/help';
import { presentIncidentDetail } from '../presenters/incidents';
import { bold, type Presentation, sentence } from '../presenters/presentation';

/** Words as typed: Slack's escaping undone, names in quotes kept whole. */
function wordsOf(said: readonly string[]): string[] {
  const text = said
    .join(' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .slice(0, 2000);
  return [...text.matchAll(/["“”]([^"“”]*)["“”]|(\S+)/g)].map((m) => (m[1] ?? m[2] ?? '').trim());
}

/** `<school words…> INC-n <rest…>`: the school before the reference, the rest after it. */
function schoolAndReference(words: readonly string[]) {
  const at = words.findIndex((w) => parseReference(w) !== null);
  if (at < 1) return undefined;
  return {
    school: words.slice(0, at).join(' '),
    reference: words[at] ?? '',
    rest: words.slice(at + 1).join(' '),
  };
}

const usage = (ctx: Ctx) =>
  presentUsage(
    [
      'Usage: ',
      { command: 'spoc authority' },
      ', ',
      { command: 'spoc authority <school>' },
      ', ',
      { command: 'spoc authority open <school> INC-n' },
      ', ',
      { command: 'spoc authority update <school> INC-n <what you did>' },
      ' or ',
      { command: 'spoc authority handback <school> INC-n [note]' },
      '.',
    ],
    ctx.actor.role,
  );

export async function authorityAnswer(ctx: Ctx, said: readonly string[]): Promise<Presentation> {
  const words = wordsOf(said);
  const verb = words[0]?.toLowerCase();
  if (verb === 'open' || verb === 'update' || verb === 'handback' || verb === 'hand-back') {
    const named = schoolAndReference(words.slice(1));
    if (!named) return usage(ctx);
    if (verb === 'open') {
      const found = await openAuthorityIncident(ctx, named);
      if (!found.ok) return sentence(found.error.message);
      const { school, incident, events, live } = found.value;
      const detail = presentIncidentDetail(incident, events, live);
      // Its buttons are the school's own, pressed in the school's workspace: here the commands say what to do.
      // People are named, not mentioned: the school's workspace ids mean nothing in the authority's.
      return namedNotMentioned({
        ...detail,
        sections: [
          { kind: 'heading', text: [bold(school.name)] },
          ...detail.sections.filter((s) => s.kind !== 'buttons').map(withoutActions),
        ],
        actions: [],
      });
    }
    if (verb === 'update') {
      const done = await recordAuthorityUpdate(ctx, { ...named, note: named.rest });
      if (!done.ok) return sentence(done.error.fields?.note ?? done.error.message);
      return sentence(
        `Your update on ${formatReference(done.value.incident.number)} is recorded at ${done.value.school.name}.`,
      );
    }
    const done = await handBackFromAuthority(ctx, { ...named, ...(named.rest ? { note: named.rest } : {}) });
    if (!done.ok) return sentence(done.error.fields?.note ?? done.error.message);
    return sentence(
      `${formatReference(done.value.incident.number)} is handed back to ${done.value.school.name}.`,
    );
  }
  const overview = await authorityOverview(ctx);
  if (!overview.ok) return sentence(overview.error.message);
  const only = words.join(' ').trim().toLowerCase();
  if (!only) return presentAuthorityOverview(overview.value);
  const exact = overview.value.schools.filter((s) => s.name.toLowerCase() === only);
  const schools =
    exact.length > 0 ? exact : overview.value.schools.filter((s) => s.name.toLowerCase().startsWith(only));
  return presentAuthorityOverview({ ...overview.value, schools }, words.join(' '));
}

function withoutActions<S extends { kind: string }>(section: S): S {
  return section.kind === 'item' ? { ...section, actions: [] } : section;
}

/** Every person span with the platform id taken out (names only). */
function namedNotMentioned<T>(value: T): T {
  if (Array.isArray(value)) return value.map(namedNotMentioned) as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      k === 'person' && v && typeof v === 'object'
        ? { ...(v as object), slackUserId: null }
        : namedNotMentioned(v);
  }
  return out as T;
}
