/**
 * The help, by role and grouped by task, and "Did you mean …?" for a slip in a command's word:
 * matched by edit distance against the commands the person may use, worded once for every platform.
 */
import { describe, expect, it } from 'vitest';
import {
  closestSubcommand,
  helpAnswer,
  SPOC_SUBCOMMANDS,
  subcommandsFor,
  unknownCommandAnswer,
} from '../../src/domain/answers/help';
import type { Ctx } from '../../src/domain/context';
import { HELP_TITLES, presentHelp } from '../../src/domain/presenters/help';
import type { Presentation, Rich } from '../../src/domain/presenters/presentation';
import { ROLES, type Role } from '../../src/domain/roles';

/** The words of rich text, a command as it is named (`spoc incidents`). */
const words = (rich: Rich): string =>
  rich
    .map((s) => {
      if (typeof s === 'string') return s;
      if ('bold' in s) return `*${words(s.bold)}*`;
      if ('command' in s) return `\`${s.command}\``;
      if ('surface' in s) return `[${s.surface}]`;
      if ('emoji' in s) return s.emoji;
      return '';
    })
    .join('');
const body = (p: Presentation) => p.sections.map((s) => ('text' in s ? words(s.text) : '')).join('\n');

/** Every command span in a presentation. */
function commandsIn(p: Presentation): string[] {
  const walk = (rich: Rich): string[] =>
    rich.flatMap((s) => {
      if (typeof s === 'string') return [];
      if ('command' in s) return [s.command];
      if ('bold' in s) return walk(s.bold);
      return [];
    });
  return p.sections.flatMap((s) => ('text' in s ? walk(s.text) : []));
}

/** The group titles a presentation shows, in order. */
const titlesIn = (p: Presentation): string[] =>
  Object.values(HELP_TITLES).filter((t) => body(p).includes(`*${t}*\n`));

const ctxAs = (role: Role): Ctx =>
  ({ actor: { role, schoolId: 's', personId: 'p', displayName: 'Sam' } }) as unknown as Ctx;

describe('the help', () => {
  it('is grouped by task, each group under its bold title; a role sees only what it can do', () => {
    expect(titlesIn(presentHelp('teacher'))).toEqual(['Report a fault']);
    expect(titlesIn(presentHelp('technician'))).toEqual([
      'Report a fault',
      'Triage',
      'Registers',
      'Money and contracts',
      'Settings',
    ]);
    expect(titlesIn(presentHelp('office'))).toEqual([
      'Report a fault',
      'Triage',
      'Registers',
      'Money and contracts',
      'Reports',
      'Settings',
    ]);
    expect(titlesIn(presentHelp('admin'))).toEqual(Object.values(HELP_TITLES));
    // An authority's staff: their own faults, and the schools they support.
    expect(titlesIn(presentHelp('authority'))).toEqual([
      'Report a fault',
      'Authority (second-level support)',
    ]);
    expect(body(presentHelp('authority'))).not.toContain('in an authority’s own workspace');
    expect(body(presentHelp('admin'))).toContain('(in an authority’s own workspace)');

    const teacher = body(presentHelp('teacher'));
    expect(teacher).toContain('Your role here: *teacher*.');
    expect(teacher).toContain('`spoc incidents [open|mine|reported|all]` — your reports');
    expect(teacher).toContain('press *Fixed* or *Still broken*');
    expect(teacher).not.toContain('Press *Claim*');
    expect(teacher).not.toContain('spoc settings');
    expect(teacher).not.toContain('spoc assets');
    expect(teacher).toContain('`spoc help` — this list');
    // Anyone may set SPOC up for the first time: said in small print under the help.
    expect(presentHelp('teacher').sections.at(-1)).toMatchObject({ kind: 'context' });
    expect(teacher).toContain('`spoc setup` — first-time setup');

    const admin = body(presentHelp('admin'));
    expect(admin).toContain('`spoc incidents [open|mine|reported|all]` — the incident queue');
    expect(admin).toContain('Press *Triage*');
    expect(admin).toContain('`spoc role @person teacher|technician|office|admin` — give someone a role');
    expect(admin).toContain('`spoc setup` — make this channel the SPOC channel');
    expect(admin).not.toContain('first-time setup');
  });

  it('keeps every command it has always named, each in its group', () => {
    const groups = presentHelp('admin').sections.map((s) => ('text' in s ? words(s.text) : ''));
    const group = (title: string) => groups.find((g) => g.startsWith(`*${title}*\n`)) ?? '';
    for (const [title, commands] of [
      ['Report a fault', ['fault [what is wrong]']],
      ['Triage', ['spoc incidents P1…P4', 'spoc incident INC-7', 'spoc changes', 'spoc change CHG-3']],
      [
        'Registers',
        ['spoc locations', 'spoc assets', 'spoc asset TAG', 'spoc licences', 'spoc export', 'spoc import'],
      ],
      ['Money and contracts', ['spoc providers', 'spoc contracts', 'spoc payments [all]', 'spoc diary']],
      ['Reports', ['spoc report week']],
      [
        'Settings',
        ['spoc settings', 'spoc settings sla P1 30m 4h', 'spoc term list', 'spoc role', 'spoc setup'],
      ],
      [
        'Authority (second-level support)',
        ['spoc authority [school]', 'spoc authority open|update|handback'],
      ],
    ] as const) {
      for (const command of commands) expect(group(title)).toContain(`\`${command}`);
    }
  });

  it('names, for each role, exactly the commands that role may be pointed to', () => {
    for (const role of ROLES) {
      const named = new Set(
        commandsIn(presentHelp(role))
          .filter((c) => c.startsWith('spoc '))
          .map((c) => c.split(' ')[1]),
      );
      expect([...named].sort(), role).toEqual(subcommandsFor(role).sort());
    }
    expect(subcommandsFor('admin')).toHaveLength(SPOC_SUBCOMMANDS.length);
  });
});

describe('did you mean', () => {
  it('takes a slip of up to two edits, under half the word, for the closest command', () => {
    expect(closestSubcommand('incidnets', 'teacher')).toBe('incidents');
    expect(closestSubcommand('INCIDNETS', 'teacher')).toBe('incidents');
    expect(closestSubcommand('incidnet', 'teacher')).toBe('incident');
    expect(closestSubcommand('asets', 'office')).toBe('assets');
    expect(closestSubcommand('payemnts', 'office')).toBe('payments');
    expect(closestSubcommand('halp', 'teacher')).toBe('help');
    // Two edits in a word of four is half of it.
    expect(closestSubcommand('hepl', 'teacher')).toBeUndefined();
    expect(closestSubcommand('rol', 'admin')).toBe('role');
  });

  it('suggests nothing far off, short, already right, or that the role may not use', () => {
    expect(closestSubcommand('frobnicate', 'admin')).toBeUndefined();
    // Three edits is too many.
    expect(closestSubcommand('incdntes', 'admin')).toBeUndefined();
    expect(closestSubcommand('ro', 'admin')).toBeUndefined();
    expect(closestSubcommand('incidents', 'admin')).toBeUndefined();
    // A teacher is never pointed to the registers or the settings.
    expect(closestSubcommand('asets', 'teacher')).toBeUndefined();
    expect(closestSubcommand('setings', 'teacher')).toBeUndefined();
    expect(closestSubcommand('setings', 'technician')).toBe('settings');
  });

  it('answers a slip with the command as a span, then the help for the role', () => {
    const slip = unknownCommandAnswer(ctxAs('teacher'), 'incidnets');
    expect(words(slip.text)).toBe('Did you mean `spoc incidents`?');
    expect(slip.sections[0]).toEqual({
      kind: 'text',
      text: [{ emoji: ':thinking_face:' }, ' ', 'Did you mean ', { command: 'spoc incidents' }, '?'],
    });
    expect(slip.sections.slice(1)).toEqual(presentHelp('teacher').sections);

    const unknown = unknownCommandAnswer(ctxAs('teacher'), 'frobnicate');
    expect(words(unknown.text)).toBe("I don't know `spoc frobnicate`.");
    expect(unknown.sections.slice(1)).toEqual(presentHelp('teacher').sections);
  });

  it('help with a slip after it says "Did you mean"; otherwise it is the help', () => {
    expect(helpAnswer(ctxAs('office'))).toEqual(presentHelp('office'));
    expect(helpAnswer(ctxAs('office'), ['frobnicate'])).toEqual(presentHelp('office'));
    expect(helpAnswer(ctxAs('office'), ['incidents'])).toEqual(presentHelp('office'));
    expect(words(helpAnswer(ctxAs('office'), ['contarcts']).text)).toBe('Did you mean `spoc contracts`?');
  });
});
