import type { HomeView, KnownBlock } from '@slack/types';
import type { IncidentDetail } from '../../../db/queries/incidents';
import { STATUS_LABELS } from '../../../domain/incidents/state-machine';
import { can, ROLE_LABELS, type Role } from '../../../domain/roles';
import { ACTION } from '../ids';
import { md, plain, sectionsOf } from './format';
import { incidentLine } from './incident-card.view';

export interface HomeInput {
  role: Role;
  schoolName: string;
  hasSpocChannel: boolean;
  /** The person's own reports, newest first. */
  myReports: IncidentDetail[];
  /** For staff: the open queue, most urgent first. */
  queue: IncidentDetail[];
}

const lineOf = (i: IncidentDetail) => `${incidentLine(i)} · ${STATUS_LABELS[i.status]}`;

/** The App Home: a "Report a fault" button, your reports and, for staff, the queue. */
export function homeView(input: HomeInput): HomeView {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(`ICT support · ${input.schoolName}`.slice(0, 150)) },
    {
      type: 'actions',
      elements: [
        { type: 'button', action_id: ACTION.reportFault, style: 'primary', text: plain('Report a fault') },
      ],
    },
    {
      type: 'context',
      elements: [
        md(`You are a *${ROLE_LABELS[input.role]}*. Type \`/spoc help\` for everything you can do.`),
      ],
    },
  ];
  if (!input.hasSpocChannel) {
    blocks.push({
      type: 'section',
      text: md(
        ':warning: No SPOC channel yet: reports are kept and will appear there once someone runs `/spoc setup` in it.',
      ),
    });
  }
  blocks.push({ type: 'divider' }, { type: 'section', text: md('*Your reports*') });
  blocks.push(
    ...sectionsOf(input.myReports.length ? input.myReports.slice(0, 15).map(lineOf) : ['_None yet._']),
  );
  if (can(input.role, 'incident.viewAll')) {
    blocks.push({ type: 'divider' }, { type: 'section', text: md(`*Open queue* (${input.queue.length})`) });
    blocks.push(
      ...sectionsOf(input.queue.length ? input.queue.slice(0, 20).map(lineOf) : ['Nothing open. :sparkles:']),
    );
  }
  return { type: 'home', blocks };
}
