/**
 * The incident forms say the same on both platforms: every word the Teams dialogs take from
 * `presenters/incident-forms.ts` (titles, labels, hints, placeholders, small print, submit buttons)
 * is what Slack's modal for the same form shows.
 */
import { describe, expect, it } from 'vitest';
import { commentModalView } from '../../../src/bot/slack/views/comment-modal.view';
import {
  closeModalView,
  escalateModalView,
  forwardModalView,
  handBackModalView,
  holdModalView,
  noteModalView,
  providerUpdateModalView,
  triageModalView,
} from '../../../src/bot/slack/views/incident-modals.view';
import {
  CLOSE_FORM,
  COMMENT_FORM,
  ESCALATE_FORM,
  FORWARD_FORM,
  HAND_BACK_FORM,
  HOLD_FORM,
  HOLD_REASON_LABELS,
  NOTE_FORM,
  PROVIDER_UPDATE_FORM,
  TRIAGE_FORM,
} from '../../../src/domain/presenters/incident-forms';
import { incidentDetail } from '../../support/incident-detail';

/** Every piece of text in a Slack view, as Slack shows it. */
function textsOf(view: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(view);
  return out;
}

/** The form's words (strings only; titles are checked on their own). */
const wordsOf = (form: Record<string, unknown>) =>
  Object.entries(form)
    .filter(
      ([k, v]) =>
        typeof v === 'string' &&
        ![
          'title',
          'postedTitle',
          'emailTitle',
          'done',
          'openEmail',
          'sentTitle',
          'returned',
          'someProvider',
        ].includes(k),
    )
    .map(([, v]) => v as string);

const i = incidentDetail({ number: 7, summary: 'Projector' });
const providers = [{ id: 'p-1', name: 'County ICT' }];

describe('the incident forms’ words', () => {
  it.each([
    ['triage', TRIAGE_FORM, triageModalView(i), TRIAGE_FORM.title(i)],
    ['forward', FORWARD_FORM, forwardModalView(i, providers), FORWARD_FORM.title(i)],
    ['escalate', ESCALATE_FORM, escalateModalView(i, providers), ESCALATE_FORM.title(i)],
    ['provider update', PROVIDER_UPDATE_FORM, providerUpdateModalView(i), PROVIDER_UPDATE_FORM.title],
    ['hand back', HAND_BACK_FORM, handBackModalView(i), HAND_BACK_FORM.title],
    ['hold', HOLD_FORM, holdModalView(i), HOLD_FORM.title],
    ['note', NOTE_FORM, noteModalView(i), NOTE_FORM.title(i)],
    ['comment', COMMENT_FORM, commentModalView(i), COMMENT_FORM.title(i)],
  ] as const)('%s: the same as Slack’s modal', (_name, form, view, title) => {
    const texts = textsOf(view);
    expect(view.title.text).toBe(title);
    for (const word of wordsOf(form as Record<string, unknown>)) expect(texts).toContain(word);
  });

  it('close: the note worded by whether it was resolved, as Slack words it', () => {
    const open = textsOf(closeModalView(i));
    expect(closeModalView(i).title.text).toBe(CLOSE_FORM.title(i));
    expect(open).toEqual(
      expect.arrayContaining([CLOSE_FORM.submit, CLOSE_FORM.note(false), CLOSE_FORM.noteHint]),
    );
    const resolved = textsOf(closeModalView({ ...i, status: 'resolved' }));
    expect(resolved).toContain(CLOSE_FORM.note(true));
    expect(resolved).not.toContain(CLOSE_FORM.noteHint);
  });

  it('hold: the reasons as Slack lists them', () => {
    expect(textsOf(holdModalView(i))).toEqual(expect.arrayContaining(Object.values(HOLD_REASON_LABELS)));
  });

  it('hand back: the line over the note', () => {
    const texts = textsOf(handBackModalView({ ...i, providerName: 'County ICT' })).join('\n');
    expect(texts).toContain(`*County ICT*${HAND_BACK_FORM.returned}`);
    expect(textsOf(handBackModalView(i)).join('\n')).toContain(
      `${HAND_BACK_FORM.someProvider}${HAND_BACK_FORM.returned}`,
    );
  });
});
