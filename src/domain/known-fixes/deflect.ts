/**
 * "That fixed it": a teacher tried a suggested fix while reporting and needs no incident. The
 * deflection is counted once per form (its Slack view id or Teams form id is the use's key), in
 * the same transaction that checks the form reported nothing; a form that already reported its
 * fault counts no deflection, and a form that was deflected reports nothing (`deflectionOfForm`).
 */
import {
  findKnownFixUse,
  getKnownFix,
  incidentOfForm,
  insertKnownFixUse,
  lockFaultForm,
} from '../../db/queries/known-fixes';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { formatReference } from '../incidents/reference';
import { DomainFailure, fail, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { inTransaction } from '../transaction';

export interface FixedItInput {
  fixId: string;
  /** The fault form it was pressed on: its Slack view id, or `teams:<form id>`. */
  formKey: string;
}

export interface FixedItOutput {
  /** The fix's title, to thank them by. */
  title: string;
  /** False when this form's deflection was already counted (a double press): nothing changed. */
  counted: boolean;
}

const GONE = 'That fix is not in your school’s list any more: carry on reporting the fault.';

/** Counts a deflection for the fix, once per form. Anyone who may report a fault. */
export async function fixedIt(ctx: Ctx, input: FixedItInput): Promise<Result<FixedItOutput>> {
  const { actor } = ctx;
  if (!can(actor.role, 'incident.report')) return fail('AUTH.FORBIDDEN', FORBIDDEN['incident.report']);
  if (!isUuid(input.fixId) || !input.formKey) return fail('REGISTER.NOT_FOUND', GONE);
  return inTransaction(ctx.db, async (tx) => {
    await lockFaultForm(tx, actor.schoolId, input.formKey);
    const counted = await findKnownFixUse(tx, actor.schoolId, input.formKey);
    if (counted) return { title: counted.title, counted: false };
    const reported = await incidentOfForm(tx, actor.schoolId, input.formKey);
    if (reported) {
      throw new DomainFailure({
        code: 'VALIDATION',
        message: `This fault is already reported as ${formatReference(reported.number)}: the ICT team has it.`,
      });
    }
    const fix = await getKnownFix(tx, actor.schoolId, input.fixId);
    if (!fix) throw new DomainFailure({ code: 'REGISTER.NOT_FOUND', message: GONE });
    await insertKnownFixUse(tx, {
      schoolId: actor.schoolId,
      fixId: fix.id,
      personId: actor.personId,
      kind: 'deflected',
      key: input.formKey,
      createdAt: ctx.clock.now(),
    });
    return { title: fix.title, counted: true };
  });
}

/**
 * Called in the transaction that reports a form's fault, before it does: the title of the fix
 * this form was already settled with ("That fixed it"), when it was, so nothing is reported. Holds
 * the form's lock to the end of the transaction.
 */
export async function deflectionOfForm(ctx: Ctx, formKey: string): Promise<string | undefined> {
  if (!formKey) return undefined;
  await lockFaultForm(ctx.db, ctx.actor.schoolId, formKey);
  const use = await findKnownFixUse(ctx.db, ctx.actor.schoolId, formKey);
  return use?.kind === 'deflected' ? use.title : undefined;
}
