/**
 * The one error type of opzk-bench (shape learned from viem's BaseError): a short message,
 * details, the cause chain and a hint of what to do. Domain errors subclass it; code always
 * throws, never returns -1/false for a failure. The CLI prints `message` (which includes the
 * hint) on stderr and exits non-zero.
 */
export interface BaseErrorParameters {
  /** What went wrong and what would work, for a person. */
  hint?: string;
  /** Structured facts (file, node, layer, index, value) for programs and tests. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class BaseError extends Error {
  override name = 'BaseError';
  readonly shortMessage: string;
  readonly hint?: string;
  readonly details: Record<string, unknown>;

  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    const lines = [shortMessage];
    if (parameters.hint) lines.push(`Hint: ${parameters.hint}`);
    if (parameters.cause instanceof Error && parameters.cause.message && !(parameters.cause instanceof BaseError))
      lines.push(`Cause: ${parameters.cause.message}`);
    super(lines.join('\n'), parameters.cause === undefined ? undefined : { cause: parameters.cause });
    this.shortMessage = shortMessage;
    this.hint = parameters.hint;
    this.details = parameters.details ?? {};
  }

  /** Walks the cause chain and returns the first error for which `predicate` holds. */
  walk(predicate: (error: unknown) => boolean): unknown {
    let error: unknown = this;
    while (error) {
      if (predicate(error)) return error;
      error = (error as { cause?: unknown }).cause;
    }
    return undefined;
  }
}

/** A file that cannot be read or parsed (ONNX, TensorProto, JSON, artifact). */
export class InputFileError extends BaseError { override name = 'InputFileError'; }
/** A model that uses something the project does not support (operator, attribute, shape). */
export class UnsupportedModelError extends BaseError { override name = 'UnsupportedModelError'; }
/** A shape that does not fit (input dims, broadcasting, reshape). */
export class ShapeError extends BaseError { override name = 'ShapeError'; }
/** A value that leaves the fixed-point range (see docs/fixed-point.md). */
export class OverflowError extends BaseError { override name = 'OverflowError'; }
/** A bad setting or command-line argument. */
export class UsageError extends BaseError { override name = 'UsageError'; }
/** A third-party tool (circom, snarkjs, anvil, solc, forge) that failed. */
export class ToolError extends BaseError { override name = 'ToolError'; }
/** A proof, witness or on-chain check that rejected what it was given. */
export class VerificationError extends BaseError { override name = 'VerificationError'; }
