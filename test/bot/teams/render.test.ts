/** The Teams renderer: presentations as Adaptive Cards 1.5, the neutral markup as Teams markdown. */
import { describe, expect, it } from 'vitest';
import { CARD_VERSION, renderCard, renderText, teamsDate } from '../../../src/bot/teams/render/adaptive-card';
import { presentationFor } from '../../../src/domain/presenters/for-viewer';
import { presentIncidentCard } from '../../../src/domain/presenters/incident-card';
import { presentNotice } from '../../../src/domain/presenters/notices';
import { typed } from '../../../src/domain/presenters/presentation';
import { presentReminder } from '../../../src/domain/presenters/reminder';
import type { Role } from '../../../src/domain/roles';
import { incidentDetail } from '../../support/incident-detail';

type Action = { type: string; verb?: string; data?: unknown; title?: string; mode?: string };

describe('renderCard', () => {
  it('offers a technician Claim as Action.Execute and Resolve as a dialog, with the neutral verbs', () => {
    const i = incidentDetail();
    const card = renderCard(presentIncidentCard(i), { timezone: 'Europe/London' });
    expect(card.version).toBe(CARD_VERSION);
    expect(CARD_VERSION).toBe('1.5');
    const actions = (card.actions ?? []) as Action[];
    const claim = actions.find((a) => a.title === 'Claim');
    const resolve = actions.find((a) => a.title === 'Resolve');
    expect(claim).toMatchObject({
      type: 'Action.Execute',
      verb: 'incident.claim',
      data: { value: i.id },
      associatedInputs: 'none',
      style: 'positive',
      fallback: { type: 'Action.Submit', data: { verb: 'incident.claim', value: i.id } },
    });
    // A Universal Action cannot open a dialog: Resolve asks Teams for one (task/fetch).
    expect(resolve).toMatchObject({
      type: 'Action.Submit',
      data: { msteams: { type: 'task/fetch' }, verb: 'incident.resolve', value: i.id },
    });
    // Every staff form is a dialog too; Claim alone acts at once.
    const submits = actions.filter((a) => a.type === 'Action.Submit');
    expect(submits.map((a) => (a.data as { verb?: string }).verb).sort()).toEqual(
      actions
        .map((a) => a.verb ?? (a.data as { verb?: string }).verb)
        .filter((v) => v !== 'incident.claim')
        .sort(),
    );
    for (const a of submits) expect(a.data).toMatchObject({ msteams: { type: 'task/fetch' }, value: i.id });
    // Secondary actions go to the card's overflow.
    expect(actions.find((a) => (a.data as { verb?: string }).verb === 'incident.close')?.mode).toBe(
      'secondary',
    );
    // Every text block wraps; the fields are a FactSet.
    for (const el of card.body.filter((e) => e.type === 'TextBlock')) expect(el.wrap).toBe(true);
    const facts = card.body.find((e) => e.type === 'FactSet') as {
      facts: Array<{ title: string; value: string }>;
    };
    expect(facts.facts.map((f) => f.title)).toEqual([
      'Status',
      'Priority',
      'Location',
      'Reported by',
      'Assignee',
      'Category',
    ]);
    // The reporter is named in bold; typed text in the heading is escaped.
    expect(facts.facts.find((f) => f.title === 'Reported by')?.value).toBe('**ms.patel**');
    expect(card.body[0]?.text).toBe('🟠 **INC-7** · Projector \\<in\\> Room 4 & no signal');
    expect(card.fallbackText).toContain('Projector <in> Room 4');
  });

  it('shows no Claim once the incident is in progress with its assignee', () => {
    const card = renderCard(
      presentIncidentCard(
        incidentDetail({ status: 'in_progress', assigneeId: 'p-1', assigneeName: 'Sam Tech' }),
      ),
    );
    const verbs = ((card.actions ?? []) as Action[]).map((a) => a.verb ?? (a.data as { verb?: string }).verb);
    expect(verbs).not.toContain('incident.claim');
    expect(verbs).toContain('incident.resolve');
  });

  it('asks Teams to refresh the card on view when told whom for', () => {
    const card = renderCard(presentIncidentCard(incidentDetail()), {
      refresh: { data: { value: 'i-1' }, userIds: ['29:a'] },
    });
    expect(card.refresh).toEqual({
      action: { type: 'Action.Execute', verb: 'refresh', data: { value: 'i-1' } },
      userIds: ['29:a'],
    });
    // Teams takes at most 60 readers; with none named it refreshes for a small channel's members.
    const many = Array.from({ length: 61 }, (_, n) => `29:${n}`);
    const capped = renderCard(presentIncidentCard(incidentDetail()), {
      refresh: { data: { value: 'i-1' }, userIds: many },
    });
    expect(capped.refresh?.userIds).toEqual(many.slice(0, 60));
    const none = renderCard(presentIncidentCard(incidentDetail()), {
      refresh: { data: { value: 'i-1' }, userIds: [] },
    });
    expect(none.refresh).not.toHaveProperty('userIds');
  });

  it("renders a reader's own card with only their role's actions, and a teacher's with none", () => {
    const p = presentIncidentCard(incidentDetail());
    const verbsFor = (role: Role) =>
      ((renderCard(presentationFor(p, role)).actions ?? []) as Action[]).map(
        (a) => a.verb ?? (a.data as { verb?: string }).verb,
      );
    expect(renderCard(presentationFor(p, 'teacher'))).not.toHaveProperty('actions');
    expect(verbsFor('technician')).toContain('incident.claim');
    expect(verbsFor('technician')).not.toContain('incident.triage');
    expect(verbsFor('office')).toEqual(p.actions.map((a) => a.id));
  });

  it("gives a reminder's buttons their reminder verbs, and a notice its Fixed / Still broken", () => {
    const reminder = renderCard(
      presentReminder({
        kind: 'payment.overdue',
        key: 'payment:pay-1:overdue',
        paymentId: 'pay-1',
        payee: 'Acme <IT> & Co',
        amountPence: 123450,
        dueDate: '2026-11-27',
        reference: '',
        days: -3,
      }),
    );
    expect(((reminder.actions ?? []) as Action[]).map((a) => [a.verb, a.data])).toEqual([
      ['reminder.paid', { value: 'pay-1' }],
      ['reminder.snooze', { value: expect.any(String) }],
    ]);
    const notice = renderCard(
      presentNotice('resolved', incidentDetail({ status: 'resolved', resolution: 'New *HDMI* cable' })),
    );
    expect(((notice.actions ?? []) as Action[]).map((a) => a.verb)).toEqual([
      'reporter.fixed',
      'reporter.stillBroken',
    ]);
    expect(notice.body[0]?.text).toContain('> New \\*HDMI\\* cable');
    // The reporter's comment opens a dialog.
    const claimed = renderCard(presentNotice('claimed', incidentDetail({ status: 'in_progress' })));
    expect(claimed.actions).toEqual([
      expect.objectContaining({
        type: 'Action.Submit',
        data: expect.objectContaining({ msteams: { type: 'task/fetch' }, verb: 'reporter.comment' }),
      }),
    ]);
  });
});

describe('an alert list', () => {
  it('is shown in the warning colour in Teams, each line, beside the words that say it', () => {
    const card = renderCard({
      text: ['Home'],
      sections: [
        { kind: 'lines', tone: 'alert', lines: [['⏰ SLA breached · INC-3'], ['⏰ SLA breached · INC-4']] },
        { kind: 'lines', lines: [['INC-5']] },
      ],
      actions: [],
    });
    const blocks = card.body as Array<{ text?: string; color?: string }>;
    expect(blocks.filter((b) => b.text?.includes('SLA breached')).map((b) => b.color)).toEqual([
      'Attention',
      'Attention',
    ]);
    expect(blocks.find((b) => b.text === 'INC-5')?.color).toBeUndefined();
  });
});

describe('renderText', () => {
  it('escapes a typed span and cuts it to its length', () => {
    expect(renderText([typed('**bold** [x](http://evil) _y_', 12)])).toBe('\\*\\*bold\\*\\* \\[x…');
    expect(renderText([typed('short', 12)])).toBe('short');
    expect(renderText(['- not a list\n1. nor this'])).toBe('\\- not a list\n1\\. nor this');
  });

  it('maps bold, italic, commands, links, people and emoji to Teams markdown', () => {
    expect(
      renderText([
        { bold: ['INC-1'] },
        ' ',
        { italic: ['nobody yet'] },
        ' ',
        { command: 'fault' },
        ' ',
        { link: 'https://example.org/a (b)', label: ['photo'] },
        ' ',
        { person: { name: 'Sam_T', slackUserId: 'U1' } },
        ' ',
        { emoji: ':tada:' },
        { emoji: ':unknown:' },
      ]),
    ).toBe('**INC-1** _nobody yet_ `fault` [photo](https://example.org/a%20%28b%29) **Sam\\_T** 🎉');
    expect(renderText([{ link: 'javascript:alert(1)', label: ['x'] }])).toBe('x');
  });

  it("shows dates in the school's time zone", () => {
    const at = new Date('2026-07-01T08:30:00Z');
    expect(renderText([{ date: at }], 'Europe/London')).toBe('1 Jul, 09:30');
    expect(teamsDate(at, 'Asia/Tokyo')).toBe('1 Jul, 17:30');
    const card = renderCard(presentIncidentCard(incidentDetail({ createdAt: at })), {
      timezone: 'Europe/London',
    });
    const context = card.body.at(-1) as { text: string; isSubtle: boolean };
    expect(context.isSubtle).toBe(true);
    expect(context.text).toContain('reported 1 Jul, 09:30');
  });
});

describe('emoji', () => {
  it('has a Teams symbol for every shortcode the presenters use (one left out would vanish)', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('../../../src/domain/presenters/', import.meta.url);
    const codes = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts')))
      for (const [code] of readFileSync(new URL(file, dir), 'utf8').matchAll(/(?<=')(:[a-z0-9_]+:)(?=')/g))
        codes.add(code);
    expect(codes.size).toBeGreaterThan(20);
    const missing = [...codes].filter((code) => renderText([{ emoji: code }]) === '');
    expect(missing).toEqual([]);
  });
});
