import { describe, expect, it } from 'vitest';
import { prefillFromText } from '../../../src/bot/slack/listeners/fault';
import { faultModalView } from '../../../src/bot/slack/views/fault-modal.view';
import { incidentCardView } from '../../../src/bot/slack/views/incident-card.view';
import { triageModalView } from '../../../src/bot/slack/views/incident-modals.view';
import { reporterNoticeView } from '../../../src/bot/slack/views/reporter-notice.view';
import { incidentDetail } from '../../support/incident-detail';

const incident = incidentDetail();

describe('Block Kit builders', () => {
  it('renders a new incident card', () => {
    expect(incidentCardView(incident, 'Europe/London')).toMatchSnapshot();
  });

  it('offers no Claim on an incident someone is working, and no buttons once closed', () => {
    const working = incidentCardView(
      { ...incident, status: 'in_progress', assigneeId: 'x', assigneeSlackId: 'U0TECH0001' },
      'Europe/London',
    );
    const actions = working.blocks.find((b) => b.type === 'actions');
    expect(
      actions && 'elements' in actions && actions.elements.map((e) => ('action_id' in e ? e.action_id : '')),
    ).toEqual([
      'spoc_incident_triage_open',
      'spoc_incident_forward_open',
      'spoc_incident_escalate_open',
      'spoc_incident_resolve_open',
      'spoc_incident_more',
    ]);
    const closed = incidentCardView(
      { ...incident, status: 'closed', closedAt: new Date('2026-12-01T10:00:00Z') },
      'Europe/London',
    );
    expect(closed.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('escapes Slack control characters in what people typed', () => {
    const card = JSON.stringify(incidentCardView(incident, 'Europe/London'));
    expect(card).toContain('Projector &lt;in&gt; Room 4 &amp; no signal');
  });

  it('keeps every section within Slack’s 3000 characters even when escaping grows the text', () => {
    const card = incidentCardView(
      { ...incident, description: '<&>'.repeat(1000), summary: '&'.repeat(150) },
      'Europe/London',
    );
    for (const block of card.blocks) {
      if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
    }
    const description = card.blocks[2];
    expect(description?.type === 'section' && description.text?.text).toMatch(
      /^(&lt;&amp;&gt;)+(&lt;|&amp;|&gt;)?…$/,
    );
  });

  it('decodes Slack’s escaping of typed text before prefilling the form', () => {
    expect(prefillFromText('Printer &amp; scanner &lt;Room 4&gt; down')).toEqual({
      summary: 'Printer & scanner <Room 4> down',
    });
    expect(prefillFromText('First line\nmore detail')).toEqual({
      summary: 'First line',
      description: 'First line\nmore detail',
    });
    expect(prefillFromText('   ')).toEqual({});
  });

  it('renders the fault form with the school’s locations', () => {
    expect(
      faultModalView({
        locations: [
          { id: 'loc-1', name: 'ICT suite' },
          { id: 'loc-2', name: 'Library' },
        ],
        prefill: { summary: 'Wi-Fi down' },
        metadata: { source: 'command', channelId: 'C1' },
      }),
    ).toMatchSnapshot();
  });

  it('switches to a type-ahead location select past Slack’s 100 options', () => {
    const places = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ id: `loc-${i}`, name: `Room ${i}` }));
    const elementOf = (n: number) => {
      const view = faultModalView({ locations: places(n), metadata: { source: 'command' } });
      const block = view.blocks.find((b) => b.block_id === 'locationId');
      return block && 'element' in block ? block.element : undefined;
    };
    expect(elementOf(100)).toMatchObject({ type: 'static_select', action_id: 'spoc_fault_location' });
    expect(
      elementOf(100) && 'options' in elementOf(100)!
        ? (elementOf(100) as { options: unknown[] }).options
        : [],
    ).toHaveLength(100);
    expect(elementOf(400)).toEqual({
      type: 'external_select',
      action_id: 'spoc_fault_location',
      placeholder: { type: 'plain_text', text: 'Type to search locations', emoji: true },
      min_query_length: 0,
    });
  });

  it('renders the triage form and the reporter’s notices', () => {
    expect(triageModalView(incident)).toMatchSnapshot();
    expect(
      reporterNoticeView('resolved', {
        ...incident,
        status: 'resolved',
        resolution: 'Replaced the HDMI cable',
      }),
    ).toMatchSnapshot();
  });
});
