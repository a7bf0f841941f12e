import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, REGISTER_BLOCK as B, CALLBACK } from '../../../src/bot/slack/ids';
import { fixedClock } from '../../../src/domain/clock';
import { addProvider } from '../../../src/domain/registers/providers';
import { identifySlackUser } from '../../../src/domain/schools/identify';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { T0 } from '../../support/factories';
import {
  assertAllCallsMade,
  expectApi,
  expectResponseUrl,
  type SlackTestApp,
  slackSchool,
  startSlackTestApp,
  textOf,
} from '../../support/slack-app';
import {
  blockAction,
  responsePath,
  slashCommand,
  viewSubmission,
  type Who,
} from '../../support/slack-payloads';
import { until } from '../../support/wait';

// T0 is Monday 30 November 2026: "today" in every list below.
let tdb: TestDatabase;
let app: SlackTestApp;
beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await startSlackTestApp(tdb, fixedClock(T0));
});
afterAll(async () => {
  await app?.stop();
  await tdb?.destroy();
});
afterEach(assertAllCallsMade);

async function school() {
  return slackSchool(app);
}

type Block = {
  type: string;
  block_id?: string;
  text?: { text: string };
  accessory?: { action_id: string; value?: string };
  elements?: Array<{ action_id: string; value?: string }>;
  element?: {
    options?: Array<{ value: string; text: { text: string } }>;
    initial_option?: { value: string };
    initial_date?: string;
  };
};

async function spoc(who: Who, text: string): Promise<{ text: string; blocks: Block[] }> {
  const res = await app.send(slashCommand(who, '/spoc', text));
  return res.json() as { text: string; blocks: Block[] };
}

/** Presses a button whose answer is a form, and returns the view Slack was asked to open. */
async function openForm(who: Who, actionId: string, value = '') {
  const open = expectApi('views.open', { ok: true });
  await app.send(blockAction(who, actionId, value));
  return (await until(() => open.calls[0], 'form')).view as { private_metadata: string; blocks: Block[] };
}

/** Presses a button whose answer goes to the response_url, and returns that answer. */
async function press(who: Who, actionId: string, value = '') {
  const said = expectResponseUrl(responsePath(who.teamId));
  await app.send(blockAction(who, actionId, value));
  return until(() => said.calls[0], `answer to ${actionId}`) as Promise<{
    replace_original?: boolean;
    text: string;
    blocks?: Block[];
  }>;
}

async function submit(
  who: Who,
  callbackId: string,
  form: { private_metadata: string },
  values: Parameters<typeof viewSubmission>[2],
) {
  const res = await app.send(
    viewSubmission(who, callbackId, values, { privateMetadata: form.private_metadata }),
  );
  return res.json() as { response_action: string; errors?: Record<string, string>; view?: unknown };
}

function optionValue(view: { blocks: Block[] }, blockId: string, label: string): string {
  const found = view.blocks
    .find((b) => b.block_id === blockId)
    ?.element?.options?.find((o) => o.text.text === label);
  if (!found) throw new Error(`no option ${label} in ${blockId}`);
  return found.value;
}

/** The value of the button `actionId` on the row whose text contains `row`. */
function buttonOn(blocks: Block[], actionId: string, row: string): string {
  const at = blocks.findIndex((b) => b.text?.text.includes(row));
  const candidates = [blocks[at]?.accessory, ...(blocks[at + 1]?.elements ?? [])];
  const found = candidates.find((e) => e?.action_id === actionId);
  if (!found?.value) throw new Error(`no ${actionId} on ${row}`);
  return found.value;
}

const provider = {
  [B.name]: 'Oakwood <ICT> & Co',
  [B.level]: { option: 'second' },
  [B.contactName]: 'Jo Bloggs',
  [B.email]: 'jo@oakwood',
  [B.phone]: '01632 960123',
};

describe('providers and contracts in Slack', () => {
  it('adds a provider and contracts through the forms, with errors beside the field', async () => {
    const s = await school();
    expect((await press(s.office, ACTION.contractAdd)).text).toContain('Add a provider first');

    const form = await openForm(s.office, ACTION.providerAdd);
    expect(await submit(s.office, CALLBACK.providerModal, form, provider)).toEqual({
      response_action: 'errors',
      errors: { [B.email]: 'That is not an email address.' },
    });
    const saved = await submit(s.office, CALLBACK.providerModal, form, {
      ...provider,
      [B.email]: 'jo@oakwood.example',
    });
    expect(saved.response_action).toBe('update');
    expect(textOf(saved.view)).toContain('Provider *Oakwood &lt;ICT&gt; &amp; Co* saved.');

    const providers = await spoc(s.tech, 'providers');
    expect(textOf(providers)).toContain('*Oakwood &lt;ICT&gt; &amp; Co* · Second-level support');
    expect(textOf(providers)).toContain('Jo Bloggs · jo@oakwood.example · 01632 960123');
    expect(textOf(providers)).not.toContain(ACTION.providerEdit); // technicians look, office edits

    const contractForm = await openForm(s.office, ACTION.contractAdd);
    const oakwood = optionValue(contractForm, B.providerId, 'Oakwood <ICT> & Co');
    const contract = {
      [B.providerId]: { option: oakwood },
      [B.title]: 'Broadband',
      [B.endDate]: { option: '2027-08-31' },
      [B.noticeDays]: '90',
      [B.valuePence]: 'lots',
    };
    expect(await submit(s.office, CALLBACK.contractModal, contractForm, contract)).toEqual({
      response_action: 'errors',
      errors: { [B.valuePence]: '"lots" is not an amount of money' },
    });
    await submit(s.office, CALLBACK.contractModal, contractForm, { ...contract, [B.valuePence]: '' });
    const support = await submit(s.office, CALLBACK.contractModal, contractForm, {
      ...contract,
      [B.title]: 'Technical support',
      [B.service]: 'Second-line',
      [B.startDate]: { option: '2026-02-01' },
      [B.endDate]: { option: '2027-01-31' },
      [B.noticeDays]: '30',
      [B.autoRenews]: { checked: ['yes'] },
      [B.valuePence]: '£4,500',
    });
    expect(textOf(support.view)).toContain('Notice must be given by Fri 1 Jan 2027.');

    const list = (await spoc(s.tech, 'contracts')).blocks;
    const rows = list.map((b) => b.text?.text ?? '').filter((t) => t.includes('Oakwood'));
    expect(rows).toEqual([
      '*Technical support* · Oakwood &lt;ICT&gt; &amp; Co · Second-line\n' +
        '01/02/2026 → 31/01/2027 · :warning: notice by 01/01/2027 · auto-renews · £4,500.00 · Active',
      '*Broadband* · Oakwood &lt;ICT&gt; &amp; Co\n— → 31/08/2027 · notice by 02/06/2027 · — · Active',
    ]);
    expect(textOf(list)).not.toContain(ACTION.contractEdit);
  });

  it('edits a provider and a contract from the lists', async () => {
    const s = await school();
    const form = await openForm(s.office, ACTION.providerAdd);
    await submit(s.office, CALLBACK.providerModal, form, { ...provider, [B.email]: '' });
    const id = buttonOn((await spoc(s.office, 'providers')).blocks, ACTION.providerEdit, 'Oakwood');
    const edit = await openForm(s.office, ACTION.providerEdit, id);
    expect(edit.blocks.find((b) => b.block_id === B.level)?.element?.initial_option?.value).toBe('second');
    await submit(s.office, CALLBACK.providerModal, edit, {
      ...provider,
      [B.name]: 'Oakwood ICT',
      [B.email]: '',
    });
    expect(textOf(await spoc(s.office, 'providers'))).toContain('*Oakwood ICT* · Second-level support');

    const add = await openForm(s.office, ACTION.contractAdd);
    const values = {
      [B.providerId]: { option: optionValue(add, B.providerId, 'Oakwood ICT') },
      [B.title]: 'Support',
      [B.endDate]: { option: '2027-08-31' },
      [B.noticeDays]: '0',
    };
    await submit(s.office, CALLBACK.contractModal, add, values);
    const contractId = buttonOn((await spoc(s.office, 'contracts')).blocks, ACTION.contractEdit, 'Support');
    const change = await openForm(s.office, ACTION.contractEdit, contractId);
    const done = await submit(s.office, CALLBACK.contractModal, change, {
      ...values,
      [B.valuePence]: '1234.5',
    });
    expect(done.response_action).toBe('update');
    expect(textOf(await spoc(s.office, 'contracts'))).toContain('£1,234.50 · Active');
  });

  it('pages a long provider list, within Slack’s 50 blocks', async () => {
    const s = await school();
    const ctx = await identifySlackUser(tdb.db, fixedClock(T0), {
      teamId: s.teamId,
      userId: s.office.userId,
    });
    const office = { db: tdb.db, clock: fixedClock(T0), actor: ctx.actor };
    for (let i = 1; i <= 23; i++) {
      const name = `Provider ${String(i).padStart(2, '0')}`;
      const r = await addProvider(office, {
        name,
        level: 'supplier',
        contactName: '',
        email: '',
        phone: '',
        chatChannel: '',
        notes: '',
      });
      expect(r.ok).toBe(true);
    }
    const first = await spoc(s.office, 'providers');
    expect(first.blocks.length).toBeLessThanOrEqual(50);
    expect(textOf(first)).toContain('*Providers* (23) — page 1 of 2');
    expect(textOf(first)).not.toContain('Provider 21');
    const next = first.blocks.at(-1)?.elements?.find((e) => e.action_id === `${ACTION.supplyPage}_next`);
    const page2 = await press(s.office, next!.action_id, next!.value);
    expect(page2.replace_original).toBe(true);
    expect(textOf(page2)).toContain('*Providers* (23) — page 2 of 2');
    expect(textOf(page2)).toContain('Provider 21');
    expect(textOf(page2)).toContain(`${ACTION.supplyPage}_prev`);
  });
});

describe('payments in Slack', () => {
  async function schedule(who: Who, values: Parameters<typeof viewSubmission>[2]) {
    const form = await openForm(who, ACTION.paymentAdd);
    return submit(who, CALLBACK.paymentModal, form, {
      [B.recurrence]: { option: 'none' },
      ...values,
    });
  }

  it('schedules through the form, lists soonest first for office only, and Mark paid schedules the next', async () => {
    const s = await school();
    const bad = await schedule(s.office, {
      [B.payee]: 'Oakwood ICT',
      [B.amountPence]: '12,34.5p',
      [B.dueDate]: { option: '2026-12-01' },
    });
    expect(bad).toEqual({
      response_action: 'errors',
      errors: { [B.amountPence]: '"12,34.5p" is not an amount of money' },
    });
    const saved = await schedule(s.office, {
      [B.payee]: 'Oakwood ICT',
      [B.amountPence]: '£1,234.50',
      [B.dueDate]: { option: '2026-12-01' },
      [B.recurrence]: { option: 'monthly' },
      [B.reference]: 'SLA-2026',
    });
    expect(textOf(saved.view)).toContain('*£1,234.50* to *Oakwood ICT* due Tue 1 Dec 2026.');
    await schedule(s.office, {
      [B.payee]: 'Paper & Co',
      [B.amountPence]: '99',
      [B.dueDate]: { option: '2026-11-20' },
    });

    const list = await spoc(s.office, 'payments');
    const rows = list.blocks.map((b) => b.text?.text ?? '').filter((t) => t.includes(' to *'));
    expect(rows).toEqual([
      '*£99.00* to *Paper &amp; Co* · due 20/11/2026 :red_circle: overdue · One-off',
      '*£1,234.50* to *Oakwood ICT* · due 01/12/2026 · Monthly · ref SLA-2026',
    ]);
    expect((await spoc(s.tech, 'payments')).text).toBe(
      'Only office staff (the SPOC) can change the registers.',
    );
    expect((await press(s.tech, ACTION.paymentAdd)).text).toBe(
      'Only office staff (the SPOC) can change the registers.',
    );

    const paid = await press(
      s.office,
      ACTION.paymentPaid,
      buttonOn(list.blocks, ACTION.paymentPaid, 'Oakwood'),
    );
    expect(paid.replace_original).toBe(true);
    expect(textOf(paid)).toContain(
      '*£1,234.50* to *Oakwood ICT* marked paid Mon 30 Nov 2026. Next payment scheduled for Fri 1 Jan 2027.',
    );
    expect(textOf(paid)).toContain('*£1,234.50* to *Oakwood ICT* · due 01/01/2027 · Monthly');
    expect(textOf(paid)).not.toContain('due 01/12/2026');

    const cancelled = await press(
      s.office,
      ACTION.paymentCancel,
      buttonOn(list.blocks, ACTION.paymentCancel, 'Paper'),
    );
    expect(textOf(cancelled)).toContain('£99.00 to *Paper &amp; Co* cancelled.');
    const all = textOf(await spoc(s.office, 'payments all'));
    expect(all).toContain('*All payments* (3)');
    expect(all).toContain('due 01/12/2026 · Monthly · ref SLA-2026 · Paid 30/11/2026');
    expect(all).toContain('Cancelled');
    expect(
      (await press(s.office, ACTION.paymentPaid, buttonOn(list.blocks, ACTION.paymentPaid, 'Paper'))).text,
    ).toBe('That payment was cancelled, so it cannot be paid.');
  });
});

describe('diary in Slack', () => {
  it('adds an entry through the form and lists it by month', async () => {
    const s = await school();
    const form = await openForm(s.office, ACTION.diaryAdd);
    expect(form.blocks.find((b) => b.block_id === B.date)?.element?.initial_date).toBe('2026-11-30');
    expect(
      await submit(s.office, CALLBACK.diaryModal, form, {
        [B.date]: { option: '2026-12-03' },
        [B.title]: '',
        [B.kind]: { option: 'implementation' },
      }),
    ).toEqual({ response_action: 'errors', errors: { [B.title]: 'The title is needed.' } });
    const saved = await submit(s.office, CALLBACK.diaryModal, form, {
      [B.date]: { option: '2026-12-03' },
      [B.title]: 'Whiteboard <install>',
      [B.kind]: { option: 'implementation' },
      [B.notes]: 'Hall, after school',
    });
    expect(textOf(saved.view)).toContain('*Whiteboard &lt;install&gt;* is in the diary for Thu 3 Dec 2026.');

    const november = textOf(await spoc(s.tech, 'diary'));
    expect(november).toContain('*Diary for November 2026* (0)');
    expect(november).not.toContain(ACTION.diaryAdd);
    const december = textOf(await spoc(s.office, 'diary 2026-12'));
    expect(december).toContain('*Diary for December 2026* (1)');
    expect(december).toContain(
      '*03/12/2026* · Implementation · Whiteboard &lt;install&gt;\nHall, after school',
    );
    expect(december).toContain(ACTION.diaryAdd);
    expect(textOf(await spoc(s.office, 'diary 2026-13'))).toContain('Usage: `/spoc diary`');
    expect(textOf(await spoc(s.office, 'help'))).toContain('`/spoc payments [all]`');
  });
});
