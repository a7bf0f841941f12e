/** How photos given with a report are named, on the card and in its thread, on every platform. */
import { photoCount } from '../incidents/photos';
import { emoji, type Rich, typed } from './presentation';

/** "📷 2 photos": the card's line, when the report came with photos. */
export function photosLine(count: number): Rich {
  return [emoji(':camera:'), ` ${photoCount(count)}`];
}

/** The heading of the thread message that shows them: "📷 2 photos with the report, from Ms Patel". */
export function photosHeading(count: number, reporterName: string): Rich {
  return [...photosLine(count), ' with the report, from ', typed(reporterName, 100)];
}
