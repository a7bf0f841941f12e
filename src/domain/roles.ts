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
  | 'school.roles';

const GRANTS: Record<Role, readonly Permission[]> = {
  teacher: ['incident.report'],
  technician: ['incident.report', 'incident.viewAll', 'incident.claim', 'incident.resolve'],
  office: [
    'incident.report',
    'incident.viewAll',
    'incident.claim',
    'incident.triage',
    'incident.resolve',
    'incident.close',
  ],
  admin: [
    'incident.report',
    'incident.viewAll',
    'incident.claim',
    'incident.triage',
    'incident.resolve',
    'incident.close',
    'school.roles',
  ],
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
