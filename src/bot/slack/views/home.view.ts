import type { HomeView, KnownBlock } from '@slack/types';
import type { IncidentDetail, IncidentRow } from '../../../db/queries/incidents';
import { formatReference } from '../../../domain/incidents/reference';
import type { MyReports } from '../../../domain/incidents/reporter-response';
import { isOpen, STATUS_LABELS } from '../../../domain/incidents/state-machine';
import { LICENCE_FLAG_LABELS } from '../../../domain/registers/compliance';
import type { RegisterHealth } from '../../../domain/registers/register-health';
import { ASSET_TYPE_LABELS } from '../../../domain/registers/types';
import { can, ROLE_LABELS, type Role } from '../../../domain/roles';
import type { WorkItemSummary } from '../../../domain/work-items/list';
import { ACTION } from '../ids';
import { escClip, md, plain, sectionsOf, slackDate, ukDate } from './format';
import { incidentLine } from './incident-card.view';
import { answerButtons, commentButton, REPORTER_STATUS } from './reporter-notice.view';
import { workProgressBlocks } from './work-items.view';

export interface HomeInput {
  role: Role;
  schoolName: string;
  hasSpocChannel: boolean;
  /** The school's timezone, for dates. */
  timezone: string;
  /** The person's own reports: open ones (newest first), then the last few closed. */
  myReports: MyReports;
  /** The answer to something just pressed on the Home tab, shown at the top. */
  notice?: KnownBlock[];
  /** For staff: the open queue, most urgent first. */
  queue: IncidentDetail[];
  /** For staff: open changes and problems, overdue first. */
  work?: readonly WorkItemSummary[];
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
        md(`Your role: *${ROLE_LABELS[input.role]}*. Type \`/spoc help\` for everything you can do.`),
      ],
    },
  ];
  if (input.notice?.length) blocks.push(...input.notice);
  if (!input.hasSpocChannel) {
    blocks.push({
      type: 'section',
      text: md(
        ':warning: No SPOC channel yet: reports are kept and will appear there once someone runs `/spoc setup` in it.',
      ),
    });
  }
  blocks.push({ type: 'divider' }, { type: 'section', text: md('*Your reports*') });
  blocks.push(...myReportBlocks(input.myReports, input.timezone));
  if (can(input.role, 'incident.viewAll')) {
    blocks.push({ type: 'divider' }, { type: 'section', text: md(`*Open queue* (${input.queue.length})`) });
    blocks.push(
      ...sectionsOf(input.queue.length ? input.queue.slice(0, 20).map(lineOf) : ['Nothing open. :sparkles:']),
    );
  }
  if (input.work) {
    blocks.push(
      { type: 'divider' },
      { type: 'section', text: md(`*Changes and problems* (${input.work.length} open)`) },
      ...workProgressBlocks(input.work),
    );
  }
  if (input.health) blocks.push(...registerHealthBlocks(input.health));
  return { type: 'home', blocks: blocks.slice(0, 100) };
}

/**
 * The person's own reports in plain words: each open one with "Add a comment", each fixed one
 * asking "Fixed" / "Still broken"; then the recently closed, one line each.
 */
function myReportBlocks(mine: MyReports, timezone: string): KnownBlock[] {
  if (mine.open.length === 0 && mine.closed.length === 0) {
    return [
      { type: 'section', text: md('_None yet. Press *Report a fault* when something is not working._') },
    ];
  }
  const title = (i: IncidentRow) => `*${formatReference(i.number)}* — ${escClip(i.summary, 150)}`;
  const blocks: KnownBlock[] = [];
  for (const i of mine.open.slice(0, 15)) {
    const text = md(
      `${title(i)}\n${REPORTER_STATUS[i.status]} · reported ${slackDate(i.createdAt, timezone)}`,
    );
    if (i.status === 'resolved') {
      blocks.push({ type: 'section', text }, { type: 'actions', elements: answerButtons(i) });
    } else if (isOpen(i.status)) {
      blocks.push({ type: 'section', text, accessory: commentButton(i, 'Add a comment') });
    } else {
      blocks.push({ type: 'section', text });
    }
  }
  if (mine.closed.length > 0) {
    blocks.push(
      ...sectionsOf([
        '_Recently closed_',
        ...mine.closed.map((i) =>
          `${title(i)} · closed ${i.closedAt ? slackDate(i.closedAt, timezone) : ''}`.trimEnd(),
        ),
      ]),
    );
  }
  return blocks;
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
