/**
 * Owns what a result records about a remote chain (`--rpc-url`): the endpoint without
 * credentials, path or query (API keys often live there), its chain id and client version.
 */
import { createPublicClient, http } from 'viem';
import { ToolError } from '../errors.ts';

export interface DescribeChainParameters {
  rpcUrl: string;
}

export interface DescribeChainResult {
  /** protocol://host[:port] of the endpoint (no user, password, path or query). */
  endpoint: string;
  chainId: number;
  /** web3_clientVersion, or 'unknown' if the endpoint does not answer it. */
  clientVersion: string;
}

export function redactEndpoint(rpcUrl: string): string {
  try {
    const url = new URL(rpcUrl);
    return `${url.protocol}//${url.host}`;
  } catch {
    return '(unparseable URL)';
  }
}

export async function describeChain({ rpcUrl }: DescribeChainParameters): Promise<DescribeChainResult> {
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 0, timeout: 30_000 }) });
  let chainId: number;
  try {
    chainId = await client.getChainId();
  } catch (error) {
    throw new ToolError(`chain: no EVM answered at ${redactEndpoint(rpcUrl)}`, { hint: 'check --rpc-url', cause: error });
  }
  let clientVersion = 'unknown';
  try {
    clientVersion = String(await client.request({ method: 'web3_clientVersion' as never }));
  } catch { /* optional: not every endpoint answers it */ }
  return { endpoint: redactEndpoint(rpcUrl), chainId, clientVersion };
}
