/** Types for blockkit.js, the playground's Block Kit renderer (see the comment at its top). */

export interface RenderOptions {
  /** Slack user id → display name, for mentions and users_select. */
  users?: Record<string, string>;
  /** Channel id → name (without #), for channel links and conversations_select. */
  channels?: Record<string, string>;
  /** Timezone for `<!date^…>` (default Europe/London). */
  timeZone?: string;
  /** "Now" in epoch milliseconds, for Today/Yesterday/Tomorrow in dates (default Date.now()). */
  now?: number;
  /** Prefix for element ids and radio group names, when several views share a page (default "bk"). */
  namePrefix?: string;
  /**
   * view.state.values (e.g. collectState before a views.update): takes the place of the elements'
   * initial values where block_id and action_id match, as Slack keeps what a person entered.
   */
  state?: StateValues;
}

/** The little of the DOM the helpers use; a real HTMLElement satisfies it. */
export interface BkElement {
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  querySelectorAll(selector: string): ArrayLike<BkElement> | Iterable<BkElement>;
  querySelector(selector: string): BkElement | null;
  value?: string;
  checked?: boolean;
  selected?: boolean;
  innerHTML?: string;
}

export interface SlackOption {
  text: { type: 'plain_text' | 'mrkdwn'; text: string; emoji?: boolean };
  value: string;
  description?: { type: 'plain_text' | 'mrkdwn'; text: string };
}

/** One entry of view.state.values[block_id][action_id], as Slack sends it. */
export interface ElementState {
  type: string;
  value?: string | null;
  selected_option?: SlackOption | null;
  selected_options?: SlackOption[];
  selected_date?: string | null;
  selected_time?: string | null;
  selected_user?: string | null;
  selected_users?: string[];
  selected_conversation?: string | null;
  selected_conversations?: string[];
  selected_channel?: string | null;
  files?: unknown[];
}

export type StateValues = Record<string, Record<string, ElementState>>;

/** A block_actions `actions[0]`. */
export interface BlockAction extends ElementState {
  action_id: string;
  block_id: string;
  action_ts: string;
  text?: { type: 'plain_text'; text: string; emoji: boolean };
  style?: string;
}

export const EMOJI: Readonly<Record<string, string>>;
export function escapeHtml(text: unknown): string;
export function renderText(text: unknown, opts?: RenderOptions): string;
export function renderMrkdwn(text: string, opts?: RenderOptions): string;
export function renderBlocks(blocks: unknown, opts?: RenderOptions): string;
export function renderMessage(message: { text?: string; blocks?: unknown }, opts?: RenderOptions): string;
export function renderView(view: unknown, opts?: RenderOptions): string;
export function renderOptionList(answer: {
  options?: SlackOption[];
  option_groups?: Array<{ label: unknown; options: SlackOption[] }>;
}): string;
export function elementState(el: BkElement): ElementState;
export function collectState(root: BkElement): StateValues;
export function readAction(el: BkElement, nowMs?: number): BlockAction;
export function selectExternalOption(container: BkElement, option: SlackOption): void;
