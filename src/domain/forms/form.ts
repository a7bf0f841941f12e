/**
 * The office's forms (a location, an asset, a licence, a contract, …), defined once for every
 * chat platform: what the form asks (`FormSpec`: its title, submit button and fields, with their
 * labels, hints, limits, choices and the values it opens with) and what its submission does
 * (`RegisterForm.submit`: read the fields, run the domain command, say what was saved). Slack lays
 * a spec out as a modal and Teams as a dialog's Adaptive Card; neither adds words of its own, and
 * both send the submission through the same `submit`, so a form refuses the same input with the
 * same message beside the same field on both.
 *
 * A field's `id` is the key its value comes back under and the name the domain's errors use
 * (`DomainError.fields`), so an error lands beside its field on every platform.
 */
import type { Ctx } from '../context';
import type { Rich } from '../presenters/presentation';
import type { Result } from '../result';
import type { Permission } from '../roles';

export interface FormOption {
  value: string;
  label: string;
}

interface FieldBase {
  id: string;
  label: string;
  /** Small print under the field. */
  hint?: string;
  /** Whether it may be left empty; absent: the platform's default for the kind (text, number and choice required; date, location and person optional). */
  optional?: boolean;
}

export type FormField =
  | (FieldBase & {
      kind: 'text';
      initial?: string | null;
      max?: number;
      multiline?: boolean;
      placeholder?: string;
    })
  /** A whole number, 0 or more. */
  | (FieldBase & { kind: 'number'; initial?: number | null })
  /** A date, `yyyy-MM-dd`. */
  | (FieldBase & { kind: 'date'; initial?: string | null })
  | (FieldBase & {
      kind: 'choice';
      options: readonly FormOption[];
      initial?: string | null;
      placeholder?: string;
    })
  /** One of the school's locations: a type-ahead where the platform cannot list them all. */
  | (FieldBase & {
      kind: 'location';
      places: ReadonlyArray<{ id: string; name: string }>;
      initial?: string | null;
    })
  /**
   * One of the school's staff: Slack's own user picker, where its value is the Slack user id;
   * elsewhere a list of `people`, where its value is the SPOC person id. `initial` names the
   * person both ways.
   */
  | (FieldBase & {
      kind: 'person';
      people: ReadonlyArray<{ personId: string; name: string }>;
      initial?: { personId: string; slackUserId: string | null } | null;
      placeholder?: string;
    })
  /**
   * A channel to post to: Slack's own channel picker (its value a Slack channel id); elsewhere a
   * list of `channels`, the school's channels SPOC can post in, by the platform's channel id.
   */
  | (FieldBase & {
      kind: 'channel';
      channels: ReadonlyArray<{ id: string; name: string }>;
      placeholder?: string;
    })
  /** A yes/no box: `title` is said beside it; its value is `'true'` when ticked. */
  | (FieldBase & { kind: 'toggle'; title: string; initial?: boolean })
  /** Words between the fields, not an input. */
  | { kind: 'note'; id?: undefined; text: Rich };

export interface FormSpec {
  /** The form's title (Slack cuts a modal's title to 24 characters). */
  title: string;
  /** The submit button's label. */
  submit: string;
  fields: FormField[];
}

/** A submitted form's value for a field id, or undefined when it was left empty. */
export type FieldReader = (id: string) => string | undefined;

/** What a saved form says: one sentence for the person who sent it. */
export interface Saved {
  saved: Rich;
}

/**
 * A form of the office's: `open` gives the spec for a record (`id`, when editing or acting on
 * one) or for a new one, or the domain's refusal; `submit` saves what was typed. The role is
 * checked by `permission` when the form opens, and again by the command on submit.
 */
export interface OfficeForm {
  /** The form's neutral name (`location`, `asset`, `assetMove`, …): each platform keys its own ids by it. */
  name: string;
  permission: Permission;
  open(ctx: Ctx, id: string | undefined): Promise<Result<FormSpec>>;
  submit(ctx: Ctx, id: string | undefined, read: FieldReader): Promise<Result<Saved>>;
}

/** The title of what replaces a form once it is saved. */
export const SAVED_TITLE = 'Saved';
