/** The "did you mean" of a usage error: the known name closest to a misspelled flag or command. */
export interface SuggestNameParameters {
  /** What was typed, e.g. '--backnd'. */
  name: string;
  /** The names that exist, e.g. ['--backend', '--input']. */
  candidates: readonly string[];
}

/** The closest candidate, or undefined when none is close (edit distance ≤ 1/3 of the length, at least 2, or a unique prefix). */
export type SuggestNameResult = string | undefined;

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

export function suggestName({ name, candidates }: SuggestNameParameters): SuggestNameResult {
  const bare = (s: string) => s.replace(/^-+/, '').toLowerCase();
  const typed = bare(name);
  if (!typed) return undefined;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(typed, bare(candidate));
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  if (best && best.distance <= Math.max(2, Math.floor(typed.length / 3))) return best.candidate;
  const prefixed = candidates.filter((c) => bare(c).startsWith(typed));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}
