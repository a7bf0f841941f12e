/**
 * Every form, submitted twice with the same Slack view id, through the real Bolt app: once one
 * after the other, once at the same moment. The copy changes nothing in the school's data (no
 * second row, history event, audit entry or outbox message), posts nothing, and gets the answer
 * the first one got.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  REGISTER_BLOCK as B,
  CALLBACK,
  COMMENT_BLOCK,
  ESCALATE_BLOCK,
  FAULT_BLOCK,
  FORWARD_BLOCK,
  HAND_BACK_BLOCK,
  HOLD_BLOCK,
  NOTE_BLOCK,
  PROVIDER_UPDATE_BLOCK,
  RESOLVE_BLOCK,
  SETTINGS_BLOCK,
  TRIAGE_BLOCK,
  WORK_BLOCK as W,
} from '../../../src/bot/slack/ids';
import { fixedClock } from '../../../src/domain/clock';
import type { Ctx } from '../../../src/domain/context';
import { assignIncident } from '../../../src/domain/incidents/assign-incident';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { escalateIncident } from '../../../src/domain/incidents/escalate-incident';
import { resumeIncident } from '../../../src/domain/incidents/hold-incident';
import { handBackIncident } from '../../../src/domain/incidents/provider-update';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { resolveIncident } from '../../../src/domain/incidents/resolve-incident';
import { moveAsset, registerAsset, setAssetStatus } from '../../../src/domain/registers/assets';
import { addLicence, editLicence, type LicenceInput } from '../../../src/domain/registers/licences';
import { addLocation, updateLocation } from '../../../src/domain/registers/locations';
import {
  addContract,
  addProvider,
  type ContractInput,
  editContract,
  editProvider,
  listProviderRegister,
  type ProviderInput,
} from '../../../src/domain/registers/providers';
import { identifySlackUser } from '../../../src/domain/schools/identify';
import { updateSchoolSettings } from '../../../src/domain/schools/settings';
import { createWorkItem } from '../../../src/domain/work-items/commands';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { uniqueId } from '../../support/factories';
import { rowsAdded, schoolSnapshot } from '../../support/school-snapshot';
import {
  assertAllCallsMade,
  expectApi,
  type Response,
  type SlackTestApp,
  slackSchool,
  startSlackTestApp,
} from '../../support/slack-app';
import { viewSubmission, type Who } from '../../support/slack-payloads';
import { must, until } from '../../support/wait';

const MONDAY = '2027-03-01T09:00:00Z';
const clock = fixedClock(MONDAY);
const REMINDER = { channel: 'C0SPOC0099', ts: '1772355600.000777', original: 'A reminder' };
let tdb: TestDatabase;
let app: SlackTestApp;

/** Calls to Slack that nothing was pinned for: a repeat that posted something would land here. */
const unpinned: string[] = [];
const onNoMatch = (req: { hostname?: string; path?: string }) => {
  if (req.hostname && req.hostname !== '127.0.0.1') unpinned.push(`${req.hostname}${req.path ?? ''}`);
};

beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await startSlackTestApp(tdb, clock);
  nock.emitter.on('no match', onNoMatch);
});
afterAll(async () => {
  nock.emitter.removeListener('no match', onNoMatch);
  await app?.stop();
  await tdb?.destroy();
});
afterEach(() => {
  unpinned.length = 0;
  assertAllCallsMade();
});

async function school() {
  const s = await slackSchool(app);
  const ctxOf = async (who: Who): Promise<Ctx> => {
    const found = await identifySlackUser(tdb.db, clock, { teamId: s.teamId, userId: who.userId });
    return { db: tdb.db, clock, actor: found.actor };
  };
  const office = await ctxOf(s.office);
  return {
    ...s,
    schoolId: office.actor.schoolId,
    office: s.office,
    officeCtx: office,
    techCtx: await ctxOf(s.tech),
    teacherCtx: await ctxOf(s.teacher),
  };
}
type School = Awaited<ReturnType<typeof school>>;

type Values = Parameters<typeof viewSubmission>[2];

/** One form's submission, once the school holds what the form is about. */
interface Submission {
  who: Who;
  callbackId: string;
  values: Values;
  metadata?: unknown;
  /** Slack calls the first submission makes itself (the repeat must make none). */
  pins?: () => void;
  /** Something else that happens between the two copies (one after the other only). */
  between?: () => Promise<unknown>;
}

interface Form {
  name: string;
  prepare: (s: School) => Promise<Submission>;
}

async function reported(s: School) {
  return must(
    await reportFault(s.teacherCtx, {
      summary: 'Projector has no picture',
      urgency: 'today',
      impact: 'room',
    }),
  ).incident;
}

const COUNTY: ProviderInput = {
  name: 'County ICT',
  level: 'second',
  contactName: '',
  email: 'help@county.example',
  phone: '',
  chatChannel: '',
  notes: '',
};

const county = async (s: School) => must(await addProvider(s.officeCtx, COUNTY));

const SUPPORT: Omit<ContractInput, 'providerId'> = {
  title: 'ICT support',
  service: '',
  startDate: '2026-09-01',
  endDate: '2027-08-31',
  noticeDays: 30,
  autoRenews: false,
  valuePence: null,
  responseTargetHours: 8,
  notes: '',
};

async function contract(s: School) {
  const provider = await county(s);
  return must(await addContract(s.officeCtx, { ...SUPPORT, providerId: provider.id }));
}

async function escalated(s: School) {
  const incident = await reported(s);
  const provider = await county(s);
  must(await claimIncident(s.techCtx, { incidentId: incident.id }));
  must(
    await escalateIncident(s.officeCtx, { incidentId: incident.id, providerId: provider.id, note: 'Lamp?' }),
  );
  return incident;
}

const asset = async (s: School) =>
  must(
    await registerAsset(s.officeCtx, {
      tag: 'LAP-0042',
      type: 'laptop',
      make: 'Dell',
      model: 'Latitude',
      serial: '',
      locationId: null,
      supplier: '',
      purchaseDate: null,
      costPence: null,
      warrantyEnd: null,
      status: 'in_use',
      notes: '',
    }),
  );

const MATHS: LicenceInput = {
  title: 'Maths Online',
  publisher: '',
  type: 'site',
  quantity: null,
  seatsInUse: 0,
  startDate: null,
  expiryDate: null,
  supplier: '',
  costPence: null,
  keyReference: '',
  notes: '',
};

const place = (s: School, name: string) =>
  addLocation(s.officeCtx, { name, parentId: null, defaultImpact: null }).then(must);

const change = (s: School, title = 'New Wi-Fi in the hall') =>
  createWorkItem(s.officeCtx, { kind: 'change', title, description: '', owner: null, targetDate: null }).then(
    must,
  );

const about = (incidentId: string) => ({ incidentId });

const SETTINGS: Values = {
  [SETTINGS_BLOCK.dayStart]: '08:30',
  [SETTINGS_BLOCK.dayEnd]: '15:30',
  [SETTINGS_BLOCK.P1_respond]: '15m',
  [SETTINGS_BLOCK.P1_resolve]: '2h',
  [SETTINGS_BLOCK.P2_respond]: '2h',
  [SETTINGS_BLOCK.P2_resolve]: '1 day',
  [SETTINGS_BLOCK.P3_respond]: '1 day',
  [SETTINGS_BLOCK.P3_resolve]: '3 days',
  [SETTINGS_BLOCK.P4_respond]: '3 days',
  [SETTINGS_BLOCK.P4_resolve]: '10 days',
  [SETTINGS_BLOCK.paymentDueSoonDays]: '7',
  [SETTINGS_BLOCK.contractNoticeDays]: '60, 30, 7',
  [SETTINGS_BLOCK.contractEndDays]: '30',
  [SETTINGS_BLOCK.licenceExpiryDays]: '60, 30',
  [SETTINGS_BLOCK.warrantyDays]: '45',
};

const FORMS: Form[] = [
  {
    name: 'fault report',
    prepare: async (s) => ({
      who: s.teacher,
      callbackId: CALLBACK.faultModal,
      values: {
        [FAULT_BLOCK.summary]: 'Board in Room 4 is dead',
        [FAULT_BLOCK.urgency]: { option: 'today' },
      },
    }),
  },
  {
    name: 'triage',
    prepare: async (s) => ({
      who: s.office,
      callbackId: CALLBACK.triageModal,
      metadata: about((await reported(s)).id),
      values: {
        [TRIAGE_BLOCK.impact]: { option: 'whole_school' },
        [TRIAGE_BLOCK.urgency]: { option: 'today' },
        [TRIAGE_BLOCK.category]: { option: 'av' },
      },
    }),
  },
  {
    name: 'resolve',
    prepare: async (s) => ({
      who: s.tech,
      callbackId: CALLBACK.resolveModal,
      metadata: about((await reported(s)).id),
      values: { [RESOLVE_BLOCK.resolution]: 'Replaced the lamp' },
    }),
  },
  {
    name: 'close',
    prepare: async (s) => {
      const incident = await reported(s);
      must(await resolveIncident(s.techCtx, { incidentId: incident.id, resolution: 'Replaced the lamp' }));
      return {
        who: s.office,
        callbackId: CALLBACK.closeModal,
        metadata: about(incident.id),
        values: { note: 'Confirmed by phone' },
      };
    },
  },
  {
    name: 'forward',
    prepare: async (s) => ({
      who: s.office,
      callbackId: CALLBACK.forwardModal,
      metadata: about((await reported(s)).id),
      values: { [FORWARD_BLOCK.assignee]: { option: s.techCtx.actor.personId } },
    }),
  },
  {
    name: 'escalate',
    prepare: async (s) => {
      const incident = await reported(s);
      const provider = await county(s);
      must(await claimIncident(s.techCtx, { incidentId: incident.id }));
      return {
        who: s.office,
        callbackId: CALLBACK.escalateModal,
        metadata: about(incident.id),
        values: { [ESCALATE_BLOCK.providerId]: { option: provider.id }, [ESCALATE_BLOCK.note]: 'Lamp?' },
        // The provider hands it back meanwhile: a late copy must not escalate it again.
        between: () => handBackIncident(s.officeCtx, { incidentId: incident.id }).then(must),
      };
    },
  },
  {
    name: 'provider update',
    prepare: async (s) => ({
      who: s.office,
      callbackId: CALLBACK.providerUpdateModal,
      metadata: about((await escalated(s)).id),
      values: { [PROVIDER_UPDATE_BLOCK.note]: 'Engineer booked', [PROVIDER_UPDATE_BLOCK.providerRef]: 'C-1' },
    }),
  },
  {
    name: 'hand back',
    prepare: async (s) => {
      const incident = await escalated(s);
      return {
        who: s.office,
        callbackId: CALLBACK.handBackModal,
        metadata: about(incident.id),
        values: { [HAND_BACK_BLOCK.note]: 'Lamp replaced on site' },
        // Escalated again meanwhile: a late copy must not hand it back.
        between: async () => {
          const provider = must(await listProviderRegister(s.officeCtx))[0];
          const again = { incidentId: incident.id, providerId: provider?.id ?? '', note: 'Still blank' };
          return must(await escalateIncident(s.officeCtx, again));
        },
      };
    },
  },
  {
    name: 'hold',
    prepare: async (s) => {
      const incident = await reported(s);
      must(await claimIncident(s.techCtx, { incidentId: incident.id }));
      return {
        who: s.tech,
        callbackId: CALLBACK.holdModal,
        metadata: about(incident.id),
        values: { [HOLD_BLOCK.reason]: { option: 'parts' }, [HOLD_BLOCK.detail]: 'new lamp ordered' },
        // The parts came and it was resumed: a late copy must not hold it again.
        between: () => resumeIncident(s.techCtx, { incidentId: incident.id }).then(must),
      };
    },
  },
  {
    name: 'staff note',
    prepare: async (s) => ({
      who: s.tech,
      callbackId: CALLBACK.noteModal,
      metadata: about((await reported(s)).id),
      values: { [NOTE_BLOCK.note]: 'Checked the cables' },
    }),
  },
  {
    name: "reporter's comment",
    prepare: async (s) => ({
      who: s.teacher,
      callbackId: CALLBACK.commentModal,
      metadata: about((await reported(s)).id),
      values: { [COMMENT_BLOCK.note]: 'It flickers before it dies' },
    }),
  },
  {
    name: 'reassign (from a reminder)',
    prepare: async (s) => {
      const incident = await reported(s);
      return {
        who: s.office,
        callbackId: CALLBACK.reassignModal,
        metadata: { incidentId: incident.id, ...REMINDER },
        values: { assignee: { user: s.tech.userId } },
        pins: () => expectApi('chat.update', { ok: true }, { match: (a) => a.ts === REMINDER.ts }),
        // Someone else takes it meanwhile: a late copy must not hand it back.
        between: () =>
          assignIncident(s.officeCtx, {
            incidentId: incident.id,
            assignee: { slackUserId: s.office.userId },
          }).then(must),
      };
    },
  },
  {
    name: 'location (add)',
    prepare: async (s) => ({
      who: s.office,
      callbackId: CALLBACK.locationModal,
      values: { [B.name]: 'Science lab' },
    }),
  },
  {
    name: 'location (edit)',
    prepare: async (s) => {
      const lab = await place(s, 'Science lab');
      return {
        who: s.office,
        callbackId: CALLBACK.locationModal,
        metadata: { id: lab.id },
        values: { [B.name]: 'Science lab 2' },
        between: () =>
          updateLocation(s.officeCtx, {
            locationId: lab.id,
            name: 'Lab 3',
            parentId: null,
            defaultImpact: null,
          }),
      };
    },
  },
  {
    name: 'asset (register)',
    prepare: async (s) => ({
      who: s.office,
      callbackId: CALLBACK.assetModal,
      values: { [B.tag]: 'LAP-0042', [B.type]: { option: 'laptop' }, [B.status]: { option: 'in_use' } },
    }),
  },
  {
    name: 'asset (edit)',
    prepare: async (s) => {
      const laptop = await asset(s);
      return {
        who: s.office,
        callbackId: CALLBACK.assetModal,
        metadata: { id: laptop.id },
        values: {
          [B.tag]: 'LAP-0042',
          [B.type]: { option: 'laptop' },
          [B.status]: { option: 'spare' },
          [B.notes]: 'Spare for supply staff',
        },
        between: () => setAssetStatus(s.officeCtx, { assetId: laptop.id, status: 'in_use' }).then(must),
      };
    },
  },
  {
    name: 'asset (move)',
    prepare: async (s) => {
      const laptop = await asset(s);
      const lab = await place(s, 'Science lab');
      const music = await place(s, 'Music room');
      return {
        who: s.tech,
        callbackId: CALLBACK.assetMoveModal,
        metadata: { id: laptop.id },
        values: { [B.locationId]: { option: lab.id } },
        between: () => moveAsset(s.officeCtx, { assetId: laptop.id, locationId: music.id }).then(must),
      };
    },
  },
  {
    name: 'asset (status)',
    prepare: async (s) => {
      const laptop = await asset(s);
      return {
        who: s.office,
        callbackId: CALLBACK.assetStatusModal,
        metadata: { id: laptop.id },
        values: { [B.status]: { option: 'in_repair' }, [B.note]: 'Hinge cracked' },
        between: () => setAssetStatus(s.officeCtx, { assetId: laptop.id, status: 'in_use' }).then(must),
      };
    },
  },
  {
    name: 'licence (add)',
    prepare: async (s) => ({
      who: s.office,
      callbackId: CALLBACK.licenceModal,
      values: { [B.title]: 'Maths Online', [B.type]: { option: 'site' } },
    }),
  },
  {
    name: 'licence (edit)',
    prepare: async (s) => {
      const licence = must(await addLicence(s.officeCtx, MATHS));
      return {
        who: s.office,
        callbackId: CALLBACK.licenceModal,
        metadata: { id: licence.id },
        values: { [B.title]: 'Maths Online', [B.type]: { option: 'per_user' }, [B.quantity]: '30' },
        between: () => editLicence(s.officeCtx, { ...MATHS, licenceId: licence.id }).then(must),
      };
    },
  },
  {
    name: 'provider (add)',
    prepare: async (s) => ({
      who: s.office,
      callbackId: CALLBACK.providerModal,
      values: { [B.name]: 'Print Co', [B.level]: { option: 'supplier' } },
    }),
  },
  {
    name: 'provider (edit)',
    prepare: async (s) => {
      const provider = await county(s);
      return {
        who: s.office,
        callbackId: CALLBACK.providerModal,
        metadata: { id: provider.id },
        values: { [B.name]: 'County ICT', [B.level]: { option: 'second' }, [B.phone]: '01234 567890' },
        between: () => editProvider(s.officeCtx, { ...COUNTY, providerId: provider.id }).then(must),
      };
    },
  },
  {
    name: 'contract (add)',
    prepare: async (s) => ({
      who: s.office,
      callbackId: CALLBACK.contractModal,
      values: {
        [B.providerId]: { option: (await county(s)).id },
        [B.title]: 'Printer lease',
        [B.startDate]: '2026-09-01',
        [B.endDate]: '2027-08-31',
        [B.noticeDays]: '30',
      },
    }),
  },
  {
    name: 'contract (edit)',
    prepare: async (s) => {
      const c = await contract(s);
      return {
        who: s.office,
        callbackId: CALLBACK.contractModal,
        metadata: { id: c.id },
        values: {
          [B.providerId]: { option: c.providerId },
          [B.title]: 'ICT support',
          [B.startDate]: '2026-09-01',
          [B.endDate]: '2027-08-31',
          [B.noticeDays]: '60',
        },
        between: () =>
          editContract(s.officeCtx, { ...SUPPORT, providerId: c.providerId, contractId: c.id }).then(must),
      };
    },
  },
  {
    name: 'contract renewed (from a reminder)',
    prepare: async (s) => ({
      who: s.office,
      callbackId: CALLBACK.renewModal,
      metadata: { contractId: (await contract(s)).id, ...REMINDER },
      values: { [B.expiryDate]: '2028-08-31' },
      pins: () => expectApi('chat.update', { ok: true }, { match: (a) => a.ts === REMINDER.ts }),
    }),
  },
  {
    name: 'payment',
    prepare: async (s) => ({
      who: s.office,
      callbackId: CALLBACK.paymentModal,
      values: {
        [B.payee]: 'Print Co',
        [B.amountPence]: '£120.00',
        [B.dueDate]: '2027-03-10',
        [B.recurrence]: { option: 'none' },
      },
    }),
  },
  {
    name: 'diary entry',
    prepare: async (s) => ({
      who: s.office,
      callbackId: CALLBACK.diaryModal,
      values: { [B.date]: '2027-03-10', [B.title]: 'Engineer visit', [B.kind]: { option: 'visit' } },
    }),
  },
  {
    name: 'change (new, from a reminder)',
    prepare: async (s) => ({
      who: s.office,
      callbackId: CALLBACK.workCreateModal,
      metadata: { kind: 'problem', reminder: REMINDER },
      values: { [W.title]: 'Repeated faults: projector' },
      pins: () => expectApi('chat.update', { ok: true }, { match: (a) => a.ts === REMINDER.ts }),
    }),
  },
  {
    name: 'change (edit)',
    prepare: async (s) => ({
      who: s.office,
      callbackId: CALLBACK.workEditModal,
      metadata: { id: (await change(s)).item.id },
      values: { [W.title]: 'New Wi-Fi in the hall and library' },
    }),
  },
  {
    name: 'progress update',
    prepare: async (s) => ({
      who: s.tech,
      callbackId: CALLBACK.workProgressModal,
      metadata: { id: (await change(s)).item.id },
      values: { [W.note]: 'Cabling done', [W.percentDone]: '60' },
    }),
  },
  {
    name: 'link incidents',
    prepare: async (s) => {
      await reported(s);
      return {
        who: s.office,
        callbackId: CALLBACK.workLinkModal,
        metadata: { id: (await change(s)).item.id },
        values: { [W.incidents]: 'INC-1', [W.linkMode]: { option: 'link' } },
      };
    },
  },
  {
    name: 'resolve linked incidents',
    prepare: async (s) => {
      await reported(s);
      const problem = must(
        await createWorkItem(s.officeCtx, {
          kind: 'problem',
          title: 'Projector bulbs',
          description: '',
          owner: null,
          targetDate: null,
          incidents: ['INC-1'],
        }),
      );
      return {
        who: s.tech,
        callbackId: CALLBACK.workResolveModal,
        metadata: { id: problem.item.id },
        values: { [W.resolution]: 'New bulbs fitted everywhere' },
      };
    },
  },
  {
    name: 'settings',
    prepare: async (s) => ({
      who: s.admin,
      callbackId: CALLBACK.settingsModal,
      values: SETTINGS,
      // Another admin changes the day meanwhile: a late copy must not put it back.
      between: async () => {
        const admin = await identifySlackUser(tdb.db, clock, { teamId: s.teamId, userId: s.admin.userId });
        const ctx = { db: tdb.db, clock, actor: admin.actor };
        return must(await updateSchoolSettings(ctx, { dayStart: '09:00', dayEnd: '15:00' }));
      },
    }),
  },
];

const snapshot = (schoolId: string) => schoolSnapshot(tdb.db, schoolId);

/** A submission and a sender for it: every copy carries the same view id. */
async function ready(form: Form) {
  const s = await school();
  const sub = await form.prepare(s);
  const viewId = uniqueId('V');
  const send = () =>
    app.send(
      viewSubmission(sub.who, sub.callbackId, sub.values, {
        viewId,
        privateMetadata: sub.metadata === undefined ? '' : JSON.stringify(sub.metadata),
      }),
    );
  return { s, sub, send };
}

/** The ack's body: empty (the modal closes) or the view that replaces it. */
const answerOf = (res: Response) => (res.text ? res.json() : '');

function expectSaved(res: Response) {
  expect(res.status).toBe(200);
  // A saved form either closes (empty ack) or shows what was done; never errors.
  if (res.text) expect(res.json().response_action).toBe('update');
}

describe('a form submitted twice with the same view id is recorded once', () => {
  it.each(FORMS.map((f) => [f.name, f] as const))('%s', async (_name, form) => {
    // One after the other (with, for some forms, another change in between).
    const one = await ready(form);
    const before = await snapshot(one.s.schoolId);
    one.sub.pins?.();
    const first = await one.send();
    expectSaved(first);
    // Wait for anything the first answer does after the ack (e.g. updating the reminder).
    await new Promise((r) => setTimeout(r, 100));
    const afterFirst = await snapshot(one.s.schoolId);
    const changed = rowsAdded(before, afterFirst);
    expect(afterFirst).not.toEqual(before);
    await one.sub.between?.();
    const settled = await snapshot(one.s.schoolId);
    const again = await one.send();
    expect(again.status).toBe(200);
    expect(answerOf(again)).toEqual(answerOf(first));
    await new Promise((r) => setTimeout(r, 100));
    expect(await snapshot(one.s.schoolId)).toEqual(settled);
    expect(changed.formSubmissions).toBe(1);

    // At the same moment: the copies queue on the key; the school ends as after one.
    const two = await ready(form);
    const start = await snapshot(two.s.schoolId);
    two.sub.pins?.();
    const [a, b] = await Promise.all([two.send(), two.send()]);
    expectSaved(a);
    expect(b.status).toBe(200);
    expect(answerOf(b)).toEqual(answerOf(a));
    await new Promise((r) => setTimeout(r, 100));
    expect(rowsAdded(start, await snapshot(two.s.schoolId))).toEqual(changed);
    await until(() => (unpinned.length === 0 ? true : undefined), 'no unpinned call', 50).catch(() => {
      throw new Error(`A repeat called Slack: ${unpinned.join(', ')}`);
    });
  });
});
