/**
 * `spoc incidents [filters…]` and `spoc incident INC-7`, answered once for every platform: the
 * words typed are read here, the domain's queries run, the presenters word it.
 *
 * The filters (any order, combined): `open`, `all`, `closed` (closed or resolved in the last 30
 * days), `mine`, `reported`, `unassigned`, `breached`, `P1`…`P4`, `location <name>`,
 * `asset <tag>`, `reporter @person`. A name may be typed as it is (`location Year 3`: the longest
 * run of words that names one), in quotes, or for a person as a mention: Slack's `<@U123>` or
 * `<@U123|name>`, Teams' `<at>name</at>` (matched by name within the school).
 */
import { distance } from 'fastest-levenshtein';
import type { Ctx } from '../context';
import {
  type FilterNames,
  filterNamesOf,
  findIncidents,
  type IncidentListStatus,
  type IncidentQuery,
  type ListedName,
  lookUpIncident,
  OWN_REPORTS_ONLY,
} from '../incidents/list-incidents';
import { mergeIncident } from '../incidents/merge-incident';
import type { Priority } from '../incidents/priority';
import { presentMerged } from '../presenters/already-reported';
import { presentUsage } from '../presenters/help';
import {
  presentIncidentDetail,
  presentIncidentList,
  presentIncidentsUsage,
  presentNotYourIncident,
  presentUnknownName,
} from '../presenters/incidents';
import { code, type Presentation, type Rich, sentence } from '../presenters/presentation';
import { can } from '../roles';

/** The most incidents a list reads (the domain's own limit); they are shown a page at a time. */
const LIST_MAX = 100;
/** The most words a name may run to, and the most characters a typed name is read to. */
const NAME_WORDS = 8;
const NAME_MAX = 120;
/** The most words read after `spoc incidents`. */
const WORDS_MAX = 40;
/** The most names offered when one is not known. */
const NEAREST = 5;

/** One thing typed: a word, words in quotes, or a mention of a person. */
type Token =
  | { kind: 'word'; text: string }
  | { kind: 'quoted'; text: string }
  | { kind: 'slack'; userId: string; name?: string }
  | { kind: 'at'; name: string };

const TOKEN = /<@([UW][A-Z0-9]+)(?:\|([^>]*))?>|<at>(.*?)<\/at>|["“”]([^"“”]*)["“”]|(\S+)/gi;
const unslack = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The words said, mentions and quoted names kept whole (Slack sends `&`, `<` and `>` escaped). */
export function tokensOf(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.slice(0, 2000).matchAll(TOKEN)) {
    if (m[1]) tokens.push({ kind: 'slack', userId: m[1].toUpperCase(), ...(m[2] ? { name: m[2] } : {}) });
    else if (m[3] !== undefined) tokens.push({ kind: 'at', name: unslack(m[3]).trim() });
    else if (m[4] !== undefined) tokens.push({ kind: 'quoted', text: unslack(m[4]).trim() });
    else if (m[5]) tokens.push({ kind: 'word', text: unslack(m[5]) });
  }
  return tokens;
}

const STATUS_WORDS: readonly IncidentListStatus[] = ['open', 'all', 'closed'];
const FLAG_WORDS = ['mine', 'reported', 'unassigned', 'breached'] as const;
type NameWord = 'location' | 'asset' | 'reporter';
const NAME_WORDS_OF: Record<NameWord, FilterNames> = {
  location: 'location',
  asset: 'asset',
  reporter: 'person',
};
const isNameWord = (w: string): w is NameWord => Object.hasOwn(NAME_WORDS_OF, w);
const isKeyword = (t: Token | undefined) => {
  if (t?.kind !== 'word') return false;
  const w = t.text.toLowerCase();
  return (
    (STATUS_WORDS as readonly string[]).includes(w) ||
    (FLAG_WORDS as readonly string[]).includes(w) ||
    /^p[1-4]$/.test(w) ||
    isNameWord(w)
  );
};

/** A name as it is compared: lower case, one space between words, no quotes or leading @. */
const keyOf = (name: string) => name.trim().replace(/^@/, '').replace(/\s+/g, ' ').toLowerCase();

type Named = ListedName & { slackUserId?: string | null };

/** The names nearest to what was said: those holding it first, then by edit distance. */
export function nearestNames(said: string, names: readonly string[], n = NEAREST): string[] {
  const key = keyOf(said);
  const scored = [...new Set(names)].map((name) => {
    const k = keyOf(name);
    return { name, holds: k.includes(key) || key.includes(k) ? 0 : 1, edits: distance(key, k) };
  });
  scored.sort((a, b) => a.holds - b.holds || a.edits - b.edits || a.name.localeCompare(b.name));
  return scored.slice(0, n).map((s) => s.name);
}

/** Why the words could not be read as a list. */
type Misread =
  | { kind: 'usage'; problem: Rich }
  | { kind: 'unknown'; what: FilterNames; said: string; nearest: string[] }
  | { kind: 'ownOnly' };

type Read = { ok: true; query: IncidentQuery } | { ok: false; why: Misread };

const usage = (...problem: Rich): Read => ({ ok: false, why: { kind: 'usage', problem } });
const said = (text: string) => code(text.slice(0, 40));

/**
 * The list the words ask for, every name found in the asker's school; or why not. Names are
 * read from the school only when a filter needs them.
 */
async function readQuery(ctx: Ctx, tokens: readonly Token[]): Promise<Read> {
  const query: IncidentQuery = {};
  const staff = can(ctx.actor.role, 'incident.viewAll');
  const lists = new Map<FilterNames, Promise<Named[]>>();
  const namesOf = (kind: FilterNames) => {
    let list = lists.get(kind);
    if (!list) {
      list = filterNamesOf(ctx, kind);
      lists.set(kind, list);
    }
    return list;
  };

  for (let at = 0; at < tokens.length; at++) {
    const token = tokens[at] as Token;
    if (token.kind !== 'word') return usage("I don't know the list ", said(wordOf(token)), '.');
    const word = token.text.toLowerCase();
    if ((STATUS_WORDS as readonly string[]).includes(word)) {
      const status = word as IncidentListStatus;
      if (query.status && query.status !== status) {
        return usage('Choose one of ', said('open'), ', ', said('closed'), ' or ', said('all'), '.');
      }
      query.status = status;
    } else if ((FLAG_WORDS as readonly string[]).includes(word)) {
      query[word as (typeof FLAG_WORDS)[number]] = true;
    } else if (/^p[1-4]$/.test(word)) {
      const priority = word.toUpperCase() as Priority;
      query.priorities = [...new Set([...(query.priorities ?? []), priority])].sort();
    } else if (isNameWord(word)) {
      const kind = NAME_WORDS_OF[word];
      if ((word === 'reporter' ? query.reporter : query[word]) !== undefined) {
        return usage('One ', said(word), ' at a time, please.');
      }
      const next = tokens[at + 1];
      if (!next || isKeyword(next)) {
        const example = {
          location: 'location Library',
          asset: 'asset LAP-0001',
          reporter: 'reporter @person',
        };
        return usage(said(word), ' needs a name after it, like ', said(example[word]), '.');
      }
      const found = readName(tokens, at + 1, await namesOf(kind));
      if (!found.named) {
        if (kind === 'person' && !staff) return { ok: false, why: { kind: 'ownOnly' } };
        const names = (await namesOf(kind)).map((n) => n.name);
        return {
          ok: false,
          why: { kind: 'unknown', what: kind, said: found.said, nearest: nearestNames(found.said, names) },
        };
      }
      at = found.end - 1;
      const [first] = found.named;
      if (!first) return usage("I don't know the list ", said(word), '.');
      if (word === 'reporter') {
        query.reporter = {
          ids: found.named.map((n) => n.id),
          name: first.name,
          slackUserId: found.named.length === 1 ? (first.slackUserId ?? null) : null,
        };
      } else {
        query[word] = { id: first.id, name: first.name };
      }
    } else {
      return usage("I don't know the list ", said(token.text), '.');
    }
  }

  if ((query.unassigned || query.breached) && query.status && query.status !== 'open') {
    const which = query.breached ? 'breached' : 'unassigned';
    return usage(said(which), ' lists open incidents, so it does not go with ', said(query.status), '.');
  }
  if (staff && query.mine && query.unassigned) {
    return usage(said('mine'), ' and ', said('unassigned'), ' cannot both be true: choose one.');
  }
  if (query.reported && query.reporter) {
    return usage('Use ', said('reported'), ' (your own reports) or ', said('reporter'), ', not both.');
  }
  if (!staff && query.reporter && !query.reporter.ids.includes(ctx.actor.personId)) {
    return { ok: false, why: { kind: 'ownOnly' } };
  }
  return { ok: true, query };
}

const wordOf = (t: Token): string =>
  t.kind === 'word' || t.kind === 'quoted' ? t.text : t.kind === 'at' ? t.name : `@${t.name ?? t.userId}`;

/**
 * The name starting at `tokens[from]`: a mention or a quoted name as it is; typed words, the
 * longest run of them that names something (`Year 3 Classroom` before `Year 3`). When nothing is
 * named, what was said: the words up to the next filter word.
 */
function readName(
  tokens: readonly Token[],
  from: number,
  names: readonly Named[],
): { named: Named[] | null; said: string; end: number } {
  const byKey = new Map<string, Named[]>();
  for (const n of names) byKey.set(keyOf(n.name), [...(byKey.get(keyOf(n.name)) ?? []), n]);
  const first = tokens[from] as Token;
  if (first.kind === 'slack') {
    const person = names.filter((n) => n.slackUserId === first.userId);
    return { named: person.length ? person : null, said: first.name ?? first.userId, end: from + 1 };
  }
  if (first.kind !== 'word') {
    const text = wordOf(first).slice(0, NAME_MAX);
    return { named: byKey.get(keyOf(text)) ?? null, said: text, end: from + 1 };
  }
  let run = 0;
  while (run < NAME_WORDS && tokens[from + run]?.kind === 'word') run++;
  for (let n = run; n > 0; n--) {
    const text = tokens
      .slice(from, from + n)
      .map(wordOf)
      .join(' ');
    const named = text.length <= NAME_MAX ? byKey.get(keyOf(text)) : undefined;
    if (named) return { named, said: text, end: from + n };
  }
  let end = from + 1;
  while (
    end < tokens.length &&
    end - from < NAME_WORDS &&
    tokens[end]?.kind === 'word' &&
    !isKeyword(tokens[end])
  )
    end++;
  const text = tokens.slice(from, end).map(wordOf).join(' ').replace(/^@/, '');
  return { named: null, said: text.slice(0, NAME_MAX), end };
}

/**
 * `spoc incidents <filters>`: a page of that list, each line with where it stands against its
 * SLA; or, for words it cannot read, what the lists are; for a name the school does not have,
 * the nearest it has.
 */
export async function incidentsAnswer(ctx: Ctx, words: readonly string[], page = 1): Promise<Presentation> {
  const role = ctx.actor.role;
  const tokens = tokensOf(words.join(' '));
  if (tokens.length > WORDS_MAX) return presentIncidentsUsage(['That is more than I can read.'], role);
  const read = await readQuery(ctx, tokens);
  if (!read.ok) {
    const why = read.why;
    if (why.kind === 'usage') return presentIncidentsUsage(why.problem, role);
    if (why.kind === 'ownOnly') {
      return sentence([OWN_REPORTS_ONLY, ' ', { command: 'spoc incidents reported' }, ' lists them.']);
    }
    return presentUnknownName(why.what, why.said, why.nearest);
  }
  const result = await findIncidents(ctx, read.query, LIST_MAX);
  return result.ok ? presentIncidentList(result.value, page) : sentence(result.error.message);
}

/**
 * `spoc incident INC-14 merge INC-13` (or `merge into INC-13`): the office merges a duplicate into
 * the incident it repeats. Said again, it answers that it is already merged and changes nothing.
 */
async function mergeAnswer(ctx: Ctx, ref: string, rest: readonly string[]): Promise<Presentation> {
  const into = rest[0]?.toLowerCase() === 'into' ? rest[1] : rest[0];
  if (!into)
    return presentUsage(['Usage: ', { command: 'spoc incident INC-14 merge INC-13' }], ctx.actor.role);
  const result = await mergeIncident(ctx, { duplicate: ref, into });
  return result.ok ? presentMerged(result.value) : sentence(result.error.message);
}

/**
 * `spoc incident INC-7`: the incident as the person may see it, with its history; a teacher asking
 * for someone else's fault of their school is told it is not theirs and where it stands.
 */
export async function incidentAnswer(ctx: Ctx, words: readonly string[]): Promise<Presentation> {
  const ref = words[0];
  if (!ref) return presentUsage(['Usage: ', { command: 'spoc incident INC-7' }], ctx.actor.role);
  if (words[1]?.toLowerCase() === 'merge') return mergeAnswer(ctx, ref, words.slice(2));
  const result = await lookUpIncident(ctx, { ref });
  if (!result.ok) return sentence(result.error.message);
  if (result.value.seen === 'status') return presentNotYourIncident(result.value.status);
  // The command gives only what the caller may see (a teacher: no staff notes, no liaison).
  const { incident, events, live } = result.value;
  return presentIncidentDetail(incident, events, live);
}
