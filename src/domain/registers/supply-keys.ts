/** Natural keys of the supply registers: what an import matches on. */
const k = (s: string) => s.trim().toLowerCase();

export const supplyKeyOf = {
  provider: (r: { name: string }) => k(r.name),
  contract: (r: { provider: string; title: string }) => `${k(r.provider)}\u001f${k(r.title)}`,
  payment: (r: { payee: string; dueDate: string; reference: string }) =>
    `${k(r.payee)}\u001f${r.dueDate}\u001f${k(r.reference)}`,
};
