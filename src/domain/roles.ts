/** Who may do what (DESIGN.md §1). Checked in every command, never only by hiding a button. */

export const ROLES = ['teacher', 'technician', 'office', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | 'incident.report'
  | 'incident.viewAll'
  | 'incident.claim'
  | 'incident.triage'
  | 'incident.resolve'
  | 'incident.close'
  | 'school.roles'
  | 'register.view'
  | 'register.manage'
  | 'asset.move'
  | 'licence.key';

const TECHNICIAN: readonly Permission[] = [
  'incident.report',
  'incident.viewAll',
  'incident.claim',
  'incident.resolve',
  'register.view',
  'asset.move',
];
const OFFICE: readonly Permission[] = [
  ...TECHNICIAN,
  'incident.triage',
  'incident.close',
  'register.manage',
  'licence.key',
];

const GRANTS: Record<Role, readonly Permission[]> = {
  teacher: ['incident.report'],
  technician: TECHNICIAN,
  office: OFFICE,
  admin: [...OFFICE, 'school.roles'],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export const ROLE_LABELS: Record<Role, string> = {
  teacher: 'teacher',
  technician: 'technician',
  office: 'office (SPOC)',
  admin: 'admin',
};

/** What someone without the permission is told. */
export const FORBIDDEN: Record<Permission, string> = {
  'incident.report': 'You cannot report faults here.',
  'incident.viewAll': 'Only technicians and office staff can see every incident.',
  'incident.claim': 'Only technicians and office staff can claim incidents.',
  'incident.triage': 'Only office staff (the SPOC) can triage incidents.',
  'incident.resolve': 'Only technicians and office staff can resolve incidents.',
  'incident.close': 'Only office staff (the SPOC) can close incidents.',
  'school.roles': 'Only an admin can change roles.',
  'register.view': 'Only technicians and office staff can see the registers.',
  'register.manage': 'Only office staff (the SPOC) can change the registers.',
  'asset.move': 'Only technicians and office staff can move assets.',
  'licence.key': 'Only office staff can see licence keys.',
};
