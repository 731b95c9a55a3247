/**
 * Owns the question "can this node trace transactions?" (debug_traceTransaction, which the
 * storage measurements need): anvil can; many public endpoints cannot. Traces a transaction of
 * the latest block with the prestate tracer; any error, or a block without transactions, is a no.
 */
import type { Chain, PublicClient, Transport } from 'viem';

export interface ProbeDebugTraceParameters {
  publicClient: PublicClient<Transport, Chain>;
}

export async function probeDebugTrace({ publicClient }: ProbeDebugTraceParameters): Promise<boolean> {
  try {
    const block = await publicClient.getBlock({ blockTag: 'latest' });
    const txHash = block.transactions[0];
    if (!txHash) return false;
    await publicClient.request({ method: 'debug_traceTransaction' as never, params: [txHash, { tracer: 'prestateTracer', tracerConfig: { diffMode: true } }] as never });
    return true;
  } catch {
    return false;
  }
}
