import { describe, expect, it } from 'vitest';
import { formatQuantity } from './formatValue.ts';

describe('formatQuantity', () => {
  it('uses the singular of a count unit for exactly one', () => {
    expect(formatQuantity(1, 'constraints')).toBe('1 constraint');
    expect(formatQuantity(1, 'rounds')).toBe('1 round');
    expect(formatQuantity(2, 'constraints')).toBe('2 constraints');
    expect(formatQuantity(1, 'ms')).toBe('1 ms');
    expect(formatQuantity(1, 'rounds', 0.5)).toBe('1 ± 0.5 rounds');
    expect(formatQuantity(1, 'constraints/op')).toBe('1 constraint/op');
    expect(formatQuantity(25, 'constraints/op')).toBe('25 constraints/op');
  });
});
