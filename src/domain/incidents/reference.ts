/** Per-school incident references: `INC-1`, `INC-2`, … */

export function formatReference(number: number): string {
  return `INC-${number}`;
}

/** Accepts `INC-7`, `inc-7`, `#7` or `7`; returns the number or null. */
export function parseReference(text: string): number | null {
  const match = /^\s*(?:inc-?|#)?(\d{1,9})\s*$/i.exec(text);
  if (!match?.[1]) return null;
  const n = Number(match[1]);
  return n > 0 ? n : null;
}
