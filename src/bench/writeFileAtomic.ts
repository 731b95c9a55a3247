/**
 * Atomic file writes for result files: the content goes to a temporary file in the same
 * directory, is flushed, then renamed over the target. A run that fails midway leaves either the
 * old file or the new one, never half of one.
 */
import { mkdirSync, openSync, writeSync, fsyncSync, closeSync, renameSync, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

export interface WriteFileAtomicParameters {
  file: string;
  content: string | Uint8Array;
  /** Test hook: called after part of the content is written, before the rename (simulates a crash). */
  onPartialWrite?: () => void;
}

export interface WriteFileAtomicResult {
  file: string;
  bytes: number;
}

export function writeFileAtomic({ file, content, onPartialWrite }: WriteFileAtomicParameters): WriteFileAtomicResult {
  mkdirSync(dirname(file), { recursive: true });
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(temporary, 'w');
  try {
    const half = Math.floor(data.length / 2);
    writeSync(fd, data, 0, half);
    onPartialWrite?.();
    writeSync(fd, data, half, data.length - half);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, file);
  return { file, bytes: data.length };
}
