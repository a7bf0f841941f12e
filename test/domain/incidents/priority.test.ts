import { describe, expect, it } from 'vitest';
import { type Impact, type Priority, priorityOf, type Urgency } from '../../../src/domain/incidents/priority';

// The FITS matrix, row by row.
const TABLE: Array<[Impact, Urgency, Priority]> = [
  ['whole_school', 'lesson_stopped', 'P1'],
  ['whole_school', 'today', 'P1'],
  ['whole_school', 'this_week', 'P2'],
  ['whole_school', 'no_deadline', 'P3'],
  ['department', 'lesson_stopped', 'P1'],
  ['department', 'today', 'P2'],
  ['department', 'this_week', 'P3'],
  ['department', 'no_deadline', 'P3'],
  ['room', 'lesson_stopped', 'P2'],
  ['room', 'today', 'P2'],
  ['room', 'this_week', 'P3'],
  ['room', 'no_deadline', 'P4'],
  ['person', 'lesson_stopped', 'P3'],
  ['person', 'today', 'P3'],
  ['person', 'this_week', 'P4'],
  ['person', 'no_deadline', 'P4'],
];

describe('priorityOf', () => {
  it.each(TABLE)('%s × %s → %s', (impact, urgency, expected) => {
    expect(priorityOf(impact, urgency)).toBe(expected);
  });
});
