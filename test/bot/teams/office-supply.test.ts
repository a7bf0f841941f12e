/**
 * Providers, contracts, scheduled payments and the diary in Teams, through `POST /api/messages`
 * with signed activities and every connector call pinned: `spoc contracts` and `spoc payments`
 * answer with the list cards (the same words as Slack's); Add a contract says to add a provider
 * first; a provider is added through its dialog; a contract ending before it starts is refused
 * under the end date with what was typed kept, then saved once however often the submit arrives;
 * a payment is scheduled and marked paid from the list, which schedules the next one; `spoc diary`
 * lists the month and an entry is added; a teacher is refused the list, the form and the button;
 * a long provider list pages with Next and Previous.
 *
 * The server runs on the real clock, so the dates asked for are relative to today in the school's
 * time zone, and what SPOC says of them is computed the same way.
 */
import { addDays, addMonths, format, parseISO } from 'date-fns';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { contracts, diaryEntries, formSubmissions, payments, providers } from '../../../src/db/schema';
import { addProvider } from '../../../src/domain/registers/providers';
import { FORBIDDEN } from '../../../src/domain/roles';
import { schoolToday } from '../../../src/domain/school-time';
import { COLLEAGUE, channelMessage } from '../../support/teams-activities';
import { type Card, cardOf, input, under, useTeamsSpoc } from '../../support/teams-harness';
import { officeTools } from '../../support/teams-office';

const harness = useTeamsSpoc('spoc-office-supply-key');
const { calls, db, post } = harness;
const { knownPerson, task, press, openForm, ask, words, actionsOf, verbOf } = officeTools(harness, {
  idPrefix: { task: 'f:sup-' },
});
const uk = (iso: string) => format(parseISO(iso), 'dd/MM/yyyy');
/** A date in a sentence ("Mon 14 Dec 2026"); lists keep `uk`. */
const day = (iso: string) => format(parseISO(iso), 'EEE d MMM yyyy');

describe('providers, contracts, payments and the diary in Teams', () => {
  it('lists, adds through the dialogs with field errors, saves once, marks paid; a teacher is refused', async () => {
    // Megan sets SPOC up, so she is the school's admin (the office).
    await post(channelMessage('spoc setup', '401'));
    const today = schoolToday(new Date(), 'Europe/London');

    // No contracts yet, and Add a contract says what to do first.
    const empty = await ask('spoc contracts');
    expect(words(empty)).toContain('**Contracts** (0)');
    expect(words(empty)).toContain('No contracts yet.');
    expect(actionsOf(empty).find((a) => verbOf(a) === 'contract.add')).toMatchObject({
      type: 'Action.Submit',
      title: 'Add a contract',
      data: { msteams: { type: 'task/fetch' } },
    });
    expect(await task('task/fetch', { verb: 'contract.add', value: '' })).toEqual({
      task: { type: 'message', value: 'Add a provider first: spoc providers, then Add a provider.' },
    });

    // A provider, through its dialog: a bad email comes back under the field.
    const providerForm = await openForm('provider.add');
    expect(providerForm.title).toBe('Add a provider');
    expect(input(providerForm.form, 'level')).toMatchObject({ type: 'Input.ChoiceSet', value: 'first' });
    const oakwood = { ...providerForm.submit, name: 'Oakwood ICT', level: 'second', email: 'jo@oakwood' };
    const badEmail = await task('task/submit', oakwood);
    if (badEmail.task.type !== 'continue') throw new Error(JSON.stringify(badEmail));
    expect(under(badEmail.task.value.card.content, 'email')).toBe('That is not an email address.');
    const providerSaved = await task('task/submit', { ...oakwood, email: 'jo@oakwood.example' });
    expect(words(providerSaved)).toContain('Provider **Oakwood ICT** saved.');
    const [provider] = await db().select().from(providers).where(eq(providers.name, 'Oakwood ICT'));
    expect(provider?.level).toBe('second');
    const providerList = await ask('spoc providers');
    expect(words(providerList)).toContain('**Oakwood ICT** · Second-level support');
    expect(actionsOf(providerList).some((a) => verbOf(a) === 'provider.edit')).toBe(true);

    // A contract: the provider chosen from the school's own list; ending before it starts is refused.
    const contractForm = await openForm('contract.add');
    expect(words(input(contractForm.form, 'providerId'))).toContain('Oakwood ICT');
    const contract = {
      ...contractForm.submit,
      providerId: provider?.id,
      title: 'Technical support',
      startDate: '2027-09-01',
      endDate: '2027-08-31',
      noticeDays: '30',
      autoRenews: 'true',
      valuePence: '£4,500',
    };
    const backwards = await task('task/submit', contract);
    if (backwards.task.type !== 'continue') throw new Error(JSON.stringify(backwards));
    const again = backwards.task.value.card.content;
    expect(under(again, 'endDate')).toBe('The end must be after the start.');
    expect(input(again, 'title')).toMatchObject({ value: 'Technical support' });
    expect(input(again, 'valuePence')).toMatchObject({ value: '£4,500' });

    const good = { ...contract, endDate: '2028-08-31' };
    const saved = await task('task/submit', good);
    expect(words(saved)).toContain(
      'Contract **Technical support** saved. Notice must be given by Tue 1 Aug 2028.',
    );
    // Sent again (a retry, a double click): the same answer, one contract.
    expect(await task('task/submit', good)).toEqual(saved);
    expect(await db().select().from(contracts).where(eq(contracts.title, 'Technical support'))).toHaveLength(
      1,
    );
    expect(
      await db().select().from(formSubmissions).where(eq(formSubmissions.kind, 'teams.contract')),
    ).toHaveLength(1);

    const contractList = await ask('spoc contracts');
    expect(words(contractList)).toContain('**Contracts** (1)');
    expect(words(contractList)).toContain('**Technical support** · Oakwood ICT');
    expect(words(contractList)).toContain(
      '01/09/2027 → 31/08/2028 · notice by 01/08/2028 · auto-renews · £4,500.00 · Active',
    );

    // A monthly payment, scheduled through its dialog and marked paid from the list.
    const due = format(addDays(parseISO(today), 10), 'yyyy-MM-dd');
    const paymentForm = await openForm('payment.add');
    expect(paymentForm.title).toBe('Schedule a payment');
    const paymentSaved = await task('task/submit', {
      ...paymentForm.submit,
      payee: 'Oakwood ICT',
      providerId: provider?.id,
      amountPence: '£1,234.50',
      dueDate: due,
      recurrence: 'monthly',
      reference: 'SLA-2027',
    });
    expect(words(paymentSaved)).toContain(`**£1,234.50** to **Oakwood ICT** due ${day(due)}.`);

    const paymentList = await ask('spoc payments');
    expect(words(paymentList)).toContain('**Scheduled payments** (1)');
    expect(words(paymentList)).toContain(
      `**£1,234.50** to **Oakwood ICT** · due ${uk(due)} · Monthly · ref SLA-2027`,
    );
    const paid = actionsOf(paymentList).find((a) => verbOf(a) === 'payment.paid');
    expect(paid).toMatchObject({ type: 'Action.Execute', title: 'Mark paid' });
    const paidAnswer = await press('payment.paid', paid?.data as Record<string, unknown>);
    const next = format(addMonths(parseISO(due), 1), 'yyyy-MM-dd');
    expect(words(paidAnswer.value)).toContain(
      `**£1,234.50** to **Oakwood ICT** marked paid ${day(today)}. Next payment scheduled for ${day(next)}. — **Megan Bowen**`,
    );
    expect(words(paidAnswer.value)).toContain(`due ${uk(next)} · Monthly`);
    const rows = await db().select().from(payments).where(eq(payments.payee, 'Oakwood ICT'));
    expect(rows.map((p) => [p.dueDate, p.status]).sort()).toEqual([
      [due, 'paid'],
      [next, 'scheduled'],
    ]);

    // The diary: this month, and an entry added through its dialog (the school's one channel has no
    // name yet, so the form offers none to announce in).
    const month = format(parseISO(today), 'MMMM yyyy');
    expect(words(await ask('spoc diary'))).toContain(`**Diary for ${month}** (0)`);
    expect(words(await ask('spoc diary 2027-13'))).toContain('Usage: `spoc diary` or `spoc diary 2027-03`');
    const diaryForm = await openForm('diary.add');
    expect(input(diaryForm.form, 'date')).toMatchObject({ value: today });
    expect(input(diaryForm.form, 'announceChannel')).toBeUndefined();
    const entry = await task('task/submit', {
      ...diaryForm.submit,
      date: today,
      title: 'Engineer visit',
      kind: 'visit',
    });
    expect(words(entry)).toContain(`**Engineer visit** is in the diary for ${day(today)}.`);
    expect(
      await db().select().from(diaryEntries).where(eq(diaryEntries.title, 'Engineer visit')),
    ).toHaveLength(1);
    const diary = await ask('spoc diary');
    expect(words(diary)).toContain(`**Diary for ${month}** (1)`);
    expect(words(diary)).toContain(`**${uk(today)}** · Visit · Engineer visit`);

    // A teacher (Adele has no role) is refused the list, the form and the button.
    calls.splice(0);
    await post(channelMessage('spoc payments', '402', COLLEAGUE));
    const shown = cardOf(calls.find((c) => c.method === 'POST')) as Card & {
      refresh?: { action: { data: Record<string, unknown> } };
    };
    const own = await press('reply.show', shown.refresh?.action.data ?? {}, COLLEAGUE);
    expect(words(own.value)).toContain(FORBIDDEN['register.manage']);
    expect(words(own.value)).not.toContain('Oakwood');
    expect(await task('task/fetch', { verb: 'provider.add', value: '' }, COLLEAGUE)).toEqual({
      task: { type: 'message', value: FORBIDDEN['register.manage'] },
    });
    const scheduled = rows.find((p) => p.status === 'scheduled');
    const refused = await press('payment.cancel', { value: scheduled?.id ?? '' }, COLLEAGUE);
    expect(refused.value).toBe(FORBIDDEN['register.manage']);
    const [still] = await db()
      .select()
      .from(payments)
      .where(eq(payments.id, scheduled?.id ?? ''));
    expect(still?.status).toBe('scheduled');
  });

  it('pages a long provider list with Next and Previous', async () => {
    const { ctx } = await knownPerson();
    for (let i = 1; i <= 22; i++) {
      const added = await addProvider(ctx, {
        name: `Provider ${String(i).padStart(2, '0')}`,
        level: 'supplier',
        contactName: '',
        email: '',
        phone: '',
        chatChannel: '',
        notes: '',
      });
      expect(added.ok).toBe(true);
    }
    // Oakwood ICT from the first test, and these 22.
    const first = await ask('spoc providers');
    expect(words(first)).toContain('**Providers** (23) — page 1 of 2');
    expect(words(first)).not.toContain('Provider 22');
    const next = actionsOf(first).find((a) => verbOf(a) === 'supply.next');
    expect(next).toMatchObject({ type: 'Action.Execute', title: 'Next →' });
    const page2 = await press('supply.next', next?.data as Record<string, unknown>);
    expect(words(page2.value)).toContain('**Providers** (23) — page 2 of 2');
    expect(words(page2.value)).toContain('Provider 22');
    const previous = actionsOf(page2.value as Card).find((a) => verbOf(a) === 'supply.previous');
    const back = await press('supply.previous', previous?.data as Record<string, unknown>);
    expect(words(back.value)).toContain('**Providers** (23) — page 1 of 2');
    expect((await press('supply.next', { value: '{"kind":"nope","page":2,"query":""}' })).value).toBe(
      'This card is out of date; nothing was changed.',
    );
  });
});
