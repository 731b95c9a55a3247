/**
 * snarkjs closes its files only on success; closeFileHandlesAfter closes what a failed call left
 * open, so no "Closing file descriptor N on garbage collection" warning follows (issue 12 §4).
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { describe, expect, it } from 'vitest';
import { closeFileHandlesAfter } from '../src/zk/closeFileHandlesAfter.ts';

const dir = mkdtempSync(join(tmpdir(), 'opzk-file-handles-'));
const openFds = () => readdirSync('/proc/self/fd').length;

describe('closeFileHandlesAfter', () => {
  it('closes a handle that a failing call opened and never closed', async () => {
    const file = join(dir, 'a.bin');
    writeFileSync(file, 'x');
    const before = openFds();
    await expect(closeFileHandlesAfter({
      run: async () => {
        await fs.promises.open(file, 'r');
        throw new Error('failed half-way');
      },
    })).rejects.toThrow('failed half-way');
    expect(openFds()).toBe(before);
  });

  it('closes the zkey snarkjs opens before refusing its magic', async () => {
    const file = join(dir, 'not-a.zkey');
    writeFileSync(file, Buffer.alloc(64, 7));
    const before = openFds();
    await expect(closeFileHandlesAfter({ run: () => snarkjs.zKey.exportVerificationKey(file) })).rejects.toThrow(/Invalid File format/);
    expect(openFds()).toBe(before);
  });

  it('leaves handles of other calls alone and returns the result', async () => {
    const file = join(dir, 'b.bin');
    writeFileSync(file, 'y');
    const outside = await fs.promises.open(file, 'r');
    const value = await closeFileHandlesAfter({ run: async () => (await outside.read(Buffer.alloc(1), 0, 1, 0)).bytesRead });
    expect(value).toBe(1);
    expect(outside.fd).not.toBe(-1);
    await outside.close();
  });
});
