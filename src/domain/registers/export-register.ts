/**
 * CSV exports: each register (re-importable unchanged) and the incident register (for reports).
 * Every text cell is neutralised against spreadsheet formula injection.
 */
import { stringify } from 'csv-stringify/sync';
import { listIncidentDetails } from '../../db/queries/incidents';
import { getSchool } from '../../db/queries/schools';
import type { Ctx } from '../context';
import { neutraliseCell } from '../imports/fields';
import { ALL_IMPORT_KINDS, type AnyImportKind } from '../imports/kinds';
import { toCsv } from '../imports/write-csv';
import { CATEGORY_LABELS, IMPACT_LABELS, URGENCY_LABELS } from '../incidents/priority';
import { formatReference } from '../incidents/reference';
import { STATUS_LABELS } from '../incidents/state-machine';
import { ukDateTime } from '../presenters/format';
import { fail, ok, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { schoolToday } from '../school-time';
import { registerRecords } from './import-register';

export const EXPORT_KINDS = [...ALL_IMPORT_KINDS, 'incidents'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export interface ExportFile {
  fileName: string;
  csv: string;
  rows: number;
}

const INCIDENT_HEADERS = [
  'Reference',
  'Reported',
  'Status',
  'Priority',
  'Impact',
  'Urgency',
  'Category',
  'Summary',
  'Description',
  'Location',
  'Asset tag',
  'Reported by',
  'Assigned to',
  'First response',
  'Resolved',
  'Closed',
  'Resolution',
];

export async function exportRegister(ctx: Ctx, input: { kind: ExportKind }): Promise<Result<ExportFile>> {
  const timezone = (await getSchool(ctx.db, ctx.actor.schoolId))?.timezone ?? 'Europe/London';
  // The file's name sorts by the school's own day (ISO in a name); its cells read as people read dates.
  const day = schoolToday(ctx.clock.now(), timezone);
  const at = (d: Date | null) => (d ? ukDateTime(d, timezone) : '');
  if (input.kind !== 'incidents') {
    const records = await registerRecords(ctx, input.kind as AnyImportKind);
    if (!records.ok) return records;
    const { records: rows, omit } = records.value;
    return ok({
      fileName: `spoc-${input.kind}-${day}.csv`,
      csv: toCsv(input.kind as AnyImportKind, rows, omit),
      rows: rows.length,
    });
  }
  if (!can(ctx.actor.role, 'incident.viewAll')) return fail('AUTH.FORBIDDEN', FORBIDDEN['incident.viewAll']);
  const incidents = await listIncidentDetails(ctx.db, ctx.actor.schoolId, { limit: 100_000 });
  incidents.sort((a, b) => a.number - b.number);
  const rows = incidents.map((i) =>
    [
      formatReference(i.number),
      at(i.createdAt),
      STATUS_LABELS[i.status],
      i.priority,
      IMPACT_LABELS[i.impact],
      URGENCY_LABELS[i.urgency],
      i.category ? CATEGORY_LABELS[i.category] : '',
      i.summary,
      i.description,
      i.locationName ?? '',
      i.assetTag ?? '',
      i.reporterName,
      i.assigneeName ?? '',
      at(i.firstResponseAt),
      at(i.resolvedAt),
      at(i.closedAt),
      i.resolution ?? '',
    ].map(neutraliseCell),
  );
  const csv = stringify([INCIDENT_HEADERS, ...rows], {
    bom: true,
    record_delimiter: '\r\n',
    quoted_match: /[\r\n]/,
  });
  return ok({ fileName: `spoc-incidents-${day}.csv`, csv, rows: rows.length });
}
