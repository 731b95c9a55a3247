/**
 * Owns measuring the contract storage a mined transaction wrote, from anvil's
 * `debug_traceTransaction` — never inferred from the Solidity source.
 *
 * Method: the default (struct-log) tracer gives every executed opcode with its stack and call
 * depth. SSTOREs are collected per call frame, with the frame's storage address (CALL/STATICCALL:
 * the callee; DELEGATECALL/CALLCODE: the caller's; CREATE/CREATE2: the address the create
 * returns); a frame that fails (its CALL/CREATE pushes 0) has its writes discarded, as the EVM
 * does, and a reverted transaction writes nothing. The value each written slot held before the
 * transaction comes from the `prestateTracer` of the same transaction (exact even when several
 * transactions share a block).
 *
 * Definitions (per distinct (contract, slot) pair, comparing before-tx and after-tx values):
 * - zero→nonzero: a slot newly written (the expensive 22,100-gas SSTORE kind);
 * - nonzero→nonzero: an existing slot changed to another nonzero value;
 * - nonzero→zero: a slot cleared; unchanged: written but ends with the value it started with;
 * - storageBytesWritten = 32 × zero→nonzero slots: the new state the chain must keep.
 * - storageBytesModified = 32 × (zero→nonzero + nonzero→nonzero).
 *
 * `source: 'prestateDiff'` reads the same before/after values from the prestateTracer's diff mode
 * alone, without struct logs (whose JSON grows ~500 bytes per executed opcode: ~5 MB for a 300k-gas
 * PLONK verification). It gives the same slot counts and bytes — the tests check both agree — but
 * cannot see SSTOREs that leave a slot as it was, so `sstoreCount` and `slotsUnchanged` are absent.
 */
import type { Address, Hex, PublicClient } from 'viem';
import { ToolError } from '../errors.ts';

export interface MeasureStorageParameters {
  publicClient: PublicClient;
  txHash: Hex;
  /** 'structLogs' (default: every SSTORE, per frame) or 'prestateDiff' (cheaper for long transactions). */
  source?: 'structLogs' | 'prestateDiff';
}

export interface StorageSlotChange {
  address: Address;
  /** Slot key as 0x-hex (minimal). */
  slot: Hex;
  /** Value before the transaction. */
  before: bigint;
  /** Value after the transaction. */
  after: bigint;
}

export interface MeasureStorageResult {
  /** SSTORE opcodes executed in frames that were not rolled back (structLogs only). */
  sstoreCount?: number;
  /** Distinct (contract, slot) pairs those SSTOREs wrote. */
  slotsWritten: number;
  slotsZeroToNonzero: number;
  slotsNonzeroToNonzero: number;
  slotsNonzeroToZero: number;
  /** Slots written that end with the value they started with (structLogs only). */
  slotsUnchanged?: number;
  /** 32 bytes × slots newly written (zero→nonzero). */
  storageBytesWritten: number;
  /** 32 bytes × slots whose value changed to nonzero (zero→nonzero + nonzero→nonzero). */
  storageBytesModified: number;
  /** Every written slot with its before and after value. */
  slots: StorageSlotChange[];
}

interface StructLog {
  op: string;
  depth: number;
  stack?: string[];
  error?: string;
}

interface Frame {
  /** Storage address; undefined for a CREATE frame until the create returns. */
  address?: Address;
  writes: { frame: Frame; slot: bigint; value: bigint }[];
  /** The opcode that opened this frame (for the return handling). */
  openedBy: string;
}

function top(stack: string[] | undefined, fromTop: number): bigint {
  if (!stack || stack.length <= fromTop) throw new ToolError('measureStorage: struct log without the expected stack', {
    hint: 'start anvil with --steps-tracing (startAnvil does) and do not disable the stack',
  });
  return BigInt(stack[stack.length - 1 - fromTop]);
}

function toAddress(value: bigint): Address {
  return `0x${value.toString(16).padStart(40, '0')}` as Address;
}

export async function measureStorage(parameters: MeasureStorageParameters): Promise<MeasureStorageResult> {
  const { publicClient, txHash, source = 'structLogs' } = parameters;
  const receipt = await publicClient.getTransactionReceipt({ hash: txHash });
  const counted = source === 'structLogs' ? 0 : undefined;
  const empty: MeasureStorageResult = {
    sstoreCount: counted, slotsWritten: 0, slotsZeroToNonzero: 0, slotsNonzeroToNonzero: 0, slotsNonzeroToZero: 0,
    slotsUnchanged: counted, storageBytesWritten: 0, storageBytesModified: 0, slots: [],
  };
  if (receipt.status !== 'success') return empty;
  const rootAddress = (receipt.to ?? receipt.contractAddress) as Address | null;
  if (!rootAddress) return empty;
  if (source === 'prestateDiff') return measureFromPrestateDiff(publicClient, txHash, empty);

  let trace: { structLogs: StructLog[]; failed: boolean };
  let prestate: Record<string, { storage?: Record<string, string> }>;
  try {
    trace = (await publicClient.request({
      method: 'debug_traceTransaction' as never,
      params: [txHash, { disableStorage: true, enableMemory: false, disableStack: false, enableReturnData: false }] as never,
    })) as typeof trace;
    prestate = (await publicClient.request({
      method: 'debug_traceTransaction' as never,
      params: [txHash, { tracer: 'prestateTracer' }] as never,
    })) as typeof prestate;
  } catch (error) {
    throw new ToolError(`measureStorage: debug_traceTransaction failed for ${txHash}`, {
      hint: 'the node must support debug_traceTransaction with struct logs and the prestateTracer (anvil does)',
      cause: error,
    });
  }
  if (trace.failed) return empty;

  const root: Frame = { address: rootAddress.toLowerCase() as Address, writes: [], openedBy: receipt.to ? 'CALL' : 'CREATE' };
  const frames: Frame[] = [root];
  let sstoreCount = 0;
  const logs = trace.structLogs;
  for (let index = 0; index < logs.length; index++) {
    const log = logs[index];
    // Returned from one or more frames: the op now executing sits just after the CALL/CREATE, whose result is on top.
    while (log.depth < frames.length) {
      const child = frames.pop()!;
      const parent = frames[frames.length - 1];
      const result = top(log.stack, 0);
      if (result !== 0n) {
        if (child.openedBy === 'CREATE' || child.openedBy === 'CREATE2') child.address = toAddress(result);
        parent.writes.push(...child.writes);
      }
    }
    if (log.depth > frames.length) {
      const opener = logs[index - 1];
      const current = frames[frames.length - 1];
      let address: Address | undefined;
      if (opener.op === 'CALL' || opener.op === 'STATICCALL') address = toAddress(top(opener.stack, 1));
      else if (opener.op === 'DELEGATECALL' || opener.op === 'CALLCODE') address = current.address;
      frames.push({ address, writes: [], openedBy: opener.op });
    }
    if (log.op === 'SSTORE') {
      const frame = frames[frames.length - 1];
      frame.writes.push({ frame, slot: top(log.stack, 0), value: top(log.stack, 1) });
    }
  }
  // Committed writes, in execution order; the last write to a slot is its final value.
  const finalValues = new Map<string, { address: Address; slot: bigint; value: bigint }>();
  for (const write of root.writes) {
    sstoreCount++;
    const address = (write.frame.address ?? rootAddress).toLowerCase() as Address;
    finalValues.set(`${address}:${write.slot}`, { address, slot: write.slot, value: write.value });
  }
  const preStorage = new Map<string, bigint>();
  for (const [address, account] of Object.entries(prestate))
    for (const [slot, value] of Object.entries(account.storage ?? {}))
      preStorage.set(`${address.toLowerCase()}:${BigInt(slot)}`, BigInt(value));

  const changes = [...finalValues.entries()].map(([key, { address, slot, value }]) => ({
    address, slot: `0x${slot.toString(16)}` as Hex, before: preStorage.get(key) ?? 0n, after: value,
  }));
  return summarize(changes, sstoreCount);
}

function summarize(changes: StorageSlotChange[], sstoreCount?: number): MeasureStorageResult {
  const result: MeasureStorageResult = {
    sstoreCount, slotsWritten: changes.length, slotsZeroToNonzero: 0, slotsNonzeroToNonzero: 0, slotsNonzeroToZero: 0,
    slotsUnchanged: sstoreCount === undefined ? undefined : 0, storageBytesWritten: 0, storageBytesModified: 0, slots: changes,
  };
  for (const { before, after } of changes) {
    if (before === after) result.slotsUnchanged = (result.slotsUnchanged ?? 0) + 1;
    else if (before === 0n) result.slotsZeroToNonzero++;
    else if (after === 0n) result.slotsNonzeroToZero++;
    else result.slotsNonzeroToNonzero++;
  }
  result.storageBytesWritten = 32 * result.slotsZeroToNonzero;
  result.storageBytesModified = 32 * (result.slotsZeroToNonzero + result.slotsNonzeroToNonzero);
  return result;
}

type AccountState = Record<string, { storage?: Record<string, string> }>;

/** Before/after values of every slot the transaction changed, from the prestateTracer's diff mode. */
async function measureFromPrestateDiff(publicClient: PublicClient, txHash: Hex, empty: MeasureStorageResult): Promise<MeasureStorageResult> {
  let diff: { pre: AccountState; post: AccountState };
  try {
    diff = (await publicClient.request({
      method: 'debug_traceTransaction' as never,
      params: [txHash, { tracer: 'prestateTracer', tracerConfig: { diffMode: true } }] as never,
    })) as typeof diff;
  } catch (error) {
    throw new ToolError(`measureStorage: debug_traceTransaction (prestateTracer, diffMode) failed for ${txHash}`, {
      hint: 'the node must support the prestateTracer with diffMode (anvil does)',
      cause: error,
    });
  }
  const values = new Map<string, StorageSlotChange>();
  const visit = (state: AccountState, side: 'before' | 'after') => {
    for (const [address, account] of Object.entries(state ?? {}))
      for (const [slot, value] of Object.entries(account.storage ?? {})) {
        const key = `${address.toLowerCase()}:${BigInt(slot)}`;
        const entry = values.get(key) ?? { address: address.toLowerCase() as Address, slot: `0x${BigInt(slot).toString(16)}` as Hex, before: 0n, after: 0n };
        entry[side] = BigInt(value);
        values.set(key, entry);
      }
  };
  visit(diff.pre, 'before');
  visit(diff.post, 'after');
  // A slot only in `pre` was cleared (diff mode leaves zeroed slots out of `post`); identical values are not changes.
  const changes = [...values.values()].filter((change) => change.before !== change.after);
  return changes.length === 0 ? empty : summarize(changes);
}
