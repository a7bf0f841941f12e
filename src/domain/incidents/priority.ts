/** FITS-style priority = impact × urgency. */

export const IMPACTS = ['whole_school', 'department', 'room', 'person'] as const;
export type Impact = (typeof IMPACTS)[number];

export const URGENCIES = ['lesson_stopped', 'today', 'this_week', 'no_deadline'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CATEGORIES = ['hardware', 'software', 'network', 'account', 'printing', 'av', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

const MATRIX: Record<Impact, Record<Urgency, Priority>> = {
  whole_school: { lesson_stopped: 'P1', today: 'P1', this_week: 'P2', no_deadline: 'P3' },
  department: { lesson_stopped: 'P1', today: 'P2', this_week: 'P3', no_deadline: 'P3' },
  room: { lesson_stopped: 'P2', today: 'P2', this_week: 'P3', no_deadline: 'P4' },
  person: { lesson_stopped: 'P3', today: 'P3', this_week: 'P4', no_deadline: 'P4' },
};

export function priorityOf(impact: Impact, urgency: Urgency): Priority {
  return MATRIX[impact][urgency];
}

/** When neither the reporter nor the location says otherwise, a fault affects one room or class. */
export const DEFAULT_IMPACT: Impact = 'room';

export const IMPACT_LABELS: Record<Impact, string> = {
  whole_school: 'Whole school',
  department: 'A suite or department',
  room: 'One room or class',
  person: 'Just me',
};

export const URGENCY_LABELS: Record<Urgency, string> = {
  lesson_stopped: 'A lesson is stopped now',
  today: 'Needed today',
  this_week: 'This week',
  no_deadline: 'No deadline',
};

export const CATEGORY_LABELS: Record<Category, string> = {
  hardware: 'Hardware',
  software: 'Software',
  network: 'Network / Wi-Fi',
  account: 'Account / login',
  printing: 'Printing',
  av: 'AV / display',
  other: 'Other',
};
