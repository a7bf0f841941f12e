/**
 * The incident forms say the same on both platforms. Slack's modals and most Teams dialogs read
 * their words from `presenters/incident-forms.ts`, so they cannot differ; what is checked here is
 * what Teams still words itself: the Resolve form's card and the heading every staff form opens
 * with. Slack's side of the same words is pinned by its own view tests and snapshots.
 */
import { describe, expect, it } from 'vitest';
import { incidentHeading, resolveFormCard, resolveTitle } from '../../../src/bot/teams/cards/resolve-form';
import { renderText } from '../../../src/bot/teams/render/adaptive-card';
import { formHeading, RESOLVE_FORM } from '../../../src/domain/presenters/incident-forms';

/** Every piece of text in a card: its text blocks, input labels and button titles. */
function textsOf(card: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const key of ['text', 'label', 'title'] as const)
        if (typeof o[key] === 'string') out.push(o[key] as string);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

const incident = { id: 'i-1', number: 7, summary: 'Projector <in> Room #4', category: null };

describe('the incident forms’ words on Teams', () => {
  it('resolve: the title, the fields, their hint and the button are the presenter’s', () => {
    expect(resolveTitle(incident)).toBe(RESOLVE_FORM.title(incident));
    const texts = textsOf(resolveFormCard({ formId: 'f-1', incident }));
    expect(texts).toEqual(
      expect.arrayContaining([
        RESOLVE_FORM.resolution,
        RESOLVE_FORM.resolutionHint,
        RESOLVE_FORM.category,
        RESOLVE_FORM.submit,
      ]),
    );
    const categorised = textsOf(
      resolveFormCard({ formId: 'f-1', incident: { ...incident, category: 'av' } }),
    );
    expect(categorised).not.toContain(RESOLVE_FORM.category);
  });

  it('every staff form opens with the presenter’s heading: the reference, then the summary', () => {
    expect(incidentHeading(incident)).toBe(renderText(formHeading(incident)));
    const long = { ...incident, summary: 'x'.repeat(300) };
    expect(incidentHeading(long)).toBe(renderText(formHeading(long)));
  });
});
