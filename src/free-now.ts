/**
 * Frees a typed array's memory now rather than at the next full collection: its buffer is detached
 * (ArrayBuffer.prototype.transfer), which drops the backing store at once. A worker whose heap is small
 * may run a long time before a full collection, with hundreds of megabytes of dead buffers resident.
 * Every view of the buffer reads as empty afterwards. Where transfer is missing (Node 20), nothing happens.
 */
export function freeNow(array: ArrayBufferView): void {
  const buffer = array.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer };
  if (buffer instanceof ArrayBuffer) buffer.transfer?.(0);
}
