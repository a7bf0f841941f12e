/** Reads submitted modal values by block id, whatever input element holds them. */
import { z } from 'zod';
import { ACTION } from './ids';

const Element = z.object({
  value: z.string().nullable().optional(),
  selected_option: z.object({ value: z.string() }).nullable().optional(),
});
const Values = z.record(z.string(), z.record(z.string(), Element));

export type StateReader = (blockId: string) => string | undefined;

/** Empty strings come back as undefined, so optional fields stay optional. */
export function readState(values: unknown): StateReader {
  const parsed = Values.safeParse(values);
  const state = parsed.success ? parsed.data : {};
  return (blockId) => {
    const element = state[blockId]?.[ACTION.input];
    const raw = element?.selected_option?.value ?? element?.value ?? undefined;
    return raw === null || raw === undefined || raw.trim() === '' ? undefined : raw;
  };
}

/** Parses JSON private_metadata; anything unexpected reads as empty. */
export function readMetadata<T extends z.ZodType>(
  schema: T,
  raw: string | undefined,
): z.infer<T> | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(raw || '{}'));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Maps a domain error's fields to Slack `response_action: errors` (block id → message). */
export function fieldErrors(
  error: { message: string; fields?: Record<string, string> },
  blocks: Record<string, string>,
  fallbackBlock: string,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [field, message] of Object.entries(error.fields ?? {})) {
    errors[blocks[field] ?? fallbackBlock] = message;
  }
  if (Object.keys(errors).length === 0) errors[fallbackBlock] = error.message;
  return errors;
}
