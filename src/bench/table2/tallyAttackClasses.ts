/**
 * Owns counting the Security row's attacks by class, from whatever the data holds: each opML cheat
 * strategy played and each zkML tampering tried (natively and on-chain) becomes "class
 * defeated/tried". Nothing here knows the class names, so a new cheat or tampering class shows up
 * in the table as soon as a measurement carries it.
 */

export interface TallyAttackClassesParameters {
  /** One entry per attempt: its class, where it was tried (optional) and whether it was defeated. */
  attempts: Array<{ attack: string; where?: string; defeated: boolean }>;
}

export interface AttackClassTally {
  attack: string;
  tried: number;
  defeated: number;
  /** The places it was tried, in first-seen order (e.g. native, on-chain). */
  where: string[];
}

export interface TallyAttackClassesResult {
  classes: AttackClassTally[];
  tried: number;
  defeated: number;
  /** "output 1/1, step 1/1 (native, on-chain), …": each class, defeated/tried, where. */
  text: string;
}

export function tallyAttackClasses({ attempts }: TallyAttackClassesParameters): TallyAttackClassesResult {
  const byClass = new Map<string, AttackClassTally>();
  for (const { attack, where, defeated } of attempts) {
    const entry = byClass.get(attack) ?? { attack, tried: 0, defeated: 0, where: [] };
    entry.tried++;
    if (defeated) entry.defeated++;
    if (where !== undefined && !entry.where.includes(where)) entry.where.push(where);
    byClass.set(attack, entry);
  }
  const classes = [...byClass.values()];
  const text = classes
    .map((c) => `${c.attack} ${c.defeated}/${c.tried}${c.defeated < c.tried ? ' (NOT all defeated)' : ''}${c.where.length ? ` (${c.where.join(', ')})` : ''}`)
    .join(', ');
  return { classes, tried: attempts.length, defeated: attempts.filter((a) => a.defeated).length, text };
}
