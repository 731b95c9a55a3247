/**
 * A 2-D conv/pool window's attributes made explicit: auto_pad resolved into pads, defaults for
 * strides and dilations, and the output size (with ceil_mode). Semantics: docs/fixed-point.md.
 */
import type { OnnxAttributeValue, OnnxNode } from '../types.ts';

const AUTO_PADS = ['NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER'];

export function ints(value: OnnxAttributeValue | undefined, fallback: number[]): number[] {
  return Array.isArray(value) ? (value as number[]) : fallback;
}

export interface Window2D {
  kernel: [number, number];
  pads: [number, number, number, number];
  strides: [number, number];
  dilations: [number, number];
  outDims: [number, number];
}

export interface ResolveWindowParameters {
  node: OnnxNode;
  /** The input's [H, W]. */
  inHW: number[];
  kernel: number[];
  ceilMode: boolean;
  unsupported: (what: string) => never;
}

export function resolveWindow({ node, inHW, kernel, ceilMode, unsupported }: ResolveWindowParameters): Window2D {
  const strides = ints(node.attributes.strides, [1, 1]);
  const dilations = ints(node.attributes.dilations, [1, 1]);
  const autoPad = String(node.attributes.auto_pad ?? 'NOTSET');
  if (!AUTO_PADS.includes(autoPad)) unsupported(`auto_pad=${autoPad}`);
  let pads = ints(node.attributes.pads, [0, 0, 0, 0]);
  const out: number[] = [];
  for (let i = 0; i < 2; i++) {
    const extent = (kernel[i] - 1) * dilations[i] + 1;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      const size = Math.ceil(inHW[i] / strides[i]);
      const total = Math.max(0, (size - 1) * strides[i] + extent - inHW[i]);
      const small = Math.floor(total / 2);
      const begin = autoPad === 'SAME_UPPER' ? small : total - small;
      pads = [...pads];
      pads[i] = begin;
      pads[i + 2] = total - begin;
      out.push(size);
      continue;
    }
    if (autoPad === 'VALID') pads = [0, 0, 0, 0];
    const span = inHW[i] + pads[i] + pads[i + 2] - extent;
    let size = (ceilMode ? Math.ceil(span / strides[i]) : Math.floor(span / strides[i])) + 1;
    // A last window that would start entirely in the end padding is dropped.
    if (ceilMode && (size - 1) * strides[i] >= inHW[i] + pads[i]) size--;
    out.push(size);
  }
  if (out.some((d) => d <= 0)) unsupported(`a window larger than its input ([${inHW}])`);
  return {
    kernel: [kernel[0], kernel[1]],
    pads: [pads[0], pads[1], pads[2], pads[3]],
    strides: [strides[0], strides[1]],
    dilations: [dilations[0], dilations[1]],
    outDims: [out[0], out[1]],
  };
}
