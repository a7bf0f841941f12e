/**
 * Paging a list, worded once: the page a list shows, "page 2 of 5" in its title line, and its
 * Previous / Next buttons, whose value says which list, which page and which search to show
 * (`{ kind, page, query }` as JSON, at most 2,000 characters, Slack's limit for a button's value).
 */

import { z } from 'zod';
import type { ActionId, PresentedAction } from '../presentation';

export const PREVIOUS = '← Previous';
export const NEXT = 'Next →';

/** What a page button carries back. */
export const PageValue = z.object({ kind: z.string(), page: z.number().int().min(1), query: z.string() });
export type PageValue = z.infer<typeof PageValue>;

/** A page button's value read back, or undefined when it is not one. */
export function readPageValue(raw: string): PageValue | undefined {
  try {
    const parsed = PageValue.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The rows of page `page` (kept within 1…pages) of `rows`, `size` a page. */
export function pageOf<T>(
  rows: readonly T[],
  page: number,
  size: number,
): { shown: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const at = Math.min(Math.max(1, page), pages);
  return { shown: rows.slice((at - 1) * size, at * size), page: at, pages };
}

/** Previous / Next for page `page` of `pages`, with the family's two action ids. */
export function pagerActions(
  ids: { previous: ActionId; next: ActionId },
  kind: string,
  page: number,
  pages: number,
  query: string,
): PresentedAction[] {
  const value = (p: number) => {
    const full = JSON.stringify({ kind, page: p, query });
    // A search too long for a button's value is cut until it fits.
    return full.length <= 2000 ? full : JSON.stringify({ kind, page: p, query: query.slice(0, 1800) });
  };
  const actions: PresentedAction[] = [];
  if (page > 1) actions.push({ id: ids.previous, label: PREVIOUS, value: value(page - 1) });
  if (page < pages) actions.push({ id: ids.next, label: NEXT, value: value(page + 1) });
  return actions;
}
