/**
 * The answers to a card's type-ahead: an `Input.ChoiceSet` whose `choices.data` is a `Data.Query`
 * makes Teams send an `application/search` invoke as the person types, with the text, the
 * dataset and the page it wants (`queryOptions.skip` and `top`). Two datasets, both scoped to the
 * school of the person typing:
 *
 * - `spoc.locations`, for the fault form of a school with more than 100 locations: Slack's
 *   search (`searchLocationNames`: active locations whose name contains the text, in name
 *   order, the first 100), paged within it;
 * - `spoc.devices`, for a school with more than 100 devices: the devices at the place chosen on
 *   the card, which Teams sends with the search (`associatedInputs: 'auto'` puts the card's
 *   inputs in `value.data`); with no place chosen there is nothing to list.
 *
 * The answer is always a search response, never an error page: a person SPOC cannot place, or a
 * dataset it does not know, gets no results (Teams shows an empty list, not a failure).
 */
import type { TurnContext } from 'botbuilder';
import { searchDevicesAt } from '../../domain/locations/devices';
import { searchLocationNames } from '../../domain/registers/locations';
import { DEVICES_DATASET, deviceLabel, LOCATIONS_DATASET } from './cards/fault-form';
import { type TeamsDeps, teamsContext } from './commands/deps';

/** Teams asks for 15 at a time; a bigger page is cut to this. */
export const SEARCH_TOP_DEFAULT = 15;
export const SEARCH_TOP_MAX = 50;

export const SEARCH_RESPONSE = 'application/vnd.microsoft.search.searchResponse';

export interface SearchResult {
  title: string;
  value: string;
}

export interface SearchResponse {
  statusCode: 200;
  type: typeof SEARCH_RESPONSE;
  value: { results: SearchResult[] };
}

/** What an `application/search` invoke's `value` is read as; anything else is left out. */
export interface SearchQuery {
  dataset: string;
  queryText: string;
  skip: number;
  top: number;
  /** The card's inputs, when its `Data.Query` asks for them. */
  inputs: Record<string, unknown>;
}

const count = (raw: unknown, fallback: number): number =>
  typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 ? raw : fallback;

/** The invoke's value as a query: blanks for what is missing, the page within bounds. */
export function searchQueryOf(value: unknown): SearchQuery {
  const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const options = (v.queryOptions && typeof v.queryOptions === 'object' ? v.queryOptions : {}) as Record<
    string,
    unknown
  >;
  const top = count(options.top, SEARCH_TOP_DEFAULT);
  return {
    dataset: typeof v.dataset === 'string' ? v.dataset : '',
    queryText: typeof v.queryText === 'string' ? v.queryText : '',
    skip: count(options.skip, 0),
    top: Math.min(top === 0 ? SEARCH_TOP_DEFAULT : top, SEARCH_TOP_MAX),
    inputs: (v.data && typeof v.data === 'object' ? v.data : {}) as Record<string, unknown>,
  };
}

export function searchResponse(results: SearchResult[]): SearchResponse {
  return { statusCode: 200, type: SEARCH_RESPONSE, value: { results } };
}

/**
 * The page of results for a type-ahead: the school's locations matching the text (all of them,
 * in name order, for no text), or the devices at the chosen place, from `skip`, at most `top`.
 */
export async function answerSearch(deps: TeamsDeps, context: TurnContext): Promise<SearchResponse> {
  const query = searchQueryOf(context.activity.value);
  if (query.dataset !== LOCATIONS_DATASET && query.dataset !== DEVICES_DATASET) {
    deps.log.debug({ dataset: query.dataset }, 'Teams type-ahead for an unknown dataset: no results');
    return searchResponse([]);
  }
  const who = await teamsContext(deps, context);
  if (!who.ok) {
    deps.log.debug('Teams type-ahead from someone SPOC cannot place: no results');
    return searchResponse([]);
  }
  if (query.dataset === DEVICES_DATASET) {
    const locationId = query.inputs.locationId;
    if (typeof locationId !== 'string') return searchResponse([]);
    const { skip, top } = query;
    const found = await searchDevicesAt(who.ctx, { locationId, query: query.queryText, skip, top });
    return searchResponse(found.map((a) => ({ title: deviceLabel(a), value: a.id })));
  }
  const found = await searchLocationNames(who.ctx, { query: query.queryText });
  return searchResponse(
    found.slice(query.skip, query.skip + query.top).map((l) => ({ title: l.name, value: l.id })),
  );
}
