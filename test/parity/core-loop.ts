/**
 * The core loop, written once and run on every chat platform SPOC serves: parity is measured, not
 * claimed. Each platform's driver speaks that platform's own wire format to the real app (Slack:
 * signed payloads to Bolt; Teams: Bot Framework activities with signed tokens to the adapter) and
 * reads back what the platform was asked to show, reduced to the same plain shape: a message's
 * words and its buttons' labels, a form's fields by label. The scenario never names a platform id:
 * it presses buttons and fills fields by the labels people see.
 *
 * The loop: a school set up in its SPOC channel; a teacher reports a fault and gets a reference;
 * the card lands in the SPOC channel; two technicians press Claim at once (one wins, the other is
 * told who has it); the card and the reporter follow; the winner resolves through the form (a
 * refused submit first); the reporter is told, with Fixed / Still broken, and presses Fixed; and a
 * payment reminder, in the thread of the day's briefing, whose Mark paid pays it. Then the office's work: a register form with a field
 * error (a location), an escalation with the provider's reference, page 2 of the asset register, a
 * CSV import's preview refusing rows by line, and the week's service report.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client';
import { assets, escalations, incidents, locations, payments, people } from '../../src/db/schema';
import { fixedClock } from '../../src/domain/clock';
import { registerAsset } from '../../src/domain/registers/assets';
import { schedulePayment } from '../../src/domain/registers/payments';
import { addProvider } from '../../src/domain/registers/providers';
import { actorOf } from '../../src/domain/schools/identify';
import { assetInput } from '../support/factories';

/** A message as a person sees it: its words (markup removed) and its buttons' labels. */
export interface Seen {
  text: string;
  buttons: string[];
}

/** The people of the scenario's school. */
export type Person = 'admin' | 'office' | 'techA' | 'techB' | 'teacher';

/** What pressing a button did, as the presser saw it. */
export interface Pressed {
  /** A sentence told to the presser alone (a refusal), if any. */
  told?: string;
  /** The message in place of the one pressed, where the press replaced it. */
  now?: Seen;
}

/** A form (a Slack modal, a Teams card or dialog) open in front of someone. */
export interface OpenForm {
  title: string;
  /** The fields' labels, in order. */
  fields: string[];
}

export type FormResult =
  /** The form went: it closed, or was replaced by what it says next. */
  | { done: true; now?: Seen }
  /** The form stayed, with the server's messages by field label. */
  | { done: false; errors: Record<string, string> };

export interface ParityDriver {
  readonly platform: 'slack' | 'teams';
  readonly db: Db;
  /** Starts the real app with every outbound call pinned. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Sets up the school as people would: the admin sets up the SPOC channel and gives the office
   * member and both technicians their roles. Returns the school's id.
   */
  setUpSchool(): Promise<string>;
  /** Opens the fault form as the platform offers it (`/fault`, the personal chat's `fault`). */
  openFaultForm(who: Person, text: string): Promise<OpenForm>;
  /** Submits the open form with values by field label (a choice by its label). */
  submitForm(who: Person, values: Record<string, string>): Promise<FormResult>;
  /** Sends what the outbox holds, and returns once it has. */
  deliver(): Promise<void>;
  /** The messages posted in the SPOC channel, each as it now stands (updates applied). */
  channel(): Seen[];
  /** The replies in the thread under `message` (one of `channel()`), as they now stand. */
  thread(message: Seen): Seen[];
  /** The messages sent to a person in their direct or personal chat, as they now stand. */
  chat(who: Person): Seen[];
  /** Presses the button labelled `label` on `message` (one of `channel()` or `chat(who)`). */
  press(who: Person, message: Seen, label: string): Promise<Pressed>;
  /** Presses a button that opens a form, and returns the form. */
  openFormFrom(who: Person, message: Seen, label: string): Promise<OpenForm>;
  /**
   * Asks SPOC something as the person would (`/spoc <words>` in Slack, `spoc <words>` in the
   * personal chat in Teams) and gives the answer shown to them alone.
   */
  ask(who: Person, words: string): Promise<Seen>;
  /**
   * Sends a CSV file to import into a register as the platform takes one (Slack: `/spoc import`
   * and its upload form; Teams: `spoc import` with the file attached in the personal chat) and
   * gives the preview shown: its words, and its Import button if it offers one.
   */
  importFile(who: Person, register: string, fileName: string, content: string): Promise<Seen>;
  /** Runs the worker's reminder pass as of now. */
  remind(): Promise<void>;
  /** The moment the app believes it is (the school's "today" for a payment). */
  now(): Date;
}

const find = (messages: Seen[], words: string, what: string): Seen => {
  const found = messages.find((m) => m.text.includes(words));
  if (!found)
    throw new Error(`no ${what} saying "${words}" among:\n${messages.map((m) => m.text).join('\n---\n')}`);
  return found;
};

/** The school's today in London, as an ISO date. */
const londonToday = (now: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(now);

export function coreLoop(makeDriver: () => ParityDriver): void {
  const d = makeDriver();
  let schoolId = '';
  let incidentId = '';

  const card = () => find(d.channel(), 'INC-1', 'incident card');

  describe(`the core loop on ${d.platform}`, () => {
    beforeAll(async () => {
      await d.start();
      schoolId = await d.setUpSchool();
    });
    afterAll(async () => {
      await d.stop();
    });

    it('a teacher reports a fault through the form and gets its reference at once', async () => {
      const form = await d.openFaultForm('teacher', 'Projector in Room 4 shows no signal');
      expect(form.title).toBe('Report an ICT fault');
      expect(form.fields).toEqual(expect.arrayContaining(["What's wrong?", 'Details', 'How urgent is it?']));

      const refused = await d.submitForm('teacher', {
        "What's wrong?": '  ',
        'How urgent is it?': 'A lesson is stopped now',
      });
      expect(refused).toEqual({
        done: false,
        errors: { "What's wrong?": 'Say in a few words what is wrong.' },
      });

      const sent = await d.submitForm('teacher', {
        "What's wrong?": 'Projector in Room 4 shows no signal',
        Details: 'Since break',
        'How urgent is it?': 'A lesson is stopped now',
      });
      expect(sent.done).toBe(true);
      expect(sent.done && sent.now?.text).toContain('INC-1');
      const stored = await d.db.select().from(incidents).where(eq(incidents.schoolId, schoolId));
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ number: 1, urgency: 'lesson_stopped', status: 'new' });
      incidentId = stored[0]?.id ?? '';
    });

    it('the card lands in the SPOC channel with the staff actions, and the reporter is told', async () => {
      await d.deliver();
      expect(card().text).toContain('Projector in Room 4 shows no signal');
      expect(card().text).toContain('New');
      expect(card().buttons.slice(0, 4)).toEqual(['Claim', 'Triage', 'Forward', 'Resolve']);
      expect(find(d.chat('teacher'), 'INC-1', 'confirmation').text).toContain('INC-1');
    });

    it('two technicians claim at once: one wins, the other is told who has it', async () => {
      const shown = card();
      const [a, b] = await Promise.all([d.press('techA', shown, 'Claim'), d.press('techB', shown, 'Claim')]);
      const [row] = await d.db.select().from(incidents).where(eq(incidents.id, incidentId));
      expect(row?.status).toBe('in_progress');
      const refusals = [a, b].map((p) => p.told).filter(Boolean);
      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toMatch(/^Already claimed by (Sam|Alex) Tech\.$/);
      // The one told is the one who lost.
      const loser = a.told ? 'techA' : 'techB';
      const winnerName = loser === 'techA' ? 'Alex Tech' : 'Sam Tech';
      expect(refusals[0]).toBe(`Already claimed by ${winnerName}.`);

      await d.deliver();
      expect(card().text).toContain('In progress');
      expect(card().text).toContain(winnerName);
      expect(find(d.chat('teacher'), 'is now working on your fault', 'claimed notice').text).toContain(
        winnerName,
      );
    });

    it('the winner resolves through the form; the card and the reporter follow', async () => {
      const [row] = await d.db.select().from(incidents).where(eq(incidents.id, incidentId));
      const winner: Person = row?.assigneeId && (await isTechA(d, row.assigneeId)) ? 'techA' : 'techB';
      const form = await d.openFormFrom(winner, card(), 'Resolve');
      expect(form.title).toBe('Resolve INC-1');
      expect(form.fields[0]).toBe('What was done?');

      const refused = await d.submitForm(winner, { 'What was done?': ' ' });
      expect(refused).toEqual({ done: false, errors: { 'What was done?': 'Say what was done to fix it.' } });
      const done = await d.submitForm(winner, {
        'What was done?': 'Reseated the HDMI cable',
        Category: 'AV / display',
      });
      expect(done.done).toBe(true);
      const [resolved] = await d.db.select().from(incidents).where(eq(incidents.id, incidentId));
      expect(resolved).toMatchObject({
        status: 'resolved',
        resolution: 'Reseated the HDMI cable',
        category: 'av',
      });

      await d.deliver();
      expect(card().text).toContain('Resolved');
      const fixed = find(d.chat('teacher'), 'has been fixed', 'fixed notice');
      expect(fixed.text).toContain('Reseated the HDMI cable');
      expect(fixed.buttons).toEqual(['Fixed', 'Still broken']);
    });

    it('the reporter presses Fixed: the fault is closed and the buttons give way to the answer', async () => {
      const fixed = find(d.chat('teacher'), 'has been fixed', 'fixed notice');
      const pressed = await d.press('teacher', fixed, 'Fixed');
      expect(pressed.told).toBeUndefined();
      // Fixed / Still broken give way to the answer and the satisfaction question's 👍 / 👎.
      expect(pressed.now?.buttons).toEqual(['👍 Yes', '👎 No']);
      expect(pressed.now?.text).toContain('Thanks for letting us know — INC-1');
      expect(pressed.now?.text).toContain('are you happy with how INC-1 was dealt with?');
      const [closed] = await d.db.select().from(incidents).where(eq(incidents.id, incidentId));
      expect(closed?.status).toBe('closed');
    });

    it("a payment reminder's Mark paid pays it and says so in place of the buttons", async () => {
      const today = londonToday(d.now());
      const [office] = await d.db
        .select()
        .from(people)
        .where(and(eq(people.schoolId, schoolId), eq(people.displayName, 'Mrs Office')));
      if (!office) throw new Error('the office member is not in the school');
      const scheduled = await schedulePayment(
        { db: d.db, clock: fixedClock(d.now()), actor: actorOf(office) },
        {
          payee: 'Oakwood ICT',
          providerId: null,
          amountPence: 123450,
          dueDate: today,
          recurrence: 'none',
          reference: 'INV-9',
          notes: '',
        },
      );
      expect(scheduled.ok).toBe(true);
      const before = d.channel().length;
      await d.remind();
      await d.deliver();
      // The pass's one new message in the channel is the day's briefing; the reminder, with its
      // buttons, is in its thread.
      const posted = d.channel().slice(before);
      expect(posted).toHaveLength(1);
      const briefing = find(posted, 'Briefing for', 'briefing');
      expect(briefing.text).toContain('Payments (1)');
      expect(briefing.buttons).toEqual([]);
      const reminder = find(d.thread(briefing), 'Payment of £1,234.50', 'payment reminder');
      expect(reminder.text).toContain('Payment of £1,234.50 to Oakwood ICT (ref INV-9) is due today');
      expect(reminder.buttons).toContain('Mark paid');

      const refused = await d.press('teacher', reminder, 'Mark paid');
      expect(refused.told).toBe('Only office staff (the SPOC) can change the registers.');
      const paid = await d.press('office', reminder, 'Mark paid');
      expect(paid.told).toBeUndefined();
      expect(paid.now?.text).toContain('Marked paid');
      expect(paid.now?.text).toContain('Mrs Office');
      expect(paid.now?.buttons).toEqual([]);
      const [row] = await d.db
        .select()
        .from(payments)
        .where(and(eq(payments.schoolId, schoolId), eq(payments.payee, 'Oakwood ICT')));
      expect(row?.status).toBe('paid');
    });

    it('the office adds a location through the register form; a taken name is refused beside the field', async () => {
      const list = await d.ask('office', 'locations');
      expect(list.text).toContain('Locations (7) — page 1 of 1');
      expect(list.text).toContain('ICT suite');
      expect(list.buttons).toEqual(expect.arrayContaining(['Add a location', 'Edit', 'Archive']));
      const form = await d.openFormFrom('office', list, 'Add a location');
      expect(form).toEqual({
        title: 'Add a location',
        fields: ['Name', 'Inside', 'A fault here usually affects'],
      });
      const refused = await d.submitForm('office', { Name: 'library' });
      expect(refused).toEqual({
        done: false,
        errors: { Name: 'There is already a location called “library”.' },
      });
      const saved = await d.submitForm('office', {
        Name: 'Art block',
        'A fault here usually affects': 'A suite or department',
      });
      expect(saved.done).toBe(true);
      expect(saved.done && saved.now?.text).toContain('Location Art block saved.');
      const [art] = await d.db
        .select()
        .from(locations)
        .where(and(eq(locations.schoolId, schoolId), eq(locations.name, 'Art block')));
      expect(art?.defaultImpact).toBe('department');
      // A teacher may not see the registers, and is told so in the domain's words.
      const teacherList = await d.ask('teacher', 'locations');
      expect(teacherList).toEqual({
        text: 'Only technicians and office staff can see the registers.',
        buttons: [],
      });
    });

    it("the office escalates a fault to a second-level provider with the provider's reference", async () => {
      const [office] = await d.db
        .select()
        .from(people)
        .where(and(eq(people.schoolId, schoolId), eq(people.displayName, 'Mrs Office')));
      if (!office) throw new Error('the office member is not in the school');
      const provider = await addProvider(
        { db: d.db, clock: fixedClock(d.now()), actor: actorOf(office) },
        {
          name: 'County ICT',
          level: 'second',
          contactName: 'Jo Helpdesk',
          email: 'help@county.example',
          phone: '',
          chatChannel: '',
          notes: '',
        },
      );
      expect(provider.ok).toBe(true);
      await d.openFaultForm('teacher', 'Server room switch is beeping');
      const sent = await d.submitForm('teacher', {
        "What's wrong?": 'Server room switch is beeping',
        'How urgent is it?': 'Needed today',
      });
      expect(sent.done && sent.now?.text).toContain('INC-2');
      await d.deliver();
      // A new fault is first taken on (Escalate follows the state machine: not from New).
      const claimed = await d.press('techA', find(d.channel(), 'INC-2', 'second incident card'), 'Claim');
      expect(claimed.told).toBeUndefined();
      await d.deliver();
      const card2 = find(d.channel(), 'INC-2', 'second incident card');
      const form = await d.openFormFrom('office', card2, 'Escalate');
      expect(form.title).toBe('Escalate INC-2');
      expect(form.fields).toEqual(['Provider', 'Their reference', 'Note for the provider']);
      const done = await d.submitForm('office', {
        Provider: 'County ICT',
        'Their reference': 'CAS-4417',
        'Note for the provider': 'Beeping since the power cut; rebooted once.',
      });
      expect(done.done).toBe(true);
      const [row] = await d.db
        .select()
        .from(incidents)
        .where(and(eq(incidents.schoolId, schoolId), eq(incidents.number, 2)));
      expect(row?.status).toBe('escalated');
      const [escalation] = await d.db
        .select()
        .from(escalations)
        .where(eq(escalations.incidentId, row?.id ?? ''));
      expect(escalation?.providerRef).toBe('CAS-4417');
      await d.deliver();
      const escalated = find(d.channel(), 'INC-2', 'second incident card');
      expect(escalated.text).toContain('County ICT');
      expect(escalated.text).toContain('CAS-4417');
    });

    it('the asset register pages: page 2 of the list, by its Next button', async () => {
      const office = await officeCtx(d, schoolId);
      for (let n = 1; n <= 23; n++) {
        const added = await registerAsset(office, assetInput({ tag: `LAP-${String(n).padStart(4, '0')}` }));
        expect(added.ok).toBe(true);
      }
      const first = await d.ask('office', 'assets');
      expect(first.text).toContain('Asset register (23) — page 1 of 2');
      expect(first.text).toContain('LAP-0001');
      expect(first.text).not.toContain('LAP-0023');
      expect(first.buttons).toEqual(expect.arrayContaining(['View', 'Register an asset', 'Next →']));
      const second = await d.press('office', first, 'Next →');
      expect(second.told).toBeUndefined();
      expect(second.now?.text).toContain('Asset register (23) — page 2 of 2');
      expect(second.now?.text).toContain('LAP-0023');
      expect(second.now?.buttons).toContain('← Previous');
    });

    it('a CSV import is previewed with its refused rows by line, and nothing is imported', async () => {
      const csv = [
        'Asset Tag,Type,Make,Model',
        'PRJ-0001,Projector,Epson,EB-992F',
        ',Laptop,Dell,Latitude 3440',
        'PRJ-0002,Toaster,Breville,VTT',
      ].join('\r\n');
      const preview = await d.importFile('office', 'assets', 'hall kit.csv', csv);
      expect(preview.text).toContain('hall kit.csv');
      expect(preview.text).toContain('Refused rows — nothing is imported until they are fixed:');
      expect(preview.text).toMatch(/• Line 3: /);
      expect(preview.text).toMatch(/• Line 4: /);
      expect(preview.buttons).not.toContain('Import');
      const projectors = await d.db
        .select()
        .from(assets)
        .where(and(eq(assets.schoolId, schoolId), eq(assets.tag, 'PRJ-0001')));
      expect(projectors).toEqual([]);
    });

    it("the service report for this week counts the week's faults", async () => {
      const report = await d.ask('office', 'report week');
      expect(report.text).toContain('Service report: ');
      // Slack lays the figures out as fields (label, then value), Teams as facts ("label: value").
      expect(report.text).toMatch(/Faults reported:?\s+2\n/);
      expect(report.text).toMatch(/Escalated to providers:?\s+1\n/);
      expect(report.text).toContain('• County ICT: 1 escalation');
      expect(report.text).toContain('Times are school time');
      expect(report.buttons).toEqual([]);
      const teacher = await d.ask('teacher', 'report week');
      expect(teacher.text).not.toContain('Service report: ');
    });
  });
}

/** The scenario school's office member, as a command context. */
async function officeCtx(d: ParityDriver, schoolId: string) {
  const [office] = await d.db
    .select()
    .from(people)
    .where(and(eq(people.schoolId, schoolId), eq(people.displayName, 'Mrs Office')));
  if (!office) throw new Error('the office member is not in the school');
  return { db: d.db, clock: fixedClock(d.now()), actor: actorOf(office) };
}

/** Whether the person with this id is the scenario's first technician (by name). */
async function isTechA(d: ParityDriver, personId: string): Promise<boolean> {
  const [p] = await d.db.select().from(people).where(eq(people.id, personId));
  return p?.displayName === 'Sam Tech';
}
