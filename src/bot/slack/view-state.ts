/** Reads submitted modal values by block id, whatever input element holds them. */
import { z } from 'zod';
import { ACTION } from './ids';

const SlackFile = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  size: z.number().optional(),
  url_private_download: z.string().optional(),
  url_private: z.string().optional(),
});
const Element = z.object({
  value: z.string().nullable().optional(),
  selected_option: z.object({ value: z.string() }).nullable().optional(),
  selected_date: z.string().nullable().optional(),
  selected_user: z.string().nullable().optional(),
  selected_conversation: z.string().nullable().optional(),
  selected_options: z
    .array(z.object({ value: z.string() }))
    .nullable()
    .optional(),
  files: z.array(SlackFile).nullable().optional(),
});
const Values = z.record(z.string(), z.record(z.string(), Element));

export type SlackFileRef = z.infer<typeof SlackFile>;

export type StateReader = ((blockId: string) => string | undefined) & {
  /** Checkbox values chosen in a block. */
  checked(blockId: string): string[];
  /** Files uploaded through a file input. */
  files(blockId: string): SlackFileRef[];
};

/**
 * Reads a modal's state by block id, whatever element holds the value (text, select, radio,
 * date picker, number). Empty strings come back as undefined, so optional fields stay optional.
 */
export function readState(values: unknown): StateReader {
  const parsed = Values.safeParse(values);
  const state = parsed.success ? parsed.data : {};
  // Most inputs use ACTION.input; a type-ahead select has its own action id, so fall back to the block's only element.
  const element = (blockId: string) => {
    const block = state[blockId];
    return block?.[ACTION.input] ?? (block ? Object.values(block)[0] : undefined);
  };
  const reader = (blockId: string) => {
    const e = element(blockId);
    const raw =
      e?.selected_option?.value ??
      e?.selected_date ??
      e?.selected_user ??
      e?.selected_conversation ??
      e?.value ??
      undefined;
    return raw === null || raw === undefined || raw.trim() === '' ? undefined : raw;
  };
  return Object.assign(reader, {
    checked: (blockId: string) => (element(blockId)?.selected_options ?? []).map((o) => o.value),
    files: (blockId: string) => element(blockId)?.files ?? [],
  });
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
