/** How photos given with a report are named, on the card and in its thread, on every platform. */
import { photoCount } from '../incidents/photos';
import { emoji, type Presentation, type Rich, typed } from './presentation';

/** "📷 2 photos": the card's line, when the report came with photos. */
export function photosLine(count: number): Rich {
  return [emoji(':camera:'), ` ${photoCount(count)}`];
}

/** The heading of the thread message that shows them: "📷 2 photos with the report, from Ms Patel". */
export function photosHeading(count: number, reporterName: string): Rich {
  return [...photosLine(count), ' with the report, from ', typed(reporterName, 100)];
}

/**
 * The answer to a photo sent to SPOC in Teams' personal chat with no import waiting for it: Teams'
 * fault card takes no files, and a card cannot show a photo to the ICT team, so it is not kept.
 */
export function photoNotKept(): Presentation {
  return {
    text: ['Photos sent here are not added to a fault.'],
    sections: [
      {
        kind: 'text',
        text: [
          "Photos sent here are not added to a fault: Teams' cards cannot show them to the ICT team. Say what the photo shows when you report it (say ",
          { command: 'fault' },
          '), or in a comment on your report.',
        ],
      },
    ],
    actions: [],
  };
}
