/**
 * The playground's Block Kit renderer, fed the app's own views: every block and element SPOC
 * sends must render (nothing "unsupported"), text must be escaped, and what the page reads back
 * (view state, block actions) must be in Slack's exact shapes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type BkElement,
  collectState,
  EMOJI,
  readAction,
  renderBlocks,
  renderMessage,
  renderMrkdwn,
  renderOptionList,
  renderView,
  selectExternalOption,
} from '../../src/bot/playground/public/blockkit';
import { ACTION, CALLBACK, FAULT_BLOCK } from '../../src/bot/slack/ids';
import { readState } from '../../src/bot/slack/view-state';
import { commentModalView, commentSentView } from '../../src/bot/slack/views/comment-modal.view';
import {
  chaseReplyView,
  escalationEmailModalView,
  escalationPostedModalView,
  providerChannelView,
} from '../../src/bot/slack/views/escalation.view';
import { faultModalView, faultReportedView } from '../../src/bot/slack/views/fault-modal.view';
import { homeView } from '../../src/bot/slack/views/home.view';
import { incidentCardView, moreValue } from '../../src/bot/slack/views/incident-card.view';
import {
  closeModalView,
  escalateModalView,
  forwardModalView,
  handBackModalView,
  holdModalView,
  noteModalView,
  providerUpdateModalView,
  resolveModalView,
  triageModalView,
} from '../../src/bot/slack/views/incident-modals.view';
import { officeFormModal } from '../../src/bot/slack/views/office-form.view';
import { importModalView } from '../../src/bot/slack/views/registers/import.view';
import { reminderDoneView, reminderView } from '../../src/bot/slack/views/reminder.view';
import { sectionBlocks } from '../../src/bot/slack/views/render';
import { apologyModalView, helpView, noticeView, usageView } from '../../src/bot/slack/views/replies.view';
import { reporterNoticeView } from '../../src/bot/slack/views/reporter-notice.view';
import { settingsModalView, settingsSavedView, settingsView } from '../../src/bot/slack/views/settings.view';
import { workFormModal, workSavedView } from '../../src/bot/slack/views/work-items.view';
import type { EscalationSummaryData } from '../../src/db/queries/escalations';
import type { IncidentDetail } from '../../src/db/queries/incidents';
import type { WorkItemRow } from '../../src/db/queries/work-items';
import { assetFormSpec } from '../../src/domain/forms/assets';
import { licenceFormSpec } from '../../src/domain/forms/licences';
import { locationFormSpec } from '../../src/domain/forms/locations';
import {
  contractFormSpec,
  diaryFormSpec,
  paymentFormSpec,
  providerFormSpec,
} from '../../src/domain/forms/supply';
import {
  editWorkFormSpec,
  linkFormSpec,
  newWorkFormSpec,
  progressFormSpec,
  resolveFormSpec,
} from '../../src/domain/forms/work-items';
import { DEFAULT_SLA } from '../../src/domain/incidents/sla';
import { workProgressSections } from '../../src/domain/presenters/home';
import type { Reminder } from '../../src/domain/reminders/reminder';
import { DEFAULT_LEAD_TIMES } from '../../src/domain/reminders/rules';
import { ROLES } from '../../src/domain/roles';
import { makeCalendar } from '../../src/domain/school-time';
import type { WorkItemSummary } from '../../src/domain/work-items/list';
import { incidentDetail } from '../support/incident-detail';

const opts = {
  users: { U0PLAYTEACH: 'Ms Patel', U0PLAYTECH: 'Sam Tech', U0PLAYOFFC: 'Mrs Office' },
  channels: { C0PLAYSPOC: 'ict-help', C0PLAYSTAF: 'staff' },
};

const incident = incidentDetail({ reporterSlackId: 'U0PLAYTEACH' });
const working: IncidentDetail = {
  ...incident,
  status: 'in_progress',
  assigneeId: 'x',
  assigneeSlackId: 'U0PLAYTECH',
  assigneeName: 'sam.tech',
  firstResponseAt: new Date('2026-11-30T09:30:00Z'),
};
const escalated: IncidentDetail = {
  ...working,
  status: 'escalated',
  supportLevel: 'second',
  providerId: 'p1',
  providerName: 'Broadband & Co',
  providerRef: 'BB-1',
};
const held: IncidentDetail = {
  ...working,
  status: 'on_hold',
  onHoldSince: new Date('2026-11-30T10:00:00Z'),
  holdReason: 'Waiting for a part',
};
const resolved: IncidentDetail = {
  ...working,
  status: 'resolved',
  resolution: 'Replaced the HDMI cable',
  resolvedAt: new Date('2026-11-30T11:00:00Z'),
};
const closed: IncidentDetail = { ...resolved, status: 'closed', closedAt: new Date('2026-12-01T10:00:00Z') };
const live = {
  now: new Date('2026-11-30T12:00:00Z'),
  calendar: makeCalendar(),
  sla: DEFAULT_SLA,
  openEscalation: {
    providerName: 'Broadband & Co',
    providerRef: 'BB-1',
    escalatedAt: new Date('2026-11-30T10:00:00Z'),
    respondBy: new Date('2026-11-30T14:00:00Z'),
    respondedAt: null,
  },
};

const places = [
  { id: 'loc-1', name: 'ICT suite' },
  { id: 'loc-2', name: 'Library' },
];
const manyPlaces = Array.from({ length: 150 }, (_, i) => ({ id: `loc-${i}`, name: `Room ${i}` }));
const providers = [{ id: 'p1', name: 'Broadband & Co' }];
const settings = {
  schoolName: 'Hillside Primary',
  timezone: 'Europe/London',
  dayStart: '08:30',
  dayEnd: '15:30',
  dayMinutes: 420,
  sla: DEFAULT_SLA,
  leadTimes: DEFAULT_LEAD_TIMES,
  ticketEmoji: 'ticket',
};
const workItem: WorkItemRow = {
  id: 'w1',
  schoolId: incident.schoolId,
  kind: 'problem',
  number: 3,
  title: 'Projectors keep losing signal',
  description: 'Three rooms this month',
  ownerId: null,
  status: 'investigating' as WorkItemRow['status'],
  percentDone: 40,
  targetDate: '2026-12-10',
  createdBy: null,
  createdAt: new Date('2026-11-01T09:00:00Z'),
  updatedAt: new Date('2026-11-20T09:00:00Z'),
  closedAt: null,
};
const workSummary: WorkItemSummary = {
  ...workItem,
  ownerName: 'sam.tech',
  ownerSlackId: 'U0PLAYTECH',
  lastUpdateAt: new Date('2026-11-20T09:00:00Z'),
  reference: 'PRB-3',
  overdue: false,
};
const escalation: EscalationSummaryData = {
  schoolName: 'Hillside Primary',
  timezone: 'Europe/London',
  incident: escalated,
  events: [],
  asset: undefined,
  escalation: {
    id: 'e1',
    schoolId: incident.schoolId,
    incidentId: incident.id,
    providerId: 'p1',
    contractId: null,
    providerRef: 'BB-1',
    note: 'Line down since 9am',
    escalatedBy: null,
    escalatedAt: new Date('2026-11-30T10:00:00Z'),
    respondBy: new Date('2026-11-30T14:00:00Z'),
    respondedAt: null,
    returnedAt: null,
    lastChasedAt: null,
    chaseCount: 0,
  },
  provider: {
    id: 'p1',
    schoolId: incident.schoolId,
    name: 'Broadband & Co',
    nameKey: 'broadband & co',
    level: 'second' as EscalationSummaryData['provider']['level'],
    contactName: 'Pat',
    email: 'help@broadband.example',
    phone: '0123',
    chatChannel: '',
    notes: '',
    authoritySchoolId: null,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    updatedAt: new Date('2026-01-01T00:00:00Z'),
  },
  contactName: 'Mr Head',
};

const reminders: Reminder[] = [
  {
    kind: 'payment.due_soon',
    key: 'k1',
    paymentId: 'pay1',
    payee: 'Broadband & Co',
    amountPence: 12_345,
    dueDate: '2026-12-03',
    reference: 'INV-1',
    days: 3,
  },
  {
    kind: 'contract.notice',
    key: 'k2',
    contractId: 'c1',
    title: 'Broadband',
    providerName: 'Broadband & Co',
    date: '2027-01-01',
    days: 30,
    autoRenews: true,
  },
  {
    kind: 'incident.sla_breach',
    key: 'k3',
    incidentId: incident.id,
    number: 7,
    summary: 'Projector',
    priority: 'P2',
    measure: 'response',
    dueAt: '2026-11-30T10:00:00Z',
  },
  {
    kind: 'licence.over_deployed',
    key: 'k4',
    licenceId: 'l1',
    title: 'Office',
    expiryDate: null,
    days: null,
    seatsInUse: 12,
    quantity: 10,
  },
  { kind: 'asset.warranty', key: 'k5', assetId: 'a1', tag: 'LAP-001', warrantyEnd: '2026-12-20', days: 20 },
  {
    kind: 'diary.today',
    key: 'k6',
    date: '2026-11-30',
    entries: [{ title: 'Whiteboard install', kind: 'install' }],
  },
  {
    kind: 'escalation.chase',
    key: 'k7',
    escalationId: 'e1',
    incidentId: incident.id,
    number: 7,
    summary: 'Projector',
    providerName: 'Broadband & Co',
    providerRef: 'BB-1',
    respondBy: '2026-11-30T14:00:00Z',
    chaseCount: 1,
  },
  {
    kind: 'problem.suggested',
    key: 'k8',
    scope: 'location',
    subjectId: 'loc-1',
    label: 'Room 4',
    count: 3,
    incidents: [{ id: 'i1', number: 7, summary: 'Projector' }],
  },
  {
    kind: 'digest',
    key: 'k9',
    week: '2026-W49',
    openByPriority: { P1: 0, P2: 1, P3: 2, P4: 0 },
    slaAtRisk: [{ number: 7, summary: 'Projector', priority: 'P2', breached: true }],
    paymentsThisWeek: [{ payee: 'Broadband & Co', amountPence: 100, dueDate: '2026-12-01' }],
    renewalsInNotice: [],
    licenceProblems: [],
    diaryToday: [],
  },
];

type Surface =
  | { kind: 'message'; value: { text: string; blocks: unknown[] } }
  | { kind: 'view'; value: unknown };
const message = (value: { text: string; blocks: unknown[] }): Surface => ({ kind: 'message', value });
const view = (value: unknown): Surface => ({ kind: 'view', value });

/** Every surface SPOC builds that a fixture can reach, by name. */
function spocSurfaces(): Array<[string, Surface]> {
  const out: Array<[string, Surface]> = [];
  for (const [name, i] of Object.entries({ incident, working, escalated, held, resolved, closed })) {
    out.push([`card ${name}`, message(incidentCardView(i, 'Europe/London', live))]);
    out.push([`card ${name} (no live)`, message(incidentCardView(i, 'Europe/London'))]);
  }
  out.push(
    [
      'fault modal',
      view(
        faultModalView({
          locations: places,
          prefill: { summary: 'Wi-Fi down' },
          metadata: { source: 'command' },
        }),
      ),
    ],
    [
      'fault modal with assets',
      view(
        faultModalView({
          locations: places,
          locationId: 'loc-1',
          assets: [{ id: 'a1', label: 'LAP-001 laptop' }],
          metadata: { source: 'home' },
        }),
      ),
    ],
    [
      'fault modal, type-ahead',
      view(faultModalView({ locations: manyPlaces, metadata: { source: 'shortcut' } })),
    ],
    ['fault reported', view(faultReportedView('INC-7', 'Projector'))],
    ['triage', view(triageModalView(incident))],
    ['resolve', view(resolveModalView(working))],
    ['close', view(closeModalView(working))],
    ['forward', view(forwardModalView(working, providers))],
    ['forward, no providers', view(forwardModalView(working, []))],
    ['escalate', view(escalateModalView(working, providers))],
    ['provider update', view(providerUpdateModalView(escalated))],
    ['hand back', view(handBackModalView(escalated))],
    ['hold', view(holdModalView(working))],
    ['note', view(noteModalView(working))],
    ['comment', view(commentModalView(working))],
    ['comment sent', view(commentSentView(working, true))],
    ['notice', message(noticeView('Done :white_check_mark:'))],
    ['apology', view(apologyModalView('ERR-1'))],
    ['usage', message(usageView('Unknown command', 'teacher'))],
    ['settings', message(settingsView(settings, true))],
    ['settings modal', view(settingsModalView(settings))],
    ['settings saved', view(settingsSavedView(settings, 2))],
    [
      'location modal',
      view(officeFormModal(CALLBACK.locationModal, locationFormSpec(undefined, places), undefined)),
    ],
    ['asset modal', view(officeFormModal(CALLBACK.assetModal, assetFormSpec(undefined, places), undefined))],
    [
      'asset modal, type-ahead',
      view(officeFormModal(CALLBACK.assetModal, assetFormSpec(undefined, manyPlaces), undefined)),
    ],
    ['licence modal', view(officeFormModal(CALLBACK.licenceModal, licenceFormSpec(undefined), undefined))],
    ['provider modal', view(officeFormModal(CALLBACK.providerModal, providerFormSpec(undefined), undefined))],
    [
      'contract modal',
      view(officeFormModal(CALLBACK.contractModal, contractFormSpec(undefined, providers), undefined)),
    ],
    ['payment modal', view(officeFormModal(CALLBACK.paymentModal, paymentFormSpec(providers), undefined))],
    [
      'diary modal',
      view(
        officeFormModal(
          CALLBACK.diaryModal,
          diaryFormSpec('2026-11-30', [{ id: 'w1', number: 2, title: 'Whiteboards' }], true),
          undefined,
        ),
      ),
    ],
    [
      'work create',
      view(
        workFormModal(
          CALLBACK.workCreateModal,
          newWorkFormSpec('problem', [], { title: 'Projectors', incidents: 'INC-7' }),
          { kind: 'problem' },
        ),
      ),
    ],
    [
      'work edit',
      view(
        workFormModal(
          CALLBACK.workEditModal,
          editWorkFormSpec(workItem, { personId: 'p-tech', slackUserId: 'U0PLAYTECH' }, []),
          { id: workItem.id },
        ),
      ),
    ],
    [
      'work progress',
      view(workFormModal(CALLBACK.workProgressModal, progressFormSpec(workItem), { id: workItem.id })),
    ],
    ['work link', view(workFormModal(CALLBACK.workLinkModal, linkFormSpec(workItem), { id: workItem.id }))],
    [
      'work resolve',
      view(
        workFormModal(
          CALLBACK.workResolveModal,
          resolveFormSpec(workItem, [{ number: 7, summary: 'Projector' }], ['Update posted.']),
          { id: workItem.id },
          'Not now',
        ),
      ),
    ],
    ['work saved', view(workSavedView('Saved PRB-3'))],
    ['provider channel', message(providerChannelView(escalation))],
    ['provider chase', message(providerChannelView(escalation, 2))],
    ['escalation email', view(escalationEmailModalView(escalation))],
    ['escalation posted', view(escalationPostedModalView(escalation))],
    ['chase reply', message(chaseReplyView(escalation, 'email'))],
    ['reminder done', message(reminderDoneView('Payment due', 'Marked paid by <@U0PLAYOFFC>'))],
  );
  for (const kind of ['locations', 'assets', 'licences', 'providers', 'contracts', 'payments'] as const) {
    out.push([`import ${kind}`, view(importModalView(kind))]);
  }
  for (const role of ROLES) out.push([`help ${role}`, message(helpView(role))]);
  for (const event of ['reported', 'claimed', 'resolved'] as const) {
    out.push([
      `reporter ${event}`,
      message(reporterNoticeView(event, event === 'resolved' ? resolved : working)),
    ]);
  }
  for (const r of reminders) out.push([`reminder ${r.kind}`, message(reminderView(r, 'Europe/London'))]);
  const home = {
    schoolName: 'Hillside Primary',
    hasSpocChannel: false,
    timezone: 'Europe/London',
    myReports: { open: [working, resolved], closed: [closed] },
    queue: [incident, working],
  };
  out.push(['home teacher', view(homeView({ ...home, role: 'teacher' }))]);
  out.push([
    'home admin',
    view(
      homeView({
        ...home,
        role: 'admin',
        hasSpocChannel: true,
        notice: noticeView('Claimed').blocks,
        work: [workSummary],
        health: { today: '2026-11-30', warrantiesEnding: [], licenceProblems: [] },
      }),
    ),
  ]);
  out.push([
    'work progress blocks',
    message({ text: '', blocks: sectionBlocks(workProgressSections([workSummary])) }),
  ]);
  return out;
}

const render = (s: Surface) => (s.kind === 'view' ? renderView(s.value, opts) : renderMessage(s.value, opts));

describe('the renderer, fed SPOC’s own views', () => {
  it('renders every surface with nothing unsupported', () => {
    const surfaces = spocSurfaces();
    expect(surfaces.length).toBeGreaterThan(60);
    for (const [name, surface] of surfaces) {
      const html = render(surface);
      expect(html, name).not.toContain('bk-unsupported');
      expect(html, name).not.toContain('Unsupported');
      expect(html.length, name).toBeGreaterThan(50);
    }
  });

  it('renders every block and element type the Slack adapter uses anywhere in its source', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) files.push(path);
      }
    };
    walk('src/bot/slack');
    const notBlocks = new Set([
      'modal',
      'home',
      'ephemeral',
      'mrkdwn',
      'plain_text',
      'message_action',
      'type',
    ]);
    const types = new Set<string>();
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(/type: '([a-z_]+)'/g)) {
        if (!notBlocks.has(m[1]!)) types.add(m[1]!);
      }
    }
    expect(types.size).toBeGreaterThan(15);
    const renders = (type: string) =>
      [
        renderBlocks([
          { type, label: { type: 'plain_text', text: 'L' }, element: { type: 'plain_text_input' } },
        ]),
        renderBlocks([{ type: 'actions', elements: [{ type, action_id: 'a' }] }]),
        renderBlocks([
          { type: 'input', label: { type: 'plain_text', text: 'L' }, element: { type, action_id: 'a' } },
        ]),
        // An image block needs its picture: a file uploaded to Slack, by id.
        renderBlocks([{ type, slack_file: { id: 'F0PHOTO1' }, alt_text: 'A photo' }]),
        renderBlocks([{ type: 'rich_text', elements: [{ type, elements: [] }] }]),
        renderBlocks([
          { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type, text: 'x' }] }] },
        ]),
      ].some((html) => !html.includes('bk-unsupported'));
    expect([...types].filter((t) => !renders(t))).toEqual([]);
  });

  it('renders the incident card: texts, mentions, emoji and the buttons’ data', () => {
    const html = renderMessage(incidentCardView(working, 'Europe/London', live), opts);
    expect(html).toContain('<strong class="bk-bold">INC-7</strong>');
    expect(html).toContain('Projector &lt;in&gt; Room 4 &amp; no signal');
    expect(html).not.toContain('&amp;lt;');
    expect(html).toContain('<span class="bk-mention" data-user-id="U0PLAYTEACH">@Ms Patel</span>');
    expect(html).toContain('@Sam Tech');
    expect(html).toContain(`title=":large_orange_circle:">${EMOJI.large_orange_circle}</span>`);
    expect(html).toContain('class="bk-fields"');
    expect(html).toContain('class="bk-block bk-context"');
    expect(html).toMatch(
      /<time class="bk-date" datetime="2026-11-30T09:15:00.000Z"[^>]*>30 Nov 2026 09:15<\/time>/,
    );
    expect(html).toContain(
      `<button type="button" class="bk-element bk-button" data-type="button" data-block-id="incident_actions" data-action-id="${ACTION.triage}" data-bk-action="click" data-value="${working.id}" data-text="Triage">Triage</button>`,
    );
    expect(html).toContain(`data-action-id="${ACTION.resolve}"`);
    expect(html).toMatch(
      new RegExp(
        `<select class="bk-element bk-overflow"[^>]* data-type="overflow" data-block-id="incident_actions" data-action-id="${ACTION.cardMore}" data-bk-action="change"`,
      ),
    );
    expect(html).toContain(`value="${moreValue(ACTION.note, working.id)}"`);
    const fresh = renderMessage(incidentCardView(incident, 'Europe/London'), opts);
    expect(fresh).toMatch(
      new RegExp(
        `class="bk-element bk-button bk-primary"[^>]*data-action-id="${ACTION.claim}"[^>]*data-style="primary"[^>]*>Claim</button>`,
      ),
    );
  });

  it('renders the fault form as inputs with labels, hints, error slots and the data collectState needs', () => {
    const html = renderView(
      { ...faultModalView({ locations: places, metadata: { source: 'command' } }), id: 'V123' },
      opts,
    );
    expect(html).toMatch(
      /^<div class="bk-view bk-modal" data-view-type="modal" data-view-id="V123" data-callback-id="[^"]+">/,
    );
    expect(html).toContain('<span class="bk-modal-title">Report an ICT fault</span>');
    expect(html).toContain('data-view-action="submit">Report</button>');
    expect(html).toContain('data-view-action="close">Cancel</button>');
    expect(html).toContain(`<div class="bk-error" data-error-for="${FAULT_BLOCK.summary}"></div>`);
    expect(html).toContain('What&#39;s wrong?');
    expect(html).toContain('placeholder="e.g. Projector in Room 4 shows &quot;No signal&quot;"');
    expect(html).toContain('maxlength="150"');
    expect(html).toContain('<span class="bk-optional">(optional)</span>');
    expect(html).toContain('class="bk-hint">What happened, any error message, what you have tried.</div>');
    expect(html).toMatch(/<textarea class="bk-element bk-text-input bk-multiline"/);
    // The location select dispatches block_actions (dispatch_action); plain inputs do not.
    expect(html).toMatch(
      new RegExp(
        `<select class="bk-element bk-select"[^>]*data-action-id="${ACTION.faultLocation}"[^>]*data-bk-action="change" data-bk-state>`,
      ),
    );
    expect(html).toMatch(
      /data-type="radio_buttons"[^>]* data-bk-state><label class="bk-option"><input type="radio"/,
    );
    const external = renderView(
      faultModalView({ locations: manyPlaces, metadata: { source: 'command' } }),
      opts,
    );
    expect(external).toMatch(
      new RegExp(
        `<div class="bk-element bk-select bk-external"[^>]*data-type="external_select"[^>]*data-action-id="${ACTION.faultLocation}"[^>]*data-min-query-length="0"`,
      ),
    );
    expect(external).toContain('<ul class="bk-external-options" role="listbox"></ul>');
  });

  it('renders the App Home with its report button', () => {
    const html = renderView(
      homeView({
        role: 'teacher',
        schoolName: 'Hillside <Primary>',
        hasSpocChannel: true,
        timezone: 'Europe/London',
        myReports: { open: [working], closed: [] },
        queue: [],
      }),
      opts,
    );
    expect(html).toMatch(/^<div class="bk-view bk-home" data-view-type="home">/);
    expect(html).toContain('ICT support · Hillside &lt;Primary&gt;');
    expect(html).toMatch(
      new RegExp(`class="bk-element bk-button bk-primary"[^>]*data-action-id="${ACTION.reportFault}"`),
    );
    expect(html).toContain('<code class="bk-code">/spoc help</code>');
    expect(html).toContain('class="bk-accessory"');
  });

  it('shows anything it cannot render, visibly', () => {
    expect(renderBlocks([{ type: 'video', title: 'x' }])).toBe(
      '<div class="bk-block bk-unsupported" data-block-type="video">Unsupported block: video</div>',
    );
    expect(renderBlocks([{ type: 'actions', elements: [{ type: 'workflow_button' }] }])).toContain(
      'Unsupported element: workflow_button',
    );
    expect(
      renderBlocks([
        { type: 'input', label: { type: 'plain_text', text: 'x' }, element: { type: 'rich_text_input' } },
      ]),
    ).toContain('Unsupported element: rich_text_input');
    expect(renderBlocks([{ type: '<b>' }])).toContain('Unsupported block: &lt;b&gt;');
    expect(renderView({ type: 'workflow_step' })).toContain('Unsupported block: view workflow_step');
    expect(renderBlocks([null])).toContain('bk-unsupported');
  });
});

describe('escaping', () => {
  it('renders <script> in a summary inert, wherever it appears', () => {
    const evil = '<script>alert(1)</script> "quoted" \'single\'';
    const card = renderMessage(
      incidentCardView({ ...working, summary: evil, description: evil }, 'Europe/London'),
      opts,
    );
    expect(card).not.toContain('<script');
    expect(card).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const home = renderView(
      homeView({
        role: 'technician',
        schoolName: evil,
        hasSpocChannel: true,
        timezone: 'Europe/London',
        myReports: { open: [], closed: [] },
        queue: [{ ...working, summary: evil }],
      }),
      opts,
    );
    expect(home).not.toContain('<script');
    // Raw text in plain_text, options and values (unescaped by SPOC) is escaped here.
    const form = renderBlocks([
      {
        type: 'input',
        block_id: '"><script>',
        label: { type: 'plain_text', text: evil },
        element: {
          type: 'static_select',
          action_id: 'a',
          options: [{ text: { type: 'plain_text', text: evil }, value: '"><img src=x onerror=alert(1)>' }],
        },
      },
      {
        type: 'actions',
        elements: [{ type: 'button', text: { type: 'plain_text', text: evil }, value: evil, action_id: 'b' }],
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '<javascript:alert(1)|click> <https://ok.example/?q="x"|ok>' },
      },
      { type: 'image', image_url: 'javascript:alert(1)', alt_text: 'x' },
    ]);
    expect(form).not.toMatch(/<script|<img src=x|href="javascript/i);
    expect(form).toContain('href="https://ok.example/?q=&quot;x&quot;"');
    expect(form).toContain('&lt;javascript:alert(1)|click&gt;');
    expect(renderMrkdwn('<@U1|<b>>', { users: { U1: '<img src=x>' } })).not.toContain('<img');
  });
});

describe('mrkdwn', () => {
  const md = (text: string) => renderMrkdwn(text, { ...opts, now: Date.parse('2026-11-30T12:00:00Z') });

  it('formats bold, italic, strike and code, but not inside words or code', () => {
    expect(md('*bold* _italic_ ~strike~ `co*de*`')).toBe(
      '<strong class="bk-bold">bold</strong> <em class="bk-italic">italic</em> <s class="bk-strike">strike</s> <code class="bk-code">co*de*</code>',
    );
    expect(md('snake_case_name 2*3*4 a * b *')).toBe('snake_case_name 2*3*4 a * b *');
    expect(md('*bold _and italic_*')).toBe(
      '<strong class="bk-bold">bold <em class="bk-italic">and italic</em></strong>',
    );
    expect(md('(*INC-7*)')).toBe('(<strong class="bk-bold">INC-7</strong>)');
    expect(md('`&lt;b&gt; &amp;`')).toBe('<code class="bk-code">&lt;b&gt; &amp;</code>');
  });

  it('renders preformatted blocks, quotes (raw and escaped) and newlines', () => {
    expect(md('Before\n```line *1*\n&lt;2&gt;```\nafter')).toBe(
      'Before<pre class="bk-pre">line *1*\n&lt;2&gt;</pre>after',
    );
    expect(md('Thanks\n>Projector &amp; screen\n&gt; second\nend')).toBe(
      'Thanks<blockquote class="bk-quote">Projector &amp; screen<br>second</blockquote>end',
    );
    expect(md('&gt;&gt;&gt; all\nof this')).toBe('<blockquote class="bk-quote">all<br>of this</blockquote>');
    expect(md('one\ntwo')).toBe('one<br>two');
  });

  it('renders links, mentions, channels and specials', () => {
    expect(md('<https://x.example/a?b=1&amp;c=2|the *label*>')).toBe(
      '<a class="bk-link" href="https://x.example/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the *label*</a>',
    );
    expect(md('<https://x.example>')).toContain('>https://x.example</a>');
    expect(md('<mailto:help@isp.example|Email them>')).toContain('href="mailto:help@isp.example"');
    expect(md('<mailto:help@isp.example>')).toContain('>help@isp.example</a>');
    expect(md('<@U0PLAYTEACH> <@U0NOBODY|pat> <@U0GHOST>')).toBe(
      '<span class="bk-mention" data-user-id="U0PLAYTEACH">@Ms Patel</span> <span class="bk-mention" data-user-id="U0NOBODY">@pat</span> <span class="bk-mention" data-user-id="U0GHOST">@U0GHOST</span>',
    );
    expect(md('<#C0PLAYSPOC> <#C0OTHER|random>')).toBe(
      '<span class="bk-mention bk-channel" data-channel-id="C0PLAYSPOC">#ict-help</span> <span class="bk-mention bk-channel" data-channel-id="C0OTHER">#random</span>',
    );
    expect(md('<!here> <!channel> <!subteam^S1|@techs>')).toBe(
      '<span class="bk-mention bk-special">@here</span> <span class="bk-mention bk-special">@channel</span> <span class="bk-mention bk-special">@techs</span>',
    );
    expect(md('*<@U0PLAYTECH>*')).toBe(
      '<strong class="bk-bold"><span class="bk-mention" data-user-id="U0PLAYTECH">@Sam Tech</span></strong>',
    );
  });

  it('keeps Slack’s entities single-escaped and renders dates in school time', () => {
    expect(md('Printer &amp; scanner &lt;Room 4&gt; "quoted"')).toBe(
      'Printer &amp; scanner &lt;Room 4&gt; &quot;quoted&quot;',
    );
    expect(md('&amp;lt; stays literal')).toBe('&amp;lt; stays literal');
    const unix = Date.parse('2026-11-30T15:45:00Z') / 1000;
    expect(md(`<!date^${unix}^{date_short_pretty} {time}|30 Nov, 15:45>`)).toBe(
      `<time class="bk-date" datetime="2026-11-30T15:45:00.000Z" title="30 Nov, 15:45">Today 15:45</time>`,
    );
    const summer = Date.parse('2027-06-01T08:00:00Z') / 1000;
    expect(md(`<!date^${summer}^{date_short} {time}|x>`)).toContain('>1 Jun 2027 09:00</time>');
    expect(md('<!date^nonsense^{time}|fallback &amp; more>')).toBe(
      '<span class="bk-date">fallback &amp; more</span>',
    );
  });

  it('turns every emoji shortcode SPOC uses into Unicode and leaves unknown ones alone', () => {
    const used = new Set<string>();
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (path === join('src', 'bot', 'playground')) continue;
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) {
          for (const m of readFileSync(path, 'utf8').matchAll(/:([a-z][a-z0-9_]*):/g)) used.add(m[1]!);
        }
      }
    };
    walk('src');
    expect(used.size).toBeGreaterThan(30);
    expect([...used].filter((name) => !(name in EMOJI))).toEqual([]);
    expect(md(':white_check_mark: Fixed :tada:')).toBe(
      `<span class="bk-emoji" title=":white_check_mark:">✅</span> Fixed <span class="bk-emoji" title=":tada:">🎉</span>`,
    );
    expect(md(':not_an_emoji: at 09:00:00')).toBe(':not_an_emoji: at 09:00:00');
  });

  it('renders rich text: sections, preformatted, quotes, lists, links, emoji and users', () => {
    const html = renderBlocks(
      [
        {
          type: 'rich_text',
          block_id: 'rt',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: 'Hi <b> ', style: { bold: true } },
                { type: 'user', user_id: 'U0PLAYTEACH' },
                { type: 'emoji', name: 'wave', unicode: '1f44b' },
                { type: 'link', url: 'https://x.example', text: 'site' },
              ],
            },
            { type: 'rich_text_preformatted', elements: [{ type: 'text', text: 'Dear ISP,\n<line>' }] },
            { type: 'rich_text_quote', elements: [{ type: 'text', text: 'quoted' }] },
            {
              type: 'rich_text_list',
              style: 'ordered',
              elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'one' }] }],
            },
          ],
        },
      ],
      opts,
    );
    expect(html).toBe(
      '<div class="bk-block bk-rich-text" data-block-type="rich_text" data-block-id="rt">' +
        '<div class="bk-rt-section"><strong class="bk-bold">Hi &lt;b&gt; </strong><span class="bk-mention" data-user-id="U0PLAYTEACH">@Ms Patel</span><span class="bk-emoji" title=":wave:">👋</span><a class="bk-link" href="https://x.example" target="_blank" rel="noopener noreferrer">site</a></div>' +
        '<pre class="bk-pre">Dear ISP,\n&lt;line&gt;</pre>' +
        '<blockquote class="bk-quote">quoted</blockquote>' +
        '<ol class="bk-rt-list bk-rt-list-ordered"><li>one</li></ol></div>',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// A tiny DOM over the renderer's own (well-formed) HTML, enough for collectState and readAction.

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
const VOID = new Set(['input', 'br', 'hr', 'img']);

class FakeElement implements BkElement {
  attrs = new Map<string, string>();
  children: FakeElement[] = [];
  text = '';
  checked = false;
  selected = false;
  private ownValue = '';
  constructor(
    public tag: string,
    public parent: FakeElement | null,
  ) {}
  getAttribute(name: string) {
    return this.attrs.has(name) ? this.attrs.get(name)! : null;
  }
  setAttribute(name: string, value: string) {
    this.attrs.set(name, value);
  }
  get value(): string {
    if (this.tag === 'select') {
      const chosen = this.all().find((e) => e.tag === 'option' && e.selected);
      return chosen?.getAttribute('value') ?? '';
    }
    return this.ownValue;
  }
  set value(v: string) {
    if (this.tag === 'select')
      for (const o of this.all().filter((e) => e.tag === 'option'))
        o.selected = o.getAttribute('value') === v;
    else this.ownValue = v;
  }
  set innerHTML(_: string) {
    this.children = [];
  }
  all(): FakeElement[] {
    return this.children.flatMap((c) => [c, ...c.all()]);
  }
  matches(selector: string): boolean {
    const m = /^([a-z]*)(?:\.([\w-]+))?(?:\[([\w-]+)(?:="([^"]*)")?\])?$/.exec(selector);
    if (!m) throw new Error(`selector not supported: ${selector}`);
    const [, tag, cls, name, value] = m;
    if (tag && this.tag !== tag) return false;
    if (cls && !(this.getAttribute('class') ?? '').split(' ').includes(cls)) return false;
    if (name && !this.attrs.has(name)) return false;
    if (name && value !== undefined && this.getAttribute(name) !== value) return false;
    return true;
  }
  querySelectorAll(selector: string) {
    return this.all().filter((e) => e.matches(selector));
  }
  querySelector(selector: string) {
    return this.querySelectorAll(selector)[0] ?? null;
  }
}

function parse(html: string): FakeElement {
  const root = new FakeElement('root', null);
  let current = root;
  const re = /<\/([a-z0-9]+)>|<([a-z0-9]+)((?:\s+[\w-]+(?:="[^"]*")?)*)\s*>|([^<]+)/gi;
  for (const m of html.matchAll(re)) {
    if (m[1]) {
      if (current.tag !== m[1]) throw new Error(`unbalanced </${m[1]}> in <${current.tag}>`);
      current = current.parent!;
    } else if (m[2]) {
      const el = new FakeElement(m[2], current);
      for (const a of (m[3] ?? '').matchAll(/([\w-]+)(?:="([^"]*)")?/g))
        el.attrs.set(a[1]!, decode(a[2] ?? ''));
      el.checked = el.attrs.has('checked');
      el.selected = el.attrs.has('selected');
      if (el.tag === 'input') el.value = el.getAttribute('value') ?? '';
      current.children.push(el);
      if (!VOID.has(el.tag)) current = el;
    } else if (m[4]) {
      current.text += decode(m[4]);
      if (current.tag === 'textarea') current.value = current.text;
    }
  }
  if (current !== root) throw new Error(`unclosed <${current.tag}>`);
  // Like a browser: a single select with nothing selected shows (and has) its first option.
  for (const select of root.querySelectorAll('select')) {
    const options = select.querySelectorAll('option');
    if (!select.attrs.has('multiple') && options.length && !options.some((o) => o.selected))
      options[0]!.selected = true;
  }
  return root;
}

const el = (root: FakeElement, blockId: string) => {
  const found = root
    .all()
    .find((e) => e.getAttribute('data-block-id') === blockId && e.attrs.has('data-type'));
  if (!found) throw new Error(`no element in block ${blockId}`);
  return found;
};
const check = (group: FakeElement, ...values: string[]) => {
  for (const input of group.querySelectorAll('input'))
    input.checked = values.includes(input.getAttribute('value')!);
};
const plainText = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });
const opt = (value: string, text: string) => ({ text: plainText(text), value });

describe('reading the page back in Slack’s shapes', () => {
  const formView = {
    type: 'modal',
    title: plainText('Everything'),
    submit: plainText('Save'),
    blocks: [
      {
        type: 'input',
        block_id: 'text',
        label: plainText('Text'),
        element: { type: 'plain_text_input', action_id: 'value', initial_value: 'kept' },
      },
      {
        type: 'input',
        block_id: 'empty',
        optional: true,
        label: plainText('Empty'),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true },
      },
      {
        type: 'input',
        block_id: 'num',
        label: plainText('Number'),
        element: { type: 'number_input', action_id: 'value', is_decimal_allowed: false },
      },
      {
        type: 'input',
        block_id: 'select',
        label: plainText('Select'),
        element: {
          type: 'static_select',
          action_id: 'value',
          options: [opt('a', 'A & a'), opt('b', 'B')],
          initial_option: opt('a', 'A & a'),
        },
      },
      {
        type: 'input',
        block_id: 'grouped',
        optional: true,
        label: plainText('Grouped'),
        element: {
          type: 'static_select',
          action_id: 'value',
          option_groups: [
            { label: plainText('G1'), options: [opt('g1', 'One')] },
            { label: plainText('G2'), options: [opt('g2', 'Two')] },
          ],
        },
      },
      {
        type: 'input',
        block_id: 'multi',
        optional: true,
        label: plainText('Multi'),
        element: {
          type: 'multi_static_select',
          action_id: 'value',
          options: [opt('m1', 'M1'), opt('m2', 'M2')],
        },
      },
      {
        type: 'input',
        block_id: 'ext',
        label: plainText('Where'),
        element: { type: 'external_select', action_id: 'spoc_location_search', min_query_length: 0 },
      },
      {
        type: 'input',
        block_id: 'user',
        label: plainText('Who'),
        element: { type: 'users_select', action_id: 'value', initial_user: 'U0PLAYTECH' },
      },
      {
        type: 'input',
        block_id: 'conv',
        optional: true,
        label: plainText('Channel'),
        element: { type: 'conversations_select', action_id: 'value' },
      },
      {
        type: 'input',
        block_id: 'date',
        label: plainText('Date'),
        element: { type: 'datepicker', action_id: 'value', initial_date: '2026-12-01' },
      },
      {
        type: 'input',
        block_id: 'radio',
        label: plainText('Radio'),
        element: { type: 'radio_buttons', action_id: 'value', options: [opt('r1', 'R1'), opt('r2', 'R2')] },
      },
      {
        type: 'input',
        block_id: 'boxes',
        optional: true,
        label: plainText('Boxes'),
        element: {
          type: 'checkboxes',
          action_id: 'value',
          options: [opt('c1', 'C1'), opt('c2', 'C2')],
          initial_options: [opt('c2', 'C2')],
        },
      },
      {
        type: 'input',
        block_id: 'file',
        label: plainText('File'),
        element: { type: 'file_input', action_id: 'value', filetypes: ['csv'], max_files: 1 },
      },
      {
        type: 'actions',
        block_id: 'acts',
        elements: [
          { type: 'datepicker', action_id: 'when' },
          { type: 'button', action_id: 'go', text: plainText('Go'), value: 'v1' },
        ],
      },
    ],
  };

  it('collects view.state.values exactly as Slack sends them, and SPOC’s own reader reads them', () => {
    const root = parse(renderView(formView, opts));
    expect(collectState(root)).toEqual({
      text: { value: { type: 'plain_text_input', value: 'kept' } },
      empty: { value: { type: 'plain_text_input', value: null } },
      num: { value: { type: 'number_input', value: null } },
      select: { value: { type: 'static_select', selected_option: opt('a', 'A & a') } },
      grouped: { value: { type: 'static_select', selected_option: null } },
      multi: { value: { type: 'multi_static_select', selected_options: [] } },
      ext: { spoc_location_search: { type: 'external_select', selected_option: null } },
      user: { value: { type: 'users_select', selected_user: 'U0PLAYTECH' } },
      conv: { value: { type: 'conversations_select', selected_conversation: null } },
      date: { value: { type: 'datepicker', selected_date: '2026-12-01' } },
      radio: { value: { type: 'radio_buttons', selected_option: null } },
      boxes: { value: { type: 'checkboxes', selected_options: [opt('c2', 'C2')] } },
      file: { value: { type: 'file_input', files: [] } },
      acts: { when: { type: 'datepicker', selected_date: null } },
    });

    el(root, 'text').value = 'Projector "broken" <now>';
    el(root, 'empty').value = 'line 1\nline 2';
    el(root, 'num').value = '12';
    el(root, 'select').value = 'b';
    el(root, 'grouped').value = 'g2';
    for (const o of el(root, 'multi').querySelectorAll('option')) o.selected = true;
    const ext = el(root, 'ext');
    expect(renderOptionList({ options: [opt('loc-9', 'Room 9')] })).toBe(
      '<li class="bk-external-option" role="option" tabindex="0" data-option="{&quot;text&quot;:{&quot;type&quot;:&quot;plain_text&quot;,&quot;text&quot;:&quot;Room 9&quot;,&quot;emoji&quot;:true},&quot;value&quot;:&quot;loc-9&quot;}">Room 9</li>',
    );
    selectExternalOption(ext, opt('loc-9', 'Room 9'));
    expect(ext.querySelector('[data-query]')!.value).toBe('Room 9');
    el(root, 'user').value = 'U0PLAYTEACH';
    el(root, 'conv').value = 'C0PLAYSTAF';
    el(root, 'date').value = '2026-12-24';
    check(el(root, 'radio'), 'r2');
    check(el(root, 'boxes'), 'c1', 'c2');
    const files = [
      { id: 'F0PLAY1', name: 'assets.csv', url_private_download: 'http://127.0.0.1/files/F0PLAY1' },
    ];
    el(root, 'file').setAttribute('data-files', JSON.stringify(files));

    const values = collectState(root);
    expect(values).toEqual({
      text: { value: { type: 'plain_text_input', value: 'Projector "broken" <now>' } },
      empty: { value: { type: 'plain_text_input', value: 'line 1\nline 2' } },
      num: { value: { type: 'number_input', value: '12' } },
      select: { value: { type: 'static_select', selected_option: opt('b', 'B') } },
      grouped: { value: { type: 'static_select', selected_option: opt('g2', 'Two') } },
      multi: { value: { type: 'multi_static_select', selected_options: [opt('m1', 'M1'), opt('m2', 'M2')] } },
      ext: { spoc_location_search: { type: 'external_select', selected_option: opt('loc-9', 'Room 9') } },
      user: { value: { type: 'users_select', selected_user: 'U0PLAYTEACH' } },
      conv: { value: { type: 'conversations_select', selected_conversation: 'C0PLAYSTAF' } },
      date: { value: { type: 'datepicker', selected_date: '2026-12-24' } },
      radio: { value: { type: 'radio_buttons', selected_option: opt('r2', 'R2') } },
      boxes: { value: { type: 'checkboxes', selected_options: [opt('c1', 'C1'), opt('c2', 'C2')] } },
      file: { value: { type: 'file_input', files } },
      acts: { when: { type: 'datepicker', selected_date: null } },
    });
    const read = readState(values);
    expect(['text', 'num', 'select', 'grouped', 'ext', 'user', 'conv', 'date', 'radio'].map(read)).toEqual([
      'Projector "broken" <now>',
      '12',
      'b',
      'g2',
      'loc-9',
      'U0PLAYTEACH',
      'C0PLAYSTAF',
      '2026-12-24',
      'r2',
    ]);
    expect(read.checked('boxes')).toEqual(['c1', 'c2']);
    expect(read.files('file')).toEqual(files);
  });

  it('collects the real fault form the way the fault listener reads it', () => {
    const root = parse(
      renderView(faultModalView({ locations: places, metadata: { source: 'command' } }), opts),
    );
    el(root, FAULT_BLOCK.summary).value = 'Wi-Fi down';
    el(root, FAULT_BLOCK.locationId).value = 'loc-2';
    check(el(root, FAULT_BLOCK.urgency), 'lesson_stopped');
    const read = readState(collectState(root));
    expect(read(FAULT_BLOCK.summary)).toBe('Wi-Fi down');
    expect(read(FAULT_BLOCK.description)).toBeUndefined();
    expect(read(FAULT_BLOCK.locationId)).toBe('loc-2');
    expect(read(FAULT_BLOCK.impact)).toBeUndefined();
    expect(read(FAULT_BLOCK.urgency)).toBe('lesson_stopped');
  });

  it('keeps what was entered when the view is updated with the same ids, as Slack does', () => {
    const before = parse(
      renderView(faultModalView({ locations: places, metadata: { source: 'command' } }), opts),
    );
    el(before, FAULT_BLOCK.summary).value = 'Wi-Fi down';
    el(before, FAULT_BLOCK.locationId).value = 'loc-2';
    check(el(before, FAULT_BLOCK.urgency), 'today');
    const state = collectState(before);
    const refreshed = faultModalView({
      locations: places,
      locationId: 'loc-2',
      assets: [{ id: 'a1', label: 'LAP-001' }],
      metadata: { source: 'command' },
    });
    const after = parse(renderView(refreshed, { ...opts, state }));
    expect(collectState(after)).toEqual({
      ...state,
      [FAULT_BLOCK.assetId]: { value: { type: 'static_select', selected_option: null } },
    });
    // Without state the form starts from its own initial values.
    expect(readState(collectState(parse(renderView(refreshed, opts))))(FAULT_BLOCK.summary)).toBeUndefined();
  });

  it('reads block actions as Slack sends them', () => {
    const now = Date.parse('2025-11-30T10:00:00.123Z');
    const ts = `${Math.floor(now / 1000)}.123000`;
    const card = parse(renderMessage(incidentCardView(incident, 'Europe/London'), opts));
    const claim = card
      .querySelectorAll('[data-bk-action]')
      .find((e) => e.getAttribute('data-action-id') === ACTION.claim)!;
    expect(readAction(claim, now)).toEqual({
      type: 'button',
      action_id: ACTION.claim,
      block_id: 'incident_actions',
      text: plainText('Claim'),
      value: incident.id,
      style: 'primary',
      action_ts: ts,
    });
    expect(readAction(claim).action_ts).toMatch(/^\d{10}\.\d{6}$/);
    const more = card.querySelector('.bk-overflow')!;
    more.value = moreValue(ACTION.hold, incident.id);
    expect(readAction(more, now)).toEqual({
      type: 'overflow',
      action_id: ACTION.cardMore,
      block_id: 'incident_actions',
      selected_option: opt(moreValue(ACTION.hold, incident.id), 'Put on hold'),
      action_ts: ts,
    });

    const fault = parse(
      renderView(faultModalView({ locations: places, metadata: { source: 'command' } }), opts),
    );
    const location = el(fault, FAULT_BLOCK.locationId);
    expect(location.getAttribute('data-bk-action')).toBe('change');
    location.value = 'loc-1';
    expect(readAction(location, now)).toEqual({
      type: 'static_select',
      action_id: ACTION.faultLocation,
      block_id: FAULT_BLOCK.locationId,
      selected_option: opt('loc-1', 'ICT suite'),
      action_ts: ts,
    });
    expect(el(fault, FAULT_BLOCK.summary).getAttribute('data-bk-action')).toBeNull();

    const form = parse(renderView(formView, opts));
    const user = el(form, 'user');
    expect(readAction(user, now)).toMatchObject({
      type: 'users_select',
      selected_user: 'U0PLAYTECH',
      action_ts: ts,
    });
    const when = form
      .querySelectorAll('[data-bk-action]')
      .find((e) => e.getAttribute('data-action-id') === 'when')!;
    when.value = '2026-12-25';
    expect(readAction(when, now)).toEqual({
      type: 'datepicker',
      action_id: 'when',
      block_id: 'acts',
      selected_date: '2026-12-25',
      action_ts: ts,
    });
    const go = form
      .querySelectorAll('[data-bk-action]')
      .find((e) => e.getAttribute('data-action-id') === 'go')!;
    expect(readAction(go, now)).toEqual({
      type: 'button',
      action_id: 'go',
      block_id: 'acts',
      text: plainText('Go'),
      value: 'v1',
      action_ts: ts,
    });
  });

  it('gives blocks and elements without ids a stable id of their own', () => {
    const blocks = [{ type: 'actions', elements: [{ type: 'button', text: plainText('Report a fault') }] }];
    const first = parse(renderBlocks(blocks)).querySelector('[data-bk-action]')!;
    const again = parse(renderBlocks(blocks)).querySelector('[data-bk-action]')!;
    expect(first.getAttribute('data-block-id')).toMatch(/^[A-Za-z0-9]{5}$/);
    expect(first.getAttribute('data-action-id')).toMatch(/^[A-Za-z0-9]{5}$/);
    expect(again.getAttribute('data-block-id')).toBe(first.getAttribute('data-block-id'));
    expect(again.getAttribute('data-action-id')).toBe(first.getAttribute('data-action-id'));
    const action = readAction(first, 0);
    expect(action).toEqual({
      type: 'button',
      action_id: first.getAttribute('data-action-id'),
      block_id: first.getAttribute('data-block-id'),
      text: plainText('Report a fault'),
      action_ts: '0.000000',
    });
  });

  it('carries a button’s confirm dialog and link for the page to honour', () => {
    const confirm = {
      title: plainText('Cancel this payment?'),
      text: plainText('£1 to X'),
      confirm: plainText('Cancel payment'),
      deny: plainText('Keep it'),
    };
    const root = parse(
      renderBlocks([
        {
          type: 'actions',
          block_id: 'b',
          elements: [
            {
              type: 'button',
              action_id: 'cancel',
              text: plainText('Cancel'),
              value: 'p1',
              style: 'danger',
              confirm,
            },
            {
              type: 'button',
              action_id: 'mail',
              text: plainText('Open in my email'),
              url: 'mailto:a@b.example?subject=Hi',
            },
          ],
        },
      ]),
    );
    const [cancel, mail] = root.querySelectorAll('button');
    expect(cancel!.getAttribute('class')).toBe('bk-element bk-button bk-danger');
    expect(JSON.parse(cancel!.getAttribute('data-confirm')!)).toEqual(confirm);
    expect(mail!.getAttribute('data-url')).toBe('mailto:a@b.example?subject=Hi');
  });
});
