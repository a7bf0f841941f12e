/**
 * The App Home tab, rendered from the person's home as the domain presents it
 * (`src/domain/presenters/home.ts`): the heading as the tab's header, each part under a divider.
 * Slack takes at most 100 blocks in a view: the presenter caps every list and says how many more
 * there are, so the whole home fits; the cut here is only a last guard.
 */
import type { HomeView, KnownBlock, ModalView } from '@slack/types';
import { type HomeInput as DomainHomeInput, presentHomeParts } from '../../../domain/presenters/home';
import { type Presentation, type Rich, SURFACE_WORDS } from '../../../domain/presenters/presentation';
import { plain } from './format';
import { renderMessage, sectionBlocks } from './render';

/** The most blocks Slack takes in a view (a home or a modal). */
export const VIEW_BLOCKS_MAX = 100;

export interface HomeInput extends DomainHomeInput {
  /** The answer to something just pressed on the Home tab, shown under the top. */
  notice?: KnownBlock[];
}

/** The words of a heading as plain text (a header block shows no markup). */
function plainWords(rich: Rich): string {
  return rich
    .map((span): string => {
      if (typeof span === 'string') return span;
      if ('max' in span) return span.text;
      if ('bold' in span) return plainWords(span.bold);
      if ('italic' in span) return plainWords(span.italic);
      if ('quote' in span) return plainWords(span.quote);
      if ('command' in span) return `/${span.command}`;
      if ('code' in span) return span.code;
      if ('surface' in span) return plainWords(SURFACE_WORDS.slack[span.surface]);
      if ('person' in span) return span.person.name;
      if ('link' in span) return plainWords(span.label);
      return '';
    })
    .join('');
}

/** The App Home: a "Report a fault" button, your reports and, for staff, the queue. */
export function homeView(input: HomeInput): HomeView {
  const { top, parts } = presentHomeParts(input);
  const blocks: KnownBlock[] = top.flatMap((s): KnownBlock[] =>
    s.kind === 'heading'
      ? [{ type: 'header', text: plain(plainWords(s.text).slice(0, 150)) }]
      : sectionBlocks([s], input.timezone),
  );
  // The notice goes right under the heading, the button and the role line.
  if (input.notice?.length) blocks.splice(3, 0, ...input.notice);
  for (const part of parts) blocks.push({ type: 'divider' }, ...sectionBlocks(part, input.timezone));
  return { type: 'home', blocks: blocks.slice(0, VIEW_BLOCKS_MAX) };
}

/**
 * An answer shown in a modal of its own (Open on the App Home, which has no message to answer
 * under): its line as the title, cut to Slack's 24 characters, and its sections.
 */
export function presentationModal(p: Presentation, timezone: string): ModalView {
  const title = plainWords(p.text);
  return {
    type: 'modal',
    title: plain(title.length > 24 ? `${title.slice(0, 23)}…` : title),
    close: plain('Close'),
    blocks: renderMessage(p, timezone).blocks.slice(0, VIEW_BLOCKS_MAX),
  };
}
