import { expect, it } from 'vitest';
import { tallyAttackClasses } from './tallyAttackClasses.ts';

it('counts each class defeated/tried with where it was tried, and flags a class not all defeated', () => {
  const result = tallyAttackClasses({
    attempts: [
      { attack: 'forged-from-vkey', where: 'native', defeated: true },
      { attack: 'trap-output', defeated: false },
      { attack: 'forged-from-vkey', where: 'on-chain', defeated: true },
      { attack: 'trap-output', defeated: true },
    ],
  });
  expect(result).toMatchObject({ tried: 4, defeated: 3 });
  expect(result.classes).toEqual([
    { attack: 'forged-from-vkey', tried: 2, defeated: 2, where: ['native', 'on-chain'] },
    { attack: 'trap-output', tried: 2, defeated: 1, where: [] },
  ]);
  expect(result.text).toBe('forged-from-vkey 2/2 (native, on-chain), trap-output 1/2 (NOT all defeated)');
});
