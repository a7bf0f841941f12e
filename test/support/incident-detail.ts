/** One incident as the card and the notices see it, for view tests; override what a test needs. */
import type { IncidentDetail } from '../../src/db/queries/incidents';

export function incidentDetail(overrides: Partial<IncidentDetail> = {}): IncidentDetail {
  return {
    ...BASE,
    ...overrides,
  };
}

const BASE: IncidentDetail = {
  id: '0b6c3f55-5c0e-4b8e-9a1e-2f8f1f0e7a11',
  schoolId: '9d4a1c2e-1111-4222-8333-444455556666',
  number: 7,
  reporterId: 'a1a1a1a1-0000-4000-8000-000000000001',
  summary: 'Projector <in> Room 4 & no signal',
  description: 'Shows "No signal" on HDMI 1.',
  locationId: 'b2b2b2b2-0000-4000-8000-000000000002',
  assetTag: null,
  assetId: null,
  category: null,
  impact: 'room',
  urgency: 'lesson_stopped',
  priority: 'P2',
  status: 'new',
  assigneeId: null,
  supportLevel: null,
  providerId: null,
  providerRef: null,
  slaRespondMinutes: 30,
  slaResolveMinutes: 480,
  onHoldSince: null,
  holdReason: null,
  slaPausedMinutes: 0,
  resolution: null,
  submissionKey: 'V1',
  cardChannel: null,
  cardTs: null,
  createdAt: new Date('2026-11-30T09:15:00Z'),
  firstResponseAt: null,
  lastActivityAt: new Date('2026-11-30T09:15:00Z'),
  resolvedAt: null,
  closedAt: null,
  mergedIntoId: null,
  sourceChannel: null,
  sourceTs: null,
  reactedById: null,
  locationName: 'Room 4',
  reporterName: 'ms.patel',
  reporterSlackId: 'U0TEACHER1',
  assigneeName: null,
  assigneeSlackId: null,
  providerName: null,
};
