/** Every dialog a card button opens in Teams, by its verb. */
import type { Dialog } from './dialog';
import { resolveDialog } from './resolve';

export const DIALOGS: ReadonlyMap<string, Dialog> = new Map([resolveDialog].map((d) => [d.verb, d]));
