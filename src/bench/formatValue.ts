/** Number formatting shared by the Markdown report, the CI summary and the verdicts. */

/** 4 significant digits, no exponent for everyday magnitudes; integers as integers. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return value.toLocaleString('en-US');
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e9)) return value.toExponential(3);
  return Number(value.toPrecision(4)).toString();
}

/** Count units that take an English plural: "1 constraint", "2 constraints" (units are stored plural). */
const COUNT_UNITS: Record<string, string> = { constraints: 'constraint', rounds: 'round', steps: 'step', bytes: 'byte', samples: 'sample', games: 'game', wires: 'wire', gates: 'gate' };

/** `value unit` or `value ± error unit`; a count unit in the singular for exactly 1. */
export function formatQuantity(value: number, unit: string, standardError?: number): string {
  const error = standardError !== undefined && standardError > 0 ? ` ± ${formatNumber(standardError)}` : '';
  const [count, per] = unit.split('/', 2) as [string, string | undefined];
  const shown = value === 1 && !error && COUNT_UNITS[count] ? `${COUNT_UNITS[count]}${per === undefined ? '' : `/${per}`}` : unit;
  return `${formatNumber(value)}${error} ${shown}`.trim();
}
