/** Who may do what. Checked in every command, never only by hiding a button. */

export const ROLES = ['teacher', 'technician', 'office', 'admin', 'authority'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The roles a school gives its own people (`/spoc role`). `authority` is given only in an
 * authority's own workspace (a school row of kind `authority`): its staff act for the member
 * schools it supports, through `src/domain/authority`, and read nothing else.
 */
export const SCHOOL_ROLES = ['teacher', 'technician', 'office', 'admin'] as const;

export type Permission =
  | 'incident.report'
  | 'incident.viewAll'
  | 'incident.claim'
  | 'incident.triage'
  | 'incident.resolve'
  | 'incident.close'
  | 'incident.escalate'
  | 'incident.hold'
  | 'incident.note'
  | 'school.roles'
  | 'school.settings'
  | 'work.view'
  | 'work.update'
  | 'work.manage'
  | 'report.view'
  /** Satisfaction per technician and the reporters' comments in the service report. */
  | 'report.byPerson'
  | 'register.view'
  | 'register.manage'
  | 'asset.move'
  | 'licence.key'
  /** The authority's view of its member schools (`spoc authority`). */
  | 'authority.view'
  /** Open a member school's incident escalated to the authority, record an update, hand it back. */
  | 'authority.act';

const TECHNICIAN: readonly Permission[] = [
  'incident.report',
  'incident.viewAll',
  'incident.claim',
  'incident.resolve',
  'incident.hold',
  'incident.note',
  'register.view',
  'asset.move',
  'work.view',
  'work.update',
];
const OFFICE: readonly Permission[] = [
  ...TECHNICIAN,
  'incident.triage',
  'incident.close',
  'incident.escalate',
  'register.manage',
  'licence.key',
  'work.manage',
  'report.view',
  'report.byPerson',
];

const GRANTS: Record<Role, readonly Permission[]> = {
  teacher: ['incident.report'],
  technician: TECHNICIAN,
  office: OFFICE,
  // In an authority's own workspace its admin sees and acts for the member schools too (the
  // permissions mean nothing in a school: `readableSchools` gives them only an authority's members).
  admin: [...OFFICE, 'school.roles', 'school.settings', 'authority.view', 'authority.act'],
  // Second-level support for the member schools; in its own workspace, like a teacher, it may
  // report a fault of its own. Nothing within any one member school's own work.
  authority: ['incident.report', 'authority.view', 'authority.act'],
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
  authority: 'authority (second-level support)',
};

/** What someone without the permission is told. */
export const FORBIDDEN: Record<Permission, string> = {
  'incident.report': 'You cannot report faults here.',
  'incident.viewAll': 'Only technicians and office staff can see every incident.',
  'incident.claim': 'Only technicians and office staff can claim incidents.',
  'incident.triage': 'Only office staff (the SPOC) can triage incidents.',
  'incident.resolve': 'Only technicians and office staff can resolve incidents.',
  'incident.close': 'Only office staff (the SPOC) can close incidents.',
  'incident.escalate': 'Only office staff (the SPOC) can escalate to a support provider.',
  'incident.hold': 'Only technicians and office staff can put incidents on hold.',
  'incident.note': 'Only technicians and office staff can add notes to incidents.',
  'school.roles': 'Only an admin can change roles.',
  'school.settings': 'Only an admin can change the school settings.',
  'work.view': 'Only technicians and office staff can see changes and problems.',
  'work.update': 'Only technicians and office staff can post progress on changes and problems.',
  'work.manage': 'Only office staff (the SPOC) can open, edit and close changes and problems.',
  'report.view': 'Only office staff and admins can see the service report.',
  'report.byPerson': 'Only office staff and admins can see satisfaction per technician.',
  'register.view': 'Only technicians and office staff can see the registers.',
  'register.manage': 'Only office staff (the SPOC) can change the registers.',
  'asset.move': 'Only technicians and office staff can move assets.',
  'licence.key': 'Only office staff can see licence keys.',
  'authority.view': "Only the authority's staff can see its schools.",
  'authority.act': "Only the authority's staff can work on incidents escalated to it.",
};
