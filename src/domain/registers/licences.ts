/** The licence list: titles, quantities, seats in use and compliance. Key references stay with office/admin. */
import {
  getLicence,
  insertLicence,
  type LicenceRow,
  listLicences,
  lockLicence,
  updateLicence,
} from '../../db/queries/licences';
import { getSchool } from '../../db/queries/schools';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { DomainFailure, fail, ok, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { schoolToday } from '../school-time';
import { inTransaction } from '../transaction';
import { audit } from './audit';
import { type LicenceCompliance, licenceCompliance } from './compliance';
import { keyOf, LICENCE_TYPES, type LicenceType } from './types';
import { checkCount, checkDate, checkPence, checkText, fieldsOf } from './validate';

export interface LicenceInput {
  title: string;
  publisher: string;
  type: LicenceType;
  /** Seats bought; null (unlimited) only for a site licence. */
  quantity: number | null;
  seatsInUse: number;
  startDate: string | null;
  expiryDate: string | null;
  supplier: string;
  costPence: number | null;
  keyReference: string;
  notes: string;
}

/** A licence as the caller may see it: the key reference is blanked for anyone but office/admin. */
export type LicenceView = LicenceRow & { compliance: LicenceCompliance; keyVisible: boolean };

const NOT_FOUND = "I couldn't find that licence in your school.";

function check(input: LicenceInput): Record<string, string> {
  return fieldsOf({
    title: checkText(input.title, 'The title', 200, true),
    publisher: checkText(input.publisher, 'Publisher', 100),
    type: LICENCE_TYPES.includes(input.type) ? undefined : 'Choose a licence type.',
    quantity: checkCount(input.quantity, 'Quantity', input.type !== 'site'),
    seatsInUse: checkCount(input.seatsInUse, 'Seats in use', true),
    startDate: checkDate(input.startDate, 'Start date'),
    expiryDate:
      checkDate(input.expiryDate, 'Expiry date') ??
      (input.startDate && input.expiryDate && input.expiryDate < input.startDate
        ? 'Expiry must be after the start date.'
        : undefined),
    supplier: checkText(input.supplier, 'Supplier', 100),
    costPence: checkPence(input.costPence, 'Cost'),
    keyReference: checkText(input.keyReference, 'Key reference', 500),
    notes: checkText(input.notes, 'Notes', 2000),
  });
}

const values = (input: LicenceInput) => ({
  title: input.title.trim(),
  publisher: input.publisher.trim(),
  licenceKey: keyOf.licence(input),
  type: input.type,
  quantity: input.quantity,
  seatsInUse: input.seatsInUse,
  startDate: input.startDate,
  expiryDate: input.expiryDate,
  supplier: input.supplier.trim(),
  costPence: input.costPence,
  keyReference: input.keyReference.trim(),
  notes: input.notes.trim(),
});

const duplicate = (input: LicenceInput) =>
  new DomainFailure({
    code: 'VALIDATION',
    message: 'That licence is already in the list.',
    fields: {
      title: `“${input.title.trim()}”${input.publisher.trim() ? ` by ${input.publisher.trim()}` : ''} is already in the list: edit it instead.`,
    },
  });

export async function addLicence(ctx: Ctx, input: LicenceInput): Promise<Result<LicenceRow>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  const fields = check(input);
  if (Object.keys(fields).length > 0)
    return fail('VALIDATION', 'Please check the highlighted fields.', fields);
  return inTransaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const row = await insertLicence(tx, {
      schoolId: ctx.actor.schoolId,
      ...values(input),
      createdAt: now,
      updatedAt: now,
    });
    if (!row) throw duplicate(input);
    return audit(tx, ctx, 'added', 'licence', null, row);
  });
}

export async function editLicence(
  ctx: Ctx,
  input: LicenceInput & { licenceId: string },
): Promise<Result<LicenceRow>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  if (!isUuid(input.licenceId)) return fail('REGISTER.NOT_FOUND', NOT_FOUND);
  const fields = check(input);
  if (Object.keys(fields).length > 0)
    return fail('VALIDATION', 'Please check the highlighted fields.', fields);
  return inTransaction(ctx.db, async (tx) => {
    const current = await lockLicence(tx, ctx.actor.schoolId, input.licenceId);
    if (!current) throw new DomainFailure({ code: 'REGISTER.NOT_FOUND', message: NOT_FOUND });
    const next = values(input);
    const clash = (await listLicences(tx, ctx.actor.schoolId)).some(
      (l) => l.id !== current.id && l.licenceKey === next.licenceKey,
    );
    if (clash) throw duplicate(input);
    const updated = await updateLicence(tx, ctx.actor.schoolId, current.id, {
      ...next,
      updatedAt: ctx.clock.now(),
    });
    return audit(tx, ctx, 'edited', 'licence', current, updated);
  });
}

async function todayOf(ctx: Ctx): Promise<string> {
  const school = await getSchool(ctx.db, ctx.actor.schoolId);
  return schoolToday(ctx.clock.now(), school?.timezone ?? 'Europe/London');
}

function present(ctx: Ctx, l: LicenceRow, today: string): LicenceView {
  const keyVisible = can(ctx.actor.role, 'licence.key');
  return {
    ...l,
    keyReference: keyVisible ? l.keyReference : '',
    compliance: licenceCompliance(l, today),
    keyVisible,
  };
}

/** The licence list with compliance at a glance; problems first. */
export async function listLicenceRegister(ctx: Ctx): Promise<Result<LicenceView[]>> {
  if (!can(ctx.actor.role, 'register.view')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.view']);
  const today = await todayOf(ctx);
  const rows = (await listLicences(ctx.db, ctx.actor.schoolId)).map((l) => present(ctx, l, today));
  return ok(
    rows.sort((a, b) => Number(b.compliance.flags.length > 0) - Number(a.compliance.flags.length > 0)),
  );
}

export async function getLicenceView(ctx: Ctx, input: { licenceId: string }): Promise<Result<LicenceView>> {
  if (!can(ctx.actor.role, 'register.view')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.view']);
  const row = isUuid(input.licenceId)
    ? await getLicence(ctx.db, ctx.actor.schoolId, input.licenceId)
    : undefined;
  if (!row) return fail('REGISTER.NOT_FOUND', NOT_FOUND);
  return ok(present(ctx, row, await todayOf(ctx)));
}
