/**
 * A presentation as one reader sees it. Every action a presenter offers says which roles the
 * command will accept (`PresentedAction.roles`); a message everyone in a channel sees shows all
 * of them (the command still checks on press), but where the platform can show each reader a card
 * of their own (Teams' refresh on view) it shows only the actions that reader's role may take, so
 * a teacher is never offered a button that can only refuse them.
 */
import type { Role } from '../roles';
import type { Presentation, PresentedAction } from './presentation';

/** The actions `role` may take: those with no roles (anyone the message reaches) or naming it. */
export function actionsFor(p: Presentation, role: Role): PresentedAction[] {
  return p.actions.filter((a) => !a.roles || a.roles.includes(role));
}

/** The presentation with only the actions `role` may take; its words are unchanged. */
export function presentationFor(p: Presentation, role: Role): Presentation {
  return { ...p, actions: actionsFor(p, role) };
}
