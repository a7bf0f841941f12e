/**
 * Adaptive Cards 1.5 for Teams from the platform-neutral presentations of
 * `src/domain/presenters`: the neutral markup as Teams markdown, sections as TextBlocks and a
 * FactSet, actions as `Action.Execute` (Universal Actions) whose verb is the neutral action id,
 * except the few that open a dialog (`DIALOG_ACTIONS`): a Universal Action cannot open one, so
 * those are `Action.Submit` with `msteams: { type: 'task/fetch' }` and the verb in their data.
 * No wording is decided here.
 *
 * Roles: a card renders the actions it is given. The card posted in the SPOC channel is given
 * every action, so everyone who sees it as posted sees them all, as in Slack; the command checks
 * the presser's role on press and tells them if it is not theirs. Its `refresh` names up to 60
 * readers by their Teams user ids (`29:…`, the ids Teams' own `refresh.userIds` takes); when one
 * of them views it, Teams asks the bot for a card of their own (verb `refresh`), and that answer
 * is given only the actions the reader's role may take (`presentationFor`, in the presenters).
 * In a channel of 60 members or fewer Teams refreshes it for everyone who views it.
 */
import {
  type ActionId,
  type Presentation,
  type PresentedAction,
  type Rich,
  type Section,
  SURFACE_WORDS,
} from '../../../domain/presenters/presentation';

/** The schema version: 1.5 is what Teams needs for `Action.Execute` and `refresh`. */
export const CARD_VERSION = '1.5';
/** The verb Teams sends when it refreshes a card on view (`refresh.action`). */
export const REFRESH_VERB = 'refresh';

/** A card's Action.Execute verb: the neutral action id itself. */
export type TeamsVerb = ActionId | typeof REFRESH_VERB;

/**
 * The actions that open a dialog (a task module) rather than act at once: Teams sends their press
 * as a `task/fetch` invoke with the button's data (`verb` and `value`).
 */
export const DIALOG_ACTIONS: ReadonlySet<ActionId> = new Set<ActionId>([
  'incident.triage',
  'incident.forward',
  'incident.escalate',
  'incident.resolve',
  'incident.note',
  'incident.reply',
  'incident.merge',
  'incident.hold',
  'incident.close',
  'incident.providerUpdate',
  'incident.handBack',
  // Open on the staff's home: the incident with its history, shown in a dialog.
  'incident.open',
  'reporter.comment',
  'satisfaction.comment',
  'reminder.renewed',
  'reminder.reassign',
  // The registers' forms.
  'location.add',
  'location.edit',
  'asset.add',
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
  'diary.add',
  'work.newChange',
  'work.newProblem',
  'work.progress',
  'work.edit',
  'work.link',
  'work.resolveLinked',
  'settings.edit',
  'fix.add',
  'fix.edit',
]);

/** What every Action.Execute (and its Action.Submit fallback) carries back. */
export interface TeamsActionData {
  /** The action's value: an incident id, a payment id, … */
  value: string;
}

export type AdaptiveElement = Record<string, unknown>;
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: typeof CARD_VERSION;
  fallbackText?: string;
  body: AdaptiveElement[];
  actions?: AdaptiveElement[];
  refresh?: { action: AdaptiveElement; userIds?: string[] };
}

export interface RenderOptions {
  /** The school's time zone: every date is shown in it. */
  timezone?: string;
  /**
   * Refresh on view: Teams asks for the card again (verb `refresh`, with `data`) when one of
   * `userIds` (Teams user ids `29:…`, at most 60; the rest are dropped) looks at it, so a stale
   * card shows the incident as it is, and each of them sees their own actions.
   */
  refresh?: { data: TeamsActionData & Record<string, string>; userIds?: string[]; verb?: string };
}

/** The shortcodes the presenters use, as Unicode (one not listed is left out, never shown raw). */
const EMOJI: Record<string, string> = {
  ':red_circle:': '🔴',
  ':large_orange_circle:': '🟠',
  ':large_yellow_circle:': '🟡',
  ':white_circle:': '⚪',
  ':tada:': '🎉',
  ':alarm_clock:': '⏰',
  ':arrow_forward:': '▶️',
  ':arrow_right:': '➡️',
  ':arrows_counterclockwise:': '🔄',
  ':building_construction:': '🏗️',
  ':calendar:': '📅',
  ':double_vertical_bar:': '⏸️',
  ':hourglass:': '⌛',
  ':handshake:': '🤝',
  ':incoming_envelope:': '📨',
  ':key:': '🔑',
  ':label:': '🏷️',
  ':leftwards_arrow_with_hook:': '↩️',
  ':link:': '🔗',
  ':lock:': '🔒',
  ':mag:': '🔍',
  ':mega:': '📣',
  ':memo:': '📝',
  ':newspaper:': '📰',
  ':page_facing_up:': '📄',
  ':pencil2:': '✏️',
  ':ticket:': '🎫',
  ':pound:': '💷',
  ':pray:': '🙏',
  ':raising_hand:': '🙋',
  ':repeat:': '🔁',
  ':rotating_light:': '🚨',
  ':shield:': '🛡️',
  ':sunrise:': '🌅',
  ':speech_balloon:': '💬',
  ':envelope:': '✉️',
  ':spiral_calendar_pad:': '🗓️',
  ':spiral_note_pad:': '🗒️',
  ':camera:': '📷',
  ':stopwatch:': '⏱️',
  ':telephone_receiver:': '📞',
  ':truck:': '🚚',
  ':warning:': '⚠️',
  ':white_check_mark:': '✅',
  ':x:': '❌',
  ':zzz:': '💤',
  ':no_entry:': '⛔',
  ':round_pushpin:': '📍',
  ':hourglass_flowing_sand:': '⏳',
  ':palm_tree:': '🌴',
  ':sparkles:': '✨',
  ':thinking_face:': '🤔',
  ':ballot_box_with_ballot:': '🗳️',
};

/**
 * Escapes what Teams markdown would read as markup in literal text: emphasis, links, code,
 * quotes, headings, and a line that would start a list.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\*_[\]`~>#|<]/g, '\\$&')
    .replace(/^(\s*)([-+]|\d+\.)(?=\s)/gm, (_m, space: string, mark: string) =>
      mark.endsWith('.') ? `${space}${mark.slice(0, -1)}\\.` : `${space}\\${mark}`,
    );
}

/** Cuts typed text to `max` characters (marking the cut), then escapes it. */
export function escapeCut(text: string, max: number): string {
  const cut = text.length <= max ? text : `${text.slice(0, Math.max(max - 1, 0))}…`;
  return escapeMarkdown(cut);
}

/** A moment in the school's time zone, e.g. "30 Nov, 09:15". */
export function teamsDate(at: Date, timezone = 'Europe/London'): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
}

/**
 * The neutral markup as Teams markdown. A person is named in bold: a TextBlock in a card shows
 * no `<at>` mention unless the card carries `msteams.entities` with their Teams id, which the
 * presenters' people do not have.
 */
export function renderText(rich: Rich, timezone?: string): string {
  return rich
    .map((span): string => {
      if (typeof span === 'string') return escapeMarkdown(span);
      if ('max' in span) return escapeCut(span.text, span.max);
      if ('bold' in span) return `**${renderText(span.bold, timezone)}**`;
      if ('italic' in span) return `_${renderText(span.italic, timezone)}_`;
      if ('command' in span) return `\`${span.command.replace(/`/g, '')}\``;
      if ('code' in span) return `\`${span.code.replace(/`/g, '')}\``;
      if ('surface' in span) return renderText(SURFACE_WORDS.teams[span.surface], timezone);
      if ('quote' in span)
        return renderText(span.quote, timezone)
          .split('\n')
          .map((line) => `> ${line}`)
          .join('\n');
      if ('person' in span) return `**${escapeMarkdown(span.person.name)}**`;
      if ('date' in span) return teamsDate(span.date, timezone);
      if ('link' in span) {
        if (!/^https?:\/\//i.test(span.link)) return renderText(span.label, timezone);
        const url = span.link.replace(
          /[()\s]/g,
          (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
        );
        return `[${renderText(span.label, timezone)}](${url})`;
      }
      return EMOJI[span.emoji] ?? '';
    })
    .join('');
}

/**
 * Plain text (a notification line, a fallback): the words with no markup. Teams shows
 * `fallbackText` and an activity's summary as they are.
 */
export function plainText(rich: Rich, timezone?: string): string {
  return rich
    .map((span): string => {
      if (typeof span === 'string') return span;
      if ('max' in span)
        return span.text.length <= span.max ? span.text : `${span.text.slice(0, span.max - 1)}…`;
      if ('bold' in span) return plainText(span.bold, timezone);
      if ('italic' in span) return plainText(span.italic, timezone);
      if ('command' in span) return span.command;
      if ('code' in span) return span.code;
      if ('surface' in span) return plainText(SURFACE_WORDS.teams[span.surface], timezone);
      if ('quote' in span) return plainText(span.quote, timezone);
      if ('person' in span) return span.person.name;
      if ('date' in span) return teamsDate(span.date, timezone);
      if ('link' in span) return plainText(span.label, timezone);
      return EMOJI[span.emoji] ?? '';
    })
    .join('');
}

const textBlock = (text: string, extra: Record<string, unknown> = {}): AdaptiveElement => ({
  type: 'TextBlock',
  text,
  wrap: true,
  ...extra,
});

function sectionElements(s: Section, timezone?: string): AdaptiveElement[] {
  switch (s.kind) {
    case 'heading':
      return [textBlock(renderText(s.text, timezone), { size: 'Medium', weight: 'Bolder' })];
    case 'text':
      return [textBlock(renderText(s.text, timezone))];
    case 'fields':
      return [
        {
          type: 'FactSet',
          facts: s.fields.map((f) => ({ title: f.label, value: renderText(f.value, timezone) })),
        },
      ];
    case 'lines':
      // One block per line: a long list stays within what a TextBlock shows well.
      return s.lines.map((line, n) =>
        textBlock(renderText(line, timezone), {
          ...(n === 0 ? {} : { spacing: 'None' }),
          ...(s.tone === 'alert' ? { color: 'Attention' } : {}),
        }),
      );
    case 'context':
      return [textBlock(renderText(s.text, timezone), { size: 'Small', isSubtle: true })];
    case 'item':
      // A row of a list, separated from the one before, with its actions right under it.
      return [
        {
          type: 'Container',
          separator: true,
          items: [
            textBlock(renderText(s.text, timezone)),
            ...(s.actions.length ? [{ type: 'ActionSet', actions: s.actions.map(executeAction) }] : []),
          ],
        },
      ];
    case 'buttons':
      return s.actions.length ? [{ type: 'ActionSet', actions: s.actions.map(executeAction) }] : [];
  }
}

/**
 * One action as `Action.Execute` (verb = the neutral id, data = its value), with an
 * `Action.Submit` fallback for clients without Universal Actions (its data names the verb); or,
 * for one that opens a dialog, as that `Action.Submit` alone, asking Teams for the dialog.
 */
export function executeAction(a: PresentedAction): AdaptiveElement {
  const data: TeamsActionData = { value: a.value };
  const style = a.style === 'primary' ? 'positive' : a.style === 'danger' ? 'destructive' : undefined;
  if (DIALOG_ACTIONS.has(a.id)) {
    return {
      type: 'Action.Submit',
      title: a.label,
      data: { msteams: { type: 'task/fetch' }, verb: a.id, ...data },
      associatedInputs: 'none',
      ...(style ? { style } : {}),
      ...(a.secondary ? { mode: 'secondary' } : {}),
    };
  }
  return {
    type: 'Action.Execute',
    title: a.label,
    verb: a.id,
    data,
    associatedInputs: 'none',
    ...(style ? { style } : {}),
    ...(a.secondary ? { mode: 'secondary' } : {}),
    fallback: { type: 'Action.Submit', title: a.label, data: { verb: a.id, ...data } },
  };
}

/** A whole presentation as an Adaptive Card 1.5: its sections, then its actions. */
export function renderCard(p: Presentation, opts: RenderOptions = {}): AdaptiveCard {
  const { timezone } = opts;
  const card: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    fallbackText: plainText(p.text, timezone),
    body: p.sections.flatMap((s) => sectionElements(s, timezone)),
  };
  if (p.actions.length) card.actions = p.actions.map(executeAction);
  if (opts.refresh) {
    card.refresh = {
      action: { type: 'Action.Execute', verb: opts.refresh.verb ?? REFRESH_VERB, data: opts.refresh.data },
      ...(opts.refresh.userIds?.length ? { userIds: opts.refresh.userIds.slice(0, 60) } : {}),
    };
  }
  return card;
}

/** The attachment that carries a card in an activity. */
export function cardAttachment(card: AdaptiveCard): { contentType: string; content: AdaptiveCard } {
  return { contentType: 'application/vnd.microsoft.card.adaptive', content: card };
}

/** A presentation as a Teams message activity: the card, with its one line as the notification. */
export function cardMessage(
  p: Presentation,
  opts: RenderOptions = {},
): { type: 'message'; summary: string; attachments: Array<ReturnType<typeof cardAttachment>> } {
  return {
    type: 'message',
    summary: plainText(p.text, opts.timezone).slice(0, 250),
    attachments: [cardAttachment(renderCard(p, opts))],
  };
}
