/**
 * The local-chain adapters end to end on a real anvil: start/stop, clients, solc-js compile (and
 * its cache), deploy, send with exact gas and calldata figures, revert decoding, and storage
 * measurement from traces across CALL, DELEGATECALL, CREATE and a rolled-back subcall.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFunctionData, type Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSolidity, getCompiledContract } from '../src/chain/compileSolidity.ts';
import { createChainClients, type ChainClients } from '../src/chain/createChainClients.ts';
import { deployContract } from '../src/chain/deployContract.ts';
import { measureStorage } from '../src/chain/measureStorage.ts';
import { measureCalldata, sendTransaction } from '../src/chain/sendTransaction.ts';
import { startAnvil, type StartAnvilResult } from '../src/chain/startAnvil.ts';
import { ToolError, VerificationError } from '../src/errors.ts';

const STORE = `// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;
/// @notice Writes what it is told to; used to check storage measurement.
contract Store {
    error NotAllowed(uint256 code);
    mapping(uint256 => uint256) public values;
    function set(uint256 slot, uint256 value) external { values[slot] = value; }
    function setMany(uint256 first, uint256 count, uint256 value) external {
        for (uint256 i = 0; i < count; i++) values[first + i] = value;
    }
    function setThenRevert(uint256 slot) external { values[slot] = 7; revert NotAllowed(slot); }
}
/// @notice Exercises frames: a call, a delegatecall, a create and a rolled-back call.
contract Caller {
    uint256 public own;
    function run(Store store) external returns (address created) {
        own = 1;                                                           // this contract, zero→nonzero
        store.set(1, 5);                                                   // store, zero→nonzero
        (bool ok,) = address(store).delegatecall(abi.encodeCall(Store.set, (2, 9))); // writes THIS contract's mapping slot
        require(ok);
        try store.setThenRevert(3) {} catch {}                             // rolled back: no write
        created = address(new Store());
        Store(created).set(4, 1);                                          // the new contract, zero→nonzero
    }
}
`;

/** measureStorage from struct logs, checked against the prestateTracer diff (same slots, counts and bytes). */
async function measureBoth(clients: ChainClients, txHash: Hex) {
  const fromLogs = await measureStorage({ publicClient: clients.publicClient, txHash });
  const fromDiff = await measureStorage({ publicClient: clients.publicClient, txHash, source: 'prestateDiff' });
  const changed = (result: typeof fromLogs) => result.slots.filter((slot) => slot.before !== slot.after)
    .map((slot) => `${slot.address}:${slot.slot}:${slot.before}->${slot.after}`).sort();
  expect(changed(fromDiff)).toEqual(changed(fromLogs));
  for (const field of ['slotsZeroToNonzero', 'slotsNonzeroToNonzero', 'slotsNonzeroToZero', 'storageBytesWritten', 'storageBytesModified'] as const)
    expect(fromDiff[field]).toBe(fromLogs[field]);
  expect(fromDiff.sstoreCount).toBeUndefined();
  return fromLogs;
}

describe('chain adapters on anvil', () => {
  let anvil: StartAnvilResult;
  let clients: ChainClients;
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = mkdtempSync(join(tmpdir(), 'opzk-solc-'));
    anvil = await startAnvil();
    clients = await createChainClients({ rpcUrl: anvil.rpcUrl, accountCount: 3 });
  });
  afterAll(async () => {
    await anvil?.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('startAnvil_listens_and_createChainClients_gives_separate_funded_accounts', async () => {
    expect(anvil.rpcUrl).toBe(`http://127.0.0.1:${anvil.port}`);
    expect(clients.wallets).toHaveLength(3);
    expect(new Set(clients.addresses).size).toBe(3);
    expect(clients.chain.id).toBe(31337);
    const block = await clients.publicClient.getBlock();
    expect(block.gasLimit).toBe(1_000_000_000n);
    for (const address of clients.addresses) expect(await clients.publicClient.getBalance({ address })).toBe(10n ** 22n);
  });

  it('compileSolidity_compiles_and_caches_by_content', () => {
    const first = compileSolidity({ sources: { 'Store.sol': STORE }, cacheDir });
    expect(first.cacheHit).toBe(false);
    expect(first.solcVersion).toMatch(/^0\.8\.37/);
    expect(first.settings).toEqual({ optimizer: { enabled: true, runs: 200 }, evmVersion: 'prague', viaIR: false });
    const again = compileSolidity({ sources: { 'Store.sol': STORE }, cacheDir });
    expect(again.cacheHit).toBe(true);
    expect(again.contracts.Store.bytecode).toBe(first.contracts.Store.bytecode);
    const otherRuns = compileSolidity({ sources: { 'Store.sol': STORE }, cacheDir, optimizer: { enabled: true, runs: 1 } });
    expect(otherRuns.cacheHit).toBe(false);
    expect(otherRuns.inputHash).not.toBe(first.inputHash);
  });

  it('compileSolidity_resolves_imports_like_forge_and_keys_the_cache_on_imported_content', () => {
    // Relative imports from a file under contracts/ (unit names relative to contracts/, as forge names them).
    const registryTest = compileSolidity({ files: ['contracts/test/zk/InferenceRegistry.t.sol'], cacheDir });
    expect(registryTest.contracts.InferenceRegistryTest.sourceName).toBe('test/zk/InferenceRegistry.t.sol');
    expect(registryTest.contracts.InferenceRegistry.sourceName).toBe('src/zk/InferenceRegistry.sol');
    // A forge-style project path from an in-memory source.
    const viaProjectPath = compileSolidity({
      sources: { 'Uses.sol': 'pragma solidity ^0.8.24; import {InferenceRegistry} from "src/zk/InferenceRegistry.sol"; contract Uses {}' },
      cacheDir,
    });
    expect(viaProjectPath.contracts.InferenceRegistry.bytecode).toBe(registryTest.contracts.InferenceRegistry.bytecode);
    // Changing only an imported file changes the cache key.
    const dir = mkdtempSync(join(tmpdir(), 'opzk-sol-'));
    try {
      writeFileSync(join(dir, 'A.sol'), 'pragma solidity ^0.8.24; import {B} from "./B.sol"; contract A is B {}');
      writeFileSync(join(dir, 'B.sol'), 'pragma solidity ^0.8.24; contract B { uint256 public constant K = 1; }');
      const first = compileSolidity({ files: [join(dir, 'A.sol')], cacheDir });
      writeFileSync(join(dir, 'B.sol'), 'pragma solidity ^0.8.24; contract B { uint256 public constant K = 2; }');
      const second = compileSolidity({ files: [join(dir, 'A.sol')], cacheDir });
      expect(second.cacheHit).toBe(false);
      expect(second.inputHash).not.toBe(first.inputHash);
      expect(second.contracts.A.deployedBytecode).not.toBe(first.contracts.A.deployedBytecode);
      expect(() => compileSolidity({ sources: { 'C.sol': 'import "./Missing.sol";' }, cacheDir })).toThrowError(/import "\.\/Missing\.sol" not found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('compileSolidity_reports_solc_errors_as_ToolError', () => {
    const broken = 'pragma solidity ^0.8.0; contract Broken { function f() external { undefinedThing(); } }';
    expect(() => compileSolidity({ sources: { 'Broken.sol': broken }, cacheDir })).toThrowError(ToolError);
    try { compileSolidity({ sources: { 'Broken.sol': broken }, cacheDir }); } catch (error) {
      expect((error as ToolError).message).toContain('Undeclared identifier');
    }
  });

  it('deploy_and_send_measure_exact_gas_and_storage', async () => {
    const compiled = compileSolidity({ sources: { 'Store.sol': STORE }, cacheDir });
    const store = getCompiledContract(compiled, 'Store');
    const deployment = await deployContract({ clients, contract: store });
    expect(deployment.status).toBe('success');
    expect(deployment.deployedCodeBytes).toBe((store.deployedBytecode.length - 2) / 2);
    expect(deployment.calldataBytes).toBe((store.bytecode.length - 2) / 2);

    const set = await sendTransaction({ clients, to: deployment.address, abi: store.abi, functionName: 'set', args: [1n, 5n] });
    // 4-byte selector + two 32-byte words: 1 and 5 each have one nonzero byte.
    expect(set.calldataBytes).toBe(68);
    expect(set.calldataZeroBytes).toBe(62);
    expect(set.calldataGas).toBe(BigInt(6 * 16 + 62 * 4));
    const storage = await measureBoth(clients, set.txHash);
    expect(storage).toMatchObject({ sstoreCount: 1, slotsWritten: 1, slotsZeroToNonzero: 1, storageBytesWritten: 32 });
    // Intrinsic 21,000 + calldata 344 + a cold zero→nonzero SSTORE 22,100 + the function's own opcodes.
    expect(set.gasUsed).toBeGreaterThan(21_000n + 344n + 22_100n);

    const change = await sendTransaction({ clients, to: deployment.address, abi: store.abi, functionName: 'set', args: [1n, 6n] });
    const changed = await measureBoth(clients, change.txHash);
    expect(changed).toMatchObject({ slotsWritten: 1, slotsZeroToNonzero: 0, slotsNonzeroToNonzero: 1, storageBytesWritten: 0, storageBytesModified: 32 });
    // The same call again is deterministic: same gas (warm/cold pattern and calldata identical).
    const change2 = await sendTransaction({ clients, to: deployment.address, abi: store.abi, functionName: 'set', args: [1n, 7n] });
    expect(change2.gasUsed).toBe(change.gasUsed);

    const many = await sendTransaction({ clients, to: deployment.address, abi: store.abi, functionName: 'setMany', args: [100n, 5n, 3n] });
    expect(await measureBoth(clients, many.txHash)).toMatchObject({
      sstoreCount: 5, slotsWritten: 5, slotsZeroToNonzero: 5, storageBytesWritten: 160,
    });
    const clear = await sendTransaction({ clients, to: deployment.address, abi: store.abi, functionName: 'set', args: [1n, 0n] });
    expect(await measureBoth(clients, clear.txHash)).toMatchObject({ slotsNonzeroToZero: 1, storageBytesWritten: 0 });
  });

  it('sendTransaction_decodes_custom_error_reverts', async () => {
    const store = getCompiledContract(compileSolidity({ sources: { 'Store.sol': STORE }, cacheDir }), 'Store');
    const { address } = await deployContract({ clients, contract: store, wallet: clients.wallets[1] });
    // Estimation path: the revert surfaces before anything is mined.
    await expect(sendTransaction({ clients, to: address, abi: store.abi, functionName: 'setThenRevert', args: [3n] }))
      .rejects.toSatisfy((error: unknown) => error instanceof VerificationError && error.details.errorName === 'NotAllowed');
    // Explicit gas: the reverting transaction is mined and measured.
    const mined = await sendTransaction({ clients, to: address, abi: store.abi, functionName: 'setThenRevert', args: [3n], gas: 200_000n, allowRevert: true });
    expect(mined.status).toBe('reverted');
    expect(mined.revertErrorName).toBe('NotAllowed');
    expect(mined.revertErrorArgs).toEqual([3n]);
    expect(await measureBoth(clients, mined.txHash)).toMatchObject({ slotsWritten: 0, storageBytesWritten: 0 });
    await expect(sendTransaction({ clients, to: address, abi: store.abi, functionName: 'setThenRevert', args: [4n], gas: 200_000n }))
      .rejects.toThrowError(/reverted with NotAllowed/);
  });

  it('measureStorage_follows_call_delegatecall_create_and_discards_rolled_back_frames', async () => {
    const compiled = compileSolidity({ sources: { 'Store.sol': STORE }, cacheDir });
    const store = await deployContract({ clients, contract: getCompiledContract(compiled, 'Store') });
    const caller = getCompiledContract(compiled, 'Caller');
    const callerDeployment = await deployContract({ clients, contract: caller });
    const run = await sendTransaction({ clients, to: callerDeployment.address, abi: caller.abi, functionName: 'run', args: [store.address], gas: 2_000_000n });
    const storage = await measureBoth(clients, run.txHash);
    // own (caller), values[1] (store), values[2] via delegatecall (caller), values[4] (new store); values[3] rolled back.
    expect(storage).toMatchObject({ sstoreCount: 4, slotsWritten: 4, slotsZeroToNonzero: 4, storageBytesWritten: 128 });
    const byAddress = new Map<string, number>();
    for (const slot of storage.slots) byAddress.set(slot.address, (byAddress.get(slot.address) ?? 0) + 1);
    expect(byAddress.get(callerDeployment.address.toLowerCase())).toBe(2);
    expect(byAddress.get(store.address.toLowerCase())).toBe(1);
    expect(byAddress.size).toBe(3);
  });

  it('measureStorage_uses_the_state_before_the_transaction_not_before_the_block', async () => {
    const compiled = compileSolidity({ sources: { 'Store.sol': STORE }, cacheDir });
    const store = getCompiledContract(compiled, 'Store');
    const { address } = await deployContract({ clients, contract: store });
    const data = (value: bigint) => encodeFunctionData({ abi: store.abi, functionName: 'set', args: [9n, value] });
    await clients.testClient!.setAutomine(false);
    try {
      const first = await clients.wallets[2].sendTransaction({ to: address, data: data(5n), gas: 100_000n });
      const second = await clients.wallets[2].sendTransaction({ to: address, data: data(6n), gas: 100_000n });
      await clients.testClient!.mine({ blocks: 1 });
      const [receiptFirst, receiptSecond] = await Promise.all([first, second].map((hash) => clients.publicClient.waitForTransactionReceipt({ hash })));
      expect(receiptSecond.blockNumber).toBe(receiptFirst.blockNumber);
      expect(await measureBoth(clients, first)).toMatchObject({ slotsZeroToNonzero: 1, storageBytesWritten: 32 });
      expect(await measureBoth(clients, second)).toMatchObject({ slotsZeroToNonzero: 0, slotsNonzeroToNonzero: 1, storageBytesWritten: 0 });
    } finally {
      await clients.testClient!.setAutomine(true);
    }
  });

  it('measureCalldata_counts_zero_and_nonzero_bytes', () => {
    expect(measureCalldata('0x00ff0001')).toEqual({ calldataBytes: 4, calldataZeroBytes: 2, calldataGas: 40n });
  });

  it('startAnvil_stop_leaves_no_process', async () => {
    const extra = await startAnvil({ accountCount: 1 });
    await extra.stop();
    await extra.stop();
    expect(() => process.kill(extra.pid, 0)).toThrow();
    // No zombie either: `pgrep anvil` must not list it.
    const listed = execFileSync('sh', ['-c', 'pgrep -x anvil || true'], { encoding: 'utf8' }).split('\n').map((line) => line.trim());
    expect(listed).not.toContain(String(extra.pid));
  });
});
