/**
 * snarkjs (through fastfile and @iden3/binfileutils) opens its .ptau/.r1cs/.zkey/.wtns files as
 * fs FileHandles and closes them only on its success path: a call that throws or returns -1 (a
 * ptau too small for the circuit, a file with the wrong magic, a witness for another circuit)
 * leaves them open until garbage collection, where Node prints "Closing file descriptor N on
 * garbage collection" (DEP0137; an error in a future Node). This adapter runs one snarkjs call and
 * afterwards closes every FileHandle opened within that call's async context that is still open.
 * AsyncLocalStorage keeps concurrent calls apart: only the handles of this call are closed.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

export interface CloseFileHandlesAfterParameters<T> {
  /** The third-party call (e.g. () => snarkjs.zKey.newZKey(r1cs, ptau, zkey)). */
  run: () => Promise<T>;
}

export type CloseFileHandlesAfterResult<T> = T;

const opened = new AsyncLocalStorage<Set<FileHandle>>();
let installed = false;

/** Wraps fs.promises.open once: handles opened inside a tracked call are recorded for it. */
function installTracking(): void {
  if (installed) return;
  installed = true;
  const open = fs.promises.open;
  fs.promises.open = async function trackedOpen(...args: Parameters<typeof open>): Promise<FileHandle> {
    const handle = await open(...args);
    opened.getStore()?.add(handle);
    return handle;
  } as typeof open;
}

export async function closeFileHandlesAfter<T>({ run }: CloseFileHandlesAfterParameters<T>): Promise<CloseFileHandlesAfterResult<T>> {
  installTracking();
  const handles = new Set<FileHandle>();
  try {
    return await opened.run(handles, run);
  } finally {
    // Closed handles have fd -1; a close() already under way is joined (FileHandle.close() returns the same promise).
    await Promise.all([...handles].filter((h) => h.fd !== -1).map((h) => h.close().catch(() => {})));
  }
}
