/**
 * `spoc incidents [open|mine|reported|all|P1…P4]` and `spoc incident INC-7`, answered once for
 * every platform: the words typed are read here, the domain's queries run, the presenters word it.
 */
import type { Ctx } from '../context';
import { type IncidentListFilter, listIncidents, lookUpIncident } from '../incidents/list-incidents';
import { PRIORITIES } from '../incidents/priority';
import { presentUsage } from '../presenters/help';
import { presentIncidentDetail, presentIncidentList, presentNotYourIncident } from '../presenters/incidents';
import { type Presentation, sentence } from '../presenters/presentation';

const FILTERS: readonly string[] = ['open', 'mine', 'reported', 'all', ...PRIORITIES];
/** The most incidents a list reads (the domain's own limit); they are shown a page at a time. */
const LIST_MAX = 100;

/** The list a word names (`open` when none), or undefined when it names none. */
export function incidentFilterOf(word: string | undefined): IncidentListFilter | undefined {
  const raw = word ?? 'open';
  const filter = /^p[1-4]$/i.test(raw) ? raw.toUpperCase() : raw.toLowerCase();
  return FILTERS.includes(filter) ? (filter as IncidentListFilter) : undefined;
}

/** `spoc incidents <list>`: a page of it, or what the lists are. */
export async function incidentsAnswer(ctx: Ctx, words: readonly string[], page = 1): Promise<Presentation> {
  const raw = words[0];
  const filter = incidentFilterOf(raw);
  if (!filter) {
    return presentUsage(
      `I don't know the list \`${raw}\`: use open, mine, reported, all or P1…P4.`,
      ctx.actor.role,
    );
  }
  const result = await listIncidents(ctx, { filter, limit: LIST_MAX });
  return result.ok ? presentIncidentList(result.value, page) : sentence(result.error.message);
}

/**
 * `spoc incident INC-7`: the incident as the person may see it, with its history; a teacher asking
 * for someone else's fault of their school is told it is not theirs and where it stands.
 */
export async function incidentAnswer(ctx: Ctx, words: readonly string[]): Promise<Presentation> {
  const ref = words[0];
  if (!ref) return presentUsage(['Usage: ', { command: 'spoc incident INC-7' }], ctx.actor.role);
  const result = await lookUpIncident(ctx, { ref });
  if (!result.ok) return sentence(result.error.message);
  if (result.value.seen === 'status') return presentNotYourIncident(result.value.status);
  // The command gives only what the caller may see (a teacher: no staff notes, no liaison).
  const { incident, events, live } = result.value;
  return presentIncidentDetail(incident, events, live);
}
