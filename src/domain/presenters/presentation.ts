/**
 * What SPOC says, decided once for every chat platform: presenters turn read models into a
 * `Presentation`, and each platform only renders it (Block Kit for Slack, Adaptive Cards for Teams).
 * Wording, which fields a message shows and in what order, and which buttons it offers live in the
 * presenters; a renderer adds no words of its own.
 *
 * ## The neutral markup
 *
 * Text is `Rich`: a list of spans, never a string in one platform's syntax, so that nothing a
 * person typed can turn into markup on any platform. Each renderer maps the spans:
 *
 * | span                    | meaning                                   | Slack mrkdwn             | Teams (markdown)            |
 * | ----------------------- | ----------------------------------------- | ------------------------ | --------------------------- |
 * | `'text'`                | literal text (escaped by the renderer)    | `&amp; &lt; &gt;` escaped | markdown `\`-escaped        |
 * | `{ text, max }`         | typed text, cut to `max` characters        | escaped, then cut        | cut, then escaped           |
 * | `{ bold }`              | strong                                    | `*…*`                    | `**…**`                     |
 * | `{ italic }`            | emphasis (placeholders: "nobody yet")     | `_…_`                    | `_…_`                       |
 * | `{ command }`           | a SPOC command to type, e.g. `fault`      | `` `/fault` ``           | `` `fault` ``               |
 * | `{ quote }`             | quoted words (a resolution, a comment)    | `>…` (after a newline)   | `> …`                       |
 * | `{ person }`            | a person, by the platform's own id        | `<@U…>`, else their name | `**name**` (no mention yet) |
 * | `{ date }`              | a moment, shown in the school's time zone | `<!date^…|fallback>`     | `30 Nov, 09:15` school time |
 * | `{ link, label }`       | a web link                                | `<url|label>`            | `[label](url)`              |
 * | `{ emoji }`             | a leading symbol, as a shortcode          | the shortcode            | the Unicode emoji, or none  |
 * | `{ code }`              | words set apart as code (a progress bar)  | `` `…` ``                | `` `…` ``                   |
 * | `{ surface }`           | a place the platform names its own way    | `SURFACE_WORDS.slack`    | `SURFACE_WORDS.teams`       |
 *
 * Line breaks are `'\n'` inside a text span. Dates are always in the school's time zone (the
 * renderer is given it); a platform that can show a reader's own time may do so.
 */
import type { Role } from '../roles';

/** A person as a message names them: by each platform's id where known, else by name. */
export interface PersonRef {
  /** How to name them where the platform cannot mention them ("someone" when nobody knows). */
  name: string;
  slackUserId: string | null;
}

export type Span =
  | string
  | { text: string; max: number }
  | { bold: Rich }
  | { italic: Rich }
  /** A SPOC command a person can type, by its name (`fault`); each platform says how to type it. */
  | { command: string }
  | { quote: Rich }
  | { person: PersonRef }
  | { date: Date }
  | { link: string; label: Rich }
  /** A shortcode with its colons, e.g. `':tada:'` (Slack's names; other platforms map them). */
  | { emoji: string }
  /** Words set apart as code (a progress bar, a word to type), in a fixed-width face where the platform can. */
  | { code: string }
  /** A place in the chat platform that each names its own way (`SURFACE_WORDS`). */
  | { surface: Surface };

export type Rich = Span[];

/**
 * Places in the chat platform that each names its own way: the person's home in SPOC (Slack's App
 * Home tab; in Teams, the home card `home` brings), and their own chat with SPOC (Slack's DMs;
 * Teams' personal chat).
 */
export type Surface = 'home' | 'chat';

/** How each platform names its places, worded here with the rest. */
export const SURFACE_WORDS: Record<'slack' | 'teams', Record<Surface, Rich>> = {
  slack: { home: ['my App Home'], chat: ['your DMs'] },
  teams: { home: ['your home card (say ', { command: 'home' }, ')'], chat: ['our personal chat'] },
};

/** One part of a message, top to bottom. */
export type Section =
  /** The message's first line (the card's title). */
  | { kind: 'heading'; text: Rich }
  /** A paragraph. */
  | { kind: 'text'; text: Rich }
  /** Labelled facts, shown two to a row where the platform can. */
  | { kind: 'fields'; fields: Array<{ label: string; value: Rich }> }
  /**
   * Lines of a list (a title line, then items); the platform groups them to fit its limits. An
   * `alert` list (SLA breaches) is shown in the platform's warning colour where it has one (Teams);
   * its words must say it too, since colour alone is not enough and Slack has none.
   */
  | { kind: 'lines'; lines: Rich[]; tone?: 'alert' }
  /** Small print under the message. */
  | { kind: 'context'; text: Rich }
  /**
   * One row of a list (a location, an asset, a contract) with what can be done to it beside it:
   * no action, one button, or, with more than one, a small menu (Slack's overflow).
   */
  | { kind: 'item'; text: Rich; actions: PresentedAction[] }
  /** A row of buttons inside the message (a payment's Paid / Cancel under its line). */
  | { kind: 'buttons'; actions: PresentedAction[] };

/**
 * What a button does. The platform maps each id to its own (Slack `action_id`, Teams
 * `Action.Execute` verb); the value says on what (an incident id, a payment id, …).
 */
export const ACTION_IDS = [
  'incident.claim',
  'incident.triage',
  'incident.forward',
  'incident.escalate',
  'incident.resolve',
  'incident.note',
  // Staff write to the person who reported the fault (a staff note stays with the staff).
  'incident.reply',
  // The office merges a duplicate into the incident it repeats.
  'incident.merge',
  'incident.hold',
  'incident.resume',
  'incident.close',
  'incident.providerUpdate',
  'incident.handBack',
  // Shows the incident with its history (the staff's home: Open).
  'incident.open',
  'reporter.fixed',
  'reporter.stillBroken',
  'reporter.comment',
  // The fault form for a fault made from the reporter's chat message (a ticket by reaction).
  'reporter.details',
  // The satisfaction question after Fixed: 👍 / 👎, then an optional comment (a form).
  'satisfaction.up',
  'satisfaction.down',
  'satisfaction.comment',
  // The home's "Report a fault": the fault form.
  'fault.report',
  'reminder.paid',
  'reminder.snooze',
  'reminder.renewed',
  'reminder.willCancel',
  'reminder.reassign',
  'reminder.chase',
  'reminder.openProblem',
  // The registers: each list's rows and its add button; a page of a list.
  'location.add',
  'location.edit',
  'location.archive',
  'location.restore',
  'asset.add',
  'asset.view',
  'asset.edit',
  'asset.move',
  'asset.status',
  'licence.add',
  'licence.edit',
  'provider.add',
  'provider.edit',
  'contract.add',
  'contract.edit',
  'payment.add',
  'payment.paid',
  'payment.cancel',
  'diary.add',
  'work.newChange',
  'work.newProblem',
  'work.view',
  'work.progress',
  'work.edit',
  'work.link',
  'work.resolveLinked',
  'settings.edit',
  // Known fixes (`spoc fixes`): a row's Edit, Retire / Put back in use; Add a fix; its pages.
  'fix.add',
  'fix.edit',
  'fix.retire',
  'fix.restore',
  'fixes.previous',
  'fixes.next',
  /**
   * Paging: the value names the list and the page to show (`{ kind, page, query }` as JSON).
   * One pair per family of lists, since Slack answers each family in its own listener.
   */
  'registers.previous',
  'registers.next',
  'supply.previous',
  'supply.next',
  'work.previous',
  'work.next',
  'incidents.previous',
  'incidents.next',
] as const;
export type ActionId = (typeof ACTION_IDS)[number];

export interface PresentedAction {
  id: ActionId;
  label: string;
  /** The value the press carries back. */
  value: string;
  style?: 'primary' | 'danger';
  /** Tucked away (Slack's overflow menu, Teams' secondary actions) so the message stays tidy. */
  secondary?: boolean;
  /** Asked before a press that cannot be undone (Slack's confirm dialog; a platform without one presses at once). */
  confirm?: { title: string; text: string; confirm: string; deny: string };
  /**
   * The roles whose press the command will accept. A message in a shared channel shows every
   * button to everyone (the command still checks); a platform that can show each reader their own
   * card (Teams' refresh) shows only these. Absent: anyone the message reaches.
   */
  roles?: readonly Role[];
}

export interface Presentation {
  /** The whole message in one line, for notifications and screen readers. */
  text: Rich;
  sections: Section[];
  actions: PresentedAction[];
}

/** Concatenates rich texts with a separator between the non-empty ones. */
export function joinRich(parts: Rich[], separator: string): Rich {
  return parts.filter((p) => p.length > 0).flatMap((p, i) => (i === 0 ? p : [separator, ...p]));
}

/** Typed text cut to `max` characters (after the platform's escaping). */
export const typed = (text: string, max: number): Span => ({ text, max });
export const bold = (...text: Rich): Span => ({ bold: text });
export const italic = (...text: Rich): Span => ({ italic: text });
export const emoji = (name: string): Span => ({ emoji: name });
export const person = (name: string | null | undefined, slackUserId: string | null | undefined): Span => ({
  person: { name: name || 'someone', slackUserId: slackUserId ?? null },
});
export const date = (at: Date): Span => ({ date: at });
export const code = (text: string): Span => ({ code: text });
export const surface = (place: Surface): Span => ({ surface: place });

/** A message that is one sentence (a refusal, "Saved"): the same words as its one line. */
export const sentence = (text: Rich | string): Presentation => {
  const rich = typeof text === 'string' ? [text] : text;
  return { text: rich, sections: [{ kind: 'text', text: rich }], actions: [] };
};
