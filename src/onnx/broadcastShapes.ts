/** Moved to src/tensor/broadcastShapes.ts (backends must not import the importer); re-exported for the importer. */
export { broadcastOffsets, broadcastShapes, type BroadcastShapesParameters } from '../tensor/broadcastShapes.ts';
