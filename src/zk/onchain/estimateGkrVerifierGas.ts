/**
 * The on-chain decision for gkr proofs (issue 10, item 6): what a Solidity verifier of one proof
 * would cost in gas, estimated from the proof's real shape (its byte length, the opened columns
 * of the Ligero-style commitment with their Merkle paths, the sumcheck rounds) and the EVM's real
 * prices. Nothing is deployed: this is an estimate, and the harness says so wherever it is shown.
 *
 * Prices (Cancun/Prague schedule):
 *   - calldata: 16 gas per non-zero byte, 4 per zero byte (EIP-2028); since Prague (EIP-7623) a
 *     data-heavy transaction pays at least 10 gas per token, a non-zero byte being 4 tokens, i.e.
 *     40 gas per non-zero byte. Proof bytes are hashes and field elements: counted as non-zero.
 *   - SHA-256 precompile (0x02): 60 + 12 per 32-byte word, plus a warm STATICCALL (100 gas,
 *     EIP-2929) — 184 gas per Merkle level (a 64-byte node).
 *   - MULMOD and ADDMOD: 8 gas each; a Goldilocks multiply-add in hand-written Yul is counted as
 *     40 gas (the two opcodes plus ~24 gas of PUSH/DUP/SWAP/MLOAD around them), an extension
 *     (F_p[x]/(x² − 7)) × base multiply-add as 2 of those (80), an extension × extension
 *     multiply as 5 MULMOD + 2 ADDMOD with their stack traffic (110).
 *   - memory: 3 gas per word + words² / 512 (the proof copied into memory once).
 * Verifier work counted, for a verifier that folds each opening's L row checks into one with a
 * random challenge β (Σ_l β^l·(Enc(u_l)[j] − ⟨c_l, column_j⟩) = 0; soundness loss L/|F_p²|):
 * the calldata and its memory; the Fiat–Shamir transcript (every proof byte hashed once, one
 * SHA-256 call per prover message); per opening, the L combined rows folded (L·k extension
 * multiply-adds) and the folded row's Reed–Solomon codeword at the t opened positions (the
 * cheaper of t direct evaluations and one NTT), the L coefficient vectors folded (L·R), per opened
 * column its leaf hash (R field elements), its Merkle path and one inner product of length R, and
 * each combined row's inner product with the point's column tensor (L·k); per sumcheck round a
 * degree-3 evaluation and a hash; the public input/output MLE evaluations.
 * Left out (so the estimate is a lower bound): loop and ABI-decoding overhead, the per-layer
 * claim bookkeeping, storing the result.
 */

/** EVM gas prices used (see the header). */
export const EVM_GAS = {
  transaction: 21_000,
  calldataNonZeroByte: 16,
  calldataFloorNonZeroByte: 40,
  sha256Base: 60,
  sha256Word: 12,
  staticCallWarm: 100,
  baseMulAdd: 40,
  extensionBaseMulAdd: 80,
  extensionMul: 110,
} as const;

/** "A few million gas": the budget issue 10 sets for building a Solidity verifier. */
export const GKR_ONCHAIN_BUDGET_GAS = 5_000_000;

export interface GkrOpeningShape {
  /** Columns opened (t), shared by every committed polynomial of the batch. */
  columnOpenings: number;
  /** Field elements per opened column (R: the rows of every committed matrix of the batch together). */
  rowsPerColumn: number;
  /** Combined rows the verifier checks each column against (L: the proximity row(s) + one per evaluation point). */
  combinedRows: number;
  /** Length of a row before encoding (k). */
  messageLength: number;
  /** Length of an encoded row (k / rate); its log2 is the Merkle depth. */
  codewordLength: number;
}

export interface EstimateGkrVerifierGasParameters {
  proofBytes: number;
  /** The commitment openings of one proof (several commitments — weights, witness — each counted). */
  openings: GkrOpeningShape[];
  sumcheckRounds: number;
  /** Prover messages the transcript absorbs (one SHA-256 call each); default: sumcheck rounds + 4 per opening. */
  transcriptMessages?: number;
  /** Public input and output elements the verifier evaluates MLEs over. */
  publicElements: number;
}

export interface EstimateGkrVerifierGasResult {
  totalGas: number;
  /** Gas per part (names as in the header). */
  parts: Record<string, number>;
  /** Whether it is within GKR_ONCHAIN_BUDGET_GAS. */
  withinBudget: boolean;
  /** One sentence with the figures, for reports. */
  summary: string;
}

const sha256 = (bytes: number) => EVM_GAS.sha256Base + EVM_GAS.sha256Word * Math.ceil(bytes / 32) + EVM_GAS.staticCallWarm;

export function estimateGkrVerifierGas({ proofBytes, openings, sumcheckRounds, transcriptMessages, publicElements }: EstimateGkrVerifierGasParameters): EstimateGkrVerifierGasResult {
  const words = Math.ceil(proofBytes / 32);
  const messages = transcriptMessages ?? sumcheckRounds + 4 * openings.length;
  let leafHashes = 0;
  let merklePaths = 0;
  let columnChecks = 0;
  let codewords = 0;
  let tensorProducts = 0;
  for (const o of openings) {
    const depth = Math.ceil(Math.log2(o.codewordLength));
    leafHashes += o.columnOpenings * sha256(8 * o.rowsPerColumn);
    merklePaths += o.columnOpenings * depth * sha256(64);
    columnChecks += o.combinedRows * o.rowsPerColumn * EVM_GAS.extensionMul + o.columnOpenings * o.rowsPerColumn * EVM_GAS.extensionBaseMulAdd;
    const direct = o.columnOpenings * o.messageLength * EVM_GAS.extensionBaseMulAdd;
    const ntt = (o.codewordLength / 2) * depth * (EVM_GAS.extensionBaseMulAdd + EVM_GAS.baseMulAdd);
    codewords += o.combinedRows * o.messageLength * EVM_GAS.extensionMul + Math.min(direct, ntt);
    tensorProducts += o.combinedRows * o.messageLength * EVM_GAS.extensionMul + o.rowsPerColumn * EVM_GAS.extensionMul;
  }
  const parts: Record<string, number> = {
    transaction: EVM_GAS.transaction,
    calldata: proofBytes * EVM_GAS.calldataNonZeroByte,
    memory: 3 * words + Math.floor((words * words) / 512),
    transcript: Math.ceil(proofBytes / 32) * EVM_GAS.sha256Word + messages * (EVM_GAS.sha256Base + EVM_GAS.staticCallWarm),
    leafHashes,
    merklePaths,
    columnChecks,
    codewords,
    tensorProducts,
    sumchecks: sumcheckRounds * (4 * EVM_GAS.extensionMul + EVM_GAS.extensionBaseMulAdd),
    publicMles: publicElements * EVM_GAS.extensionBaseMulAdd,
  };
  const execution = Object.entries(parts).filter(([name]) => name !== 'transaction' && name !== 'calldata').reduce((sum, [, gas]) => sum + gas, 0);
  // EIP-7623: the transaction pays the larger of the standard cost and the calldata floor.
  const floor = proofBytes * EVM_GAS.calldataFloorNonZeroByte;
  const standard = parts.calldata! + execution;
  if (floor > standard) parts.calldataFloorTopUp = floor - standard;
  const totalGas = Object.values(parts).reduce((sum, gas) => sum + gas, 0);
  const withinBudget = totalGas <= GKR_ONCHAIN_BUDGET_GAS;
  const columns = openings.reduce((sum, o) => sum + o.columnOpenings, 0);
  const summary =
    `a Solidity verifier would need about ${Math.round(totalGas).toLocaleString('en-US')} gas per proof (estimate, not deployed: ` +
    `${proofBytes.toLocaleString('en-US')} bytes of calldata ${(parts.calldata! + (parts.calldataFloorTopUp ?? 0)).toLocaleString('en-US')} gas, ` +
    `${columns} opened columns with Merkle paths ${(leafHashes + merklePaths).toLocaleString('en-US')} gas of SHA-256, ` +
    `Goldilocks arithmetic ${(columnChecks + codewords + tensorProducts + parts.sumchecks! + parts.publicMles!).toLocaleString('en-US')} gas), ` +
    `${withinBudget ? 'within' : 'beyond'} the ${GKR_ONCHAIN_BUDGET_GAS.toLocaleString('en-US')}-gas budget`;
  return { totalGas, parts, withinBudget, summary };
}

export interface DescribeGkrOpeningsParameters {
  /** A gkr proof object (or any object holding the commitment's OpeningProof values). */
  proof: unknown;
  /** Where else commitment shapes may be (e.g. the verifier key with the weights' commitment). */
  context?: unknown;
  /** log2(N/k) when no commitment shape matches an opening (default 1: rate 1/2, the commitment's default). */
  logBlowup?: number;
}

function walk(value: unknown, visit: (o: Record<string, unknown>) => boolean, seen = new Set<unknown>(), depth = 0): void {
  if (value === null || typeof value !== 'object' || seen.has(value) || depth > 12 || ArrayBuffer.isView(value)) return;
  seen.add(value);
  if (!Array.isArray(value) && visit(value as Record<string, unknown>)) return;
  for (const child of Array.isArray(value) ? value : Object.values(value as Record<string, unknown>)) walk(child, visit, seen, depth + 1);
}

/**
 * The opening shapes inside a proof, found by their fields (src/gkr/commit/types.ts OpeningProof:
 * proximityRow, evaluationRows, columnLength, columns): k = |proximityRow| / 4 words, M =
 * columnLength, t = the opened columns (|columns| / 2M words), L = 1 + |evaluationRows|; N = k ·
 * 2^logBlowup of the commitment shape (logMessageLength, logBlowup, rowCount) with the same k and M.
 */
export function describeGkrOpenings({ proof, context, logBlowup = 1 }: DescribeGkrOpeningsParameters): GkrOpeningShape[] {
  const shapes: Array<{ k: number; rows: number; logBlowup: number }> = [];
  const collectShape = (o: Record<string, unknown>) => {
    if (typeof o.logMessageLength === 'number' && typeof o.logBlowup === 'number' && typeof o.rowCount === 'number') {
      shapes.push({ k: 2 ** o.logMessageLength, rows: o.rowCount, logBlowup: o.logBlowup });
      return true;
    }
    return false;
  };
  walk(proof, collectShape);
  walk(context, collectShape);
  const found: GkrOpeningShape[] = [];
  walk(proof, (o) => {
    if (!(o.proximityRow instanceof Uint32Array && o.columns instanceof Uint32Array && typeof o.columnLength === 'number' && Array.isArray(o.evaluationRows))) return false;
    const messageLength = o.proximityRow.length / 4;
    const rows = o.columnLength;
    const shape = shapes.find((s) => s.k === messageLength && s.rows === rows);
    found.push({
      columnOpenings: rows > 0 ? o.columns.length / (2 * rows) : 0,
      rowsPerColumn: rows,
      combinedRows: 1 + o.evaluationRows.length,
      messageLength,
      codewordLength: messageLength * 2 ** (shape?.logBlowup ?? logBlowup),
    });
    return true;
  });
  return found;
}
