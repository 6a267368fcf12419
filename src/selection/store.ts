/**
 * The one selection: a set of paper indices that every view reads (map colours, selection panel,
 * window.papermap.state().selected). Changes notify subscribers once per operation.
 */
export type SelectionMode = 'replace' | 'add' | 'subtract';

/** What a gesture does to the selection: Alt subtracts, Shift adds, neither replaces (Alt wins over Shift). */
export function modeOf(modifiers: { add: boolean; subtract: boolean }): SelectionMode {
  return modifiers.subtract ? 'subtract' : modifiers.add ? 'add' : 'replace';
}

export class Selection {
  private mask: Uint8Array;
  private count = 0;
  private readonly listeners = new Set<() => void>();

  constructor(readonly n: number) {
    this.mask = new Uint8Array(n);
  }

  get size(): number {
    return this.count;
  }

  has(index: number): boolean {
    return this.mask[index] === 1;
  }

  /** Replaces the selection, adds to it (Shift) or subtracts from it (Alt). */
  apply(indices: ArrayLike<number>, mode: SelectionMode): void {
    if (mode === 'replace') this.mask.fill(0);
    const value = mode === 'subtract' ? 0 : 1;
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k]!;
      if (i >= 0 && i < this.n) this.mask[i] = value;
    }
    this.recount();
  }

  toggle(index: number): void {
    this.mask[index] = this.mask[index] ? 0 : 1;
    this.recount();
  }

  clear(): void {
    if (this.count === 0) return;
    this.mask.fill(0);
    this.recount();
  }

  /** Selected indices, ascending. */
  indices(): Uint32Array {
    const out = new Uint32Array(this.count);
    for (let i = 0, k = 0; i < this.n; i++) if (this.mask[i]) out[k++] = i;
    return out;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private recount(): void {
    let count = 0;
    for (let i = 0; i < this.n; i++) count += this.mask[i]!;
    this.count = count;
    for (const listener of this.listeners) listener();
  }
}
