/**
 * What SPOC says under a chat message it made an incident of (a ticket by reaction): the
 * reference, in the message's thread, so whoever wrote or saw it knows it is logged.
 */
import type { IncidentDetail } from '../../db/queries/incidents';
import { formatReference } from '../incidents/reference';
import { bold, emoji, type Presentation, person, typed } from './presentation';

/** The reply in the message's thread: logged as INC-n, and who will hear how it goes. */
export function presentTicketReply(i: IncidentDetail): Presentation {
  const ref = formatReference(i.number);
  return {
    text: [`Logged as ${ref}`],
    sections: [
      {
        kind: 'text',
        text: [
          emoji(':ticket:'),
          ' Logged as ',
          bold(ref),
          ' — ',
          typed(i.summary, 150),
          '\nThe ICT team has it. ',
          person(i.reporterName, i.reporterSlackId),
          ' will hear from me how it goes, and can add details (where, which device, how urgent).',
        ],
      },
    ],
    actions: [],
  };
}
