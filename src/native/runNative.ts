/** One-shot native run: open an onnxruntime session, run once, release it. */
import { createNativeSession, type NativeOutput, type NativeTensor } from './createNativeSession.ts';

export interface RunNativeParameters {
  file: string;
  inputs: Record<string, ArrayLike<number> | NativeTensor>;
}

export interface RunNativeResult {
  outputs: NativeOutput[];
}

export async function runNative({ file, inputs }: RunNativeParameters): Promise<RunNativeResult> {
  const session = await createNativeSession({ file });
  try {
    return { outputs: await session.run(inputs) };
  } finally {
    await session.close();
  }
}
