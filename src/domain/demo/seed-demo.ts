/**
 * Fills the playground's demo school (issue 6) through the ordinary domain commands only — the
 * same roles, rules, history and outbox messages as real use — with dates relative to the clock,
 * so the demo always looks current. Running it again on a seeded school changes nothing.
 */
import type { Db } from '../../db/client';
import { getAssetByTag } from '../../db/queries/assets';
import { findIncidentBySubmission } from '../../db/queries/incidents';
import { getLocationByName, listActiveLocations } from '../../db/queries/locations';
import { lockAdmins } from '../../db/queries/people';
import { findSchoolBySlackTeam, getSchool, loadSchoolClock } from '../../db/queries/schools';
import { type Clock, fixedClock } from '../clock';
import type { Ctx } from '../context';
import { registerAsset } from '../registers/assets';
import { addDiaryEntry } from '../registers/diary';
import { addLicence } from '../registers/licences';
import { addLocation } from '../registers/locations';
import { markPaymentPaid, schedulePayment } from '../registers/payments';
import { addContract, addProvider } from '../registers/providers';
import { makeCalendar, type SchoolCalendar, schoolDayMinutes, schoolToday } from '../school-time';
import { addIsoDays, isoWeekday } from '../school-time/iso-date';
import { actorOf, identifySlackUser } from '../schools/identify';
import { setRole } from '../schools/set-role';
import { setupSchool } from '../schools/setup-school';
import { demoAssets } from './demo-assets';
import { type DemoIds, type DemoPeople, must, schoolDayFrom } from './demo-kit';
import {
  DEMO_CHANNEL_ID,
  DEMO_PEOPLE,
  DEMO_PROVIDERS,
  DEMO_ROOMS,
  DEMO_TEAM_ID,
  DEMO_TEAM_NAME,
  type DemoProvider,
  type DemoWho,
  demoContracts,
  demoDiary,
  demoLicences,
  demoPayments,
} from './demo-school';
import { type DemoSeedSummary, summarizeDemoSchool } from './demo-summary';
import { schoolTimeBefore } from './demo-time';
import { timelineOf } from './demo-timeline';

export { type DemoSeedSummary, formatDemoSummary } from './demo-summary';

export interface SeedDemoOptions {
  /** Slack team id of the demo school (default the playground's, `T0PLAYGRND`). */
  teamId?: string;
  /** Name given to the school if seeding creates it. */
  teamName?: string;
  /** The SPOC channel Mr Head sets up (default `C0PLAYSPOC`). */
  channelId?: string;
}

/** The report the seed makes last: once it exists the demo school is seeded. */
const MARKER_KEY = 'demo-seed:room5-projector';
/** An asset the seed registers first: present without the marker means an earlier run stopped part-way. */
const FIRST_ASSET_TAG = 'HPS-D01';
/** The registers are set up this many school days before the seeding moment, before any fault. */
const SETUP_SCHOOL_DAYS = 20;

/**
 * Seeds the demo school (creating it and its people on first contact) and returns what it holds.
 * Only the school of `teamId` is touched. Outbox messages written by the commands stay pending
 * until a deliverer runs (the playground's fake Slack delivers them).
 */
export async function seedDemo(db: Db, clock: Clock, opts: SeedDemoOptions = {}): Promise<DemoSeedSummary> {
  const teamId = opts.teamId ?? DEMO_TEAM_ID;
  const now = clock.now();
  const existing = await findSchoolBySlackTeam(db, teamId);
  if (existing) {
    if (await findIncidentBySubmission(db, existing.id, MARKER_KEY))
      return summarizeDemoSchool(db, existing, now, false);
    if (await getAssetByTag(db, existing.id, FIRST_ASSET_TAG)) {
      throw new Error(
        'The demo school was partly seeded by an earlier run that stopped. Remove the playground data (SPOC_DATA_DIR) and seed again.',
      );
    }
  }
  const calendar: SchoolCalendar = existing
    ? ((await loadSchoolClock(db, existing.id))?.calendar ?? makeCalendar())
    : makeCalendar();
  // One clock moved through the history: each command stamps the moment it "happened".
  const at = fixedClock(schoolTimeBefore(calendar, now, SETUP_SCHOOL_DAYS * schoolDayMinutes(calendar)));
  const people = await setUpPeople(db, at, teamId, opts);
  const schoolId = people.head.actor.schoolId;
  const today = schoolToday(now, calendar.timezone);
  const ids = await fillRegisters(people, today, calendar);
  for (const event of timelineOf({ people, calendar, now, today, ids })) {
    at.set(event.at);
    await event.run();
  }
  const school = await getSchool(db, schoolId);
  if (!school) throw new Error(`demo school ${schoolId} vanished`);
  return summarizeDemoSchool(db, school, now, true);
}

/** Mr Head sets SPOC up in the channel (so he is the first admin) and gives everyone their role. */
async function setUpPeople(db: Db, at: Clock, teamId: string, opts: SeedDemoOptions): Promise<DemoPeople> {
  const channel = opts.channelId ?? DEMO_CHANNEL_ID;
  const head = DEMO_PEOPLE.head;
  const first = await identifySlackUser(db, at, {
    teamId,
    teamName: opts.teamName ?? DEMO_TEAM_NAME,
    userId: head.slackUserId,
    userName: head.name,
  });
  const schoolId = first.school.id;
  let headCtx: Ctx = { db, clock: at, actor: first.actor };
  const setup = await setupSchool(headCtx, { slackChannelId: channel });
  if (!setup.ok && setup.error.code === 'AUTH.FORBIDDEN') {
    // Someone else set the playground up before seeding: that admin makes Mr Head admin too.
    const [admin] = await lockAdmins(db, schoolId);
    if (!admin) throw new Error('Demo seeding failed: the school has no admin to grant roles');
    must(
      await setRole(
        { db, clock: at, actor: actorOf(admin) },
        { target: { personId: first.person.id }, role: 'admin' },
      ),
      'make Mr Head admin',
    );
    headCtx = { db, clock: at, actor: { ...first.actor, role: 'admin' } };
    must(await setupSchool(headCtx, { slackChannelId: channel }), 'set up the SPOC channel');
  } else {
    must(setup, 'set up the SPOC channel');
    headCtx = { db, clock: at, actor: { ...first.actor, role: 'admin' } };
  }
  const people = { head: headCtx } as DemoPeople;
  for (const who of Object.keys(DEMO_PEOPLE) as DemoWho[]) {
    if (who === 'head') continue;
    const p = DEMO_PEOPLE[who];
    const known = await identifySlackUser(db, at, { teamId, userId: p.slackUserId, userName: p.name });
    const granted = must(
      await setRole(headCtx, { target: { personId: known.person.id }, role: p.role }),
      `give ${p.name} the ${p.role} role`,
    );
    people[who] = {
      db,
      clock: at,
      actor: { schoolId, personId: granted.personId, role: p.role, displayName: p.name },
    };
  }
  return people;
}

/** Mrs Office fills the registers: rooms, assets, licences, providers, contracts, payments, diary. */
async function fillRegisters(people: DemoPeople, today: string, calendar: SchoolCalendar): Promise<DemoIds> {
  const office = people.office;
  const { db } = office;
  const schoolId = office.actor.schoolId;
  for (const name of DEMO_ROOMS) {
    // A room someone added in the playground before seeding is simply used.
    if (await getLocationByName(db, schoolId, name)) continue;
    must(await addLocation(office, { name, parentId: null, defaultImpact: null }), `add location ${name}`);
  }
  const locations = new Map((await listActiveLocations(db, schoolId)).map((l) => [l.name, l.id]));
  const location = (name: string) => {
    const id = locations.get(name);
    if (!id) throw new Error(`Demo seeding failed: no location ${name}`);
    return id;
  };
  const assets = new Map<string, string>();
  for (const input of demoAssets(today, location)) {
    assets.set(input.tag, must(await registerAsset(office, input), `register asset ${input.tag}`).id);
  }
  const asset = (tag: string) => {
    const id = assets.get(tag);
    if (!id) throw new Error(`Demo seeding failed: no asset ${tag}`);
    return id;
  };
  for (const input of demoLicences(today))
    must(await addLicence(office, input), `add licence ${input.title}`);
  const provider = {} as Record<DemoProvider, string>;
  for (const key of Object.keys(DEMO_PROVIDERS) as DemoProvider[]) {
    const input = DEMO_PROVIDERS[key];
    provider[key] = must(await addProvider(office, input), `add provider ${input.name}`).id;
  }
  for (const { provider: key, ...input } of demoContracts(today)) {
    must(await addContract(office, { ...input, providerId: provider[key] }), `add contract ${input.title}`);
  }
  const weekEnd = addIsoDays(today, 7 - isoWeekday(today));
  for (const { provider: key, paid, ...input } of demoPayments(today, weekEnd)) {
    const payment = must(
      await schedulePayment(office, { ...input, providerId: key ? provider[key] : null }),
      `schedule payment to ${input.payee}`,
    );
    if (paid) {
      must(
        await markPaymentPaid(office, { paymentId: payment.id, paidDate: input.dueDate }),
        `pay ${input.payee}`,
      );
    }
  }
  for (const entry of demoDiary(today, schoolDayFrom(calendar, today))) {
    must(
      await addDiaryEntry(office, {
        date: entry.date,
        title: entry.title,
        kind: entry.kind,
        notes: entry.notes,
        assetId: entry.assetTag ? asset(entry.assetTag) : null,
      }),
      `add diary entry ${entry.title}`,
    );
  }
  return { location, asset, provider };
}
