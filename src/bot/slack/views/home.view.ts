import type { HomeView, KnownBlock } from '@slack/types';
import type { IncidentDetail } from '../../../db/queries/incidents';
import { STATUS_LABELS } from '../../../domain/incidents/state-machine';
import { LICENCE_FLAG_LABELS } from '../../../domain/registers/compliance';
import type { RegisterHealth } from '../../../domain/registers/register-health';
import { ASSET_TYPE_LABELS } from '../../../domain/registers/types';
import { can, ROLE_LABELS, type Role } from '../../../domain/roles';
import { ACTION } from '../ids';
import { escClip, md, plain, sectionsOf, ukDate } from './format';
import { incidentLine } from './incident-card.view';

export interface HomeInput {
  role: Role;
  schoolName: string;
  hasSpocChannel: boolean;
  /** The person's own reports, newest first. */
  myReports: IncidentDetail[];
  /** For staff: the open queue, most urgent first. */
  queue: IncidentDetail[];
  /** For office/admin: what needs attention in the registers. */
  health?: RegisterHealth;
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
  if (input.health) blocks.push(...registerHealthBlocks(input.health));
  return { type: 'home', blocks: blocks.slice(0, 100) };
}

function registerHealthBlocks(h: RegisterHealth): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'divider' }, { type: 'section', text: md('*Registers*') }];
  const warranty = h.warrantiesEnding.map(
    (a) => `• *${escClip(a.tag, 64)}* ${ASSET_TYPE_LABELS[a.type]} — warranty ends ${ukDate(a.warrantyEnd)}`,
  );
  const licences = h.licenceProblems.map(
    (l) =>
      `• *${escClip(l.title, 120)}* — ${l.compliance.flags.map((f) => LICENCE_FLAG_LABELS[f]).join(', ')}` +
      (l.quantity !== null && l.type !== 'site' ? ` (${l.seatsInUse} of ${l.quantity} seats)` : ''),
  );
  blocks.push(
    ...sectionsOf([
      warranty.length
        ? `:hourglass: *Warranties ending in the next 30 days* (${warranty.length})`
        : ':white_check_mark: No warranties ending in the next 30 days.',
      ...warranty,
    ]),
    ...sectionsOf([
      licences.length
        ? `:warning: *Licences needing attention* (${licences.length})`
        : ':white_check_mark: Licences are in order.',
      ...licences,
    ]),
    {
      type: 'actions',
      elements: [
        { type: 'button', action_id: ACTION.locationAdd, text: plain('Add a location') },
        { type: 'button', action_id: ACTION.assetAdd, text: plain('Register an asset') },
        { type: 'button', action_id: ACTION.licenceAdd, text: plain('Add a licence') },
      ],
    },
  );
  return blocks;
}
