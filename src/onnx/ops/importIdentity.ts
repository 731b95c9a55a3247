/** Identity: removed, its output is its input. */
import type { ImportNode } from './types.ts';

export const importIdentity: ImportNode = ({ node }) => ({ aliasOf: node.inputs[0] });
