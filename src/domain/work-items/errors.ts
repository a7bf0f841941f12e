import { DomainFailure } from '../result';

export const WORK_NOT_FOUND = "I couldn't find that change or problem in your school.";

/** Thrown inside a transaction when the id names no work item of the actor's school. */
export const notFound = () => new DomainFailure({ code: 'REGISTER.NOT_FOUND', message: WORK_NOT_FOUND });
