/**
 * Progress of a long run: suite, item (model/op), phase, elapsed time and an estimate of the
 * time left (elapsed / weight done × weight left), shown only once two items and a fifth of the
 * weight are done — an estimate from the first item alone (weights are rough cost guesses) said
 * "~2h17m left" seven seconds into a two-minute run. On a TTY it is one status line on stderr,
 * rewritten in place; when stderr is not a TTY or CI=true it prints plain log lines, one per
 * phase change.
 */

export interface Progress {
  /** A new work item starts (its weight counts as done when the next starts or `finish` is called). */
  startItem(item: { label: string; weight: number }): void;
  /** A new phase within the current item, e.g. `compile`, `prove groth16`. */
  phase(name: string): void;
  /** Ends the run: clears the status line. */
  finish(): void;
}

export interface CreateProgressParameters {
  suite: string;
  /** Sum of the weights of the items this process will run. */
  totalWeight: number;
  itemCount: number;
  stream?: NodeJS.WriteStream | { write(text: string): boolean; isTTY?: boolean };
  /** Defaults to stream.isTTY && CI is not "true". */
  interactive?: boolean;
  /** Milliseconds clock (tests inject one). */
  now?: () => number;
  /** Print nothing (--json runs that want a quiet stderr may still want this off). */
  silent?: boolean;
}

export type CreateProgressResult = Progress;

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

export function createProgress({
  suite, totalWeight, itemCount, stream = process.stderr,
  interactive = Boolean(stream.isTTY) && process.env.CI !== 'true',
  now = () => performance.now(), silent = false,
}: CreateProgressParameters): CreateProgressResult {
  const started = now();
  let doneWeight = 0;
  let current: { label: string; weight: number } | undefined;
  let itemNumber = 0;
  let itemsDone = 0;
  let phaseName = '';
  let timer: ReturnType<typeof setInterval> | undefined;

  const line = (): string => {
    const elapsed = now() - started;
    const enough = itemsDone >= 2 && doneWeight >= 0.2 * totalWeight;
    const left = enough && totalWeight > doneWeight ? ` ~${formatDuration((elapsed / doneWeight) * (totalWeight - doneWeight))} left` : '';
    return `[${suite}] ${itemNumber}/${itemCount} ${current?.label ?? ''}${phaseName ? `: ${phaseName}` : ''} (${formatDuration(elapsed)} elapsed${left ? ',' + left : ''})`;
  };
  const show = () => {
    if (silent) return;
    if (interactive) stream.write(`\r\x1b[K${line()}`);
    else stream.write(`${line()}\n`);
  };

  return {
    startItem(item) {
      if (current) {
        doneWeight += current.weight;
        itemsDone += 1;
      }
      current = item;
      itemNumber += 1;
      phaseName = '';
      if (interactive && !timer && !silent) {
        timer = setInterval(show, 1000);
        timer.unref();
      }
      show();
    },
    phase(name) {
      phaseName = name;
      show();
    },
    finish() {
      if (current) doneWeight += current.weight;
      if (timer) clearInterval(timer);
      timer = undefined;
      if (silent) return;
      if (interactive) stream.write('\r\x1b[K');
      stream.write(`[${suite}] done: ${itemNumber} item(s) in ${formatDuration(now() - started)}\n`);
    },
  };
}
