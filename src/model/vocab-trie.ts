/** The vocabulary trie that ./wordpiece.ts walks each word down to find its longest pieces. */

/**
 * The vocabulary as a trie over UTF-16 units: node 0 is the root; edges live in one open-addressing
 * hash table keyed by (node, unit), so a lookup allocates nothing. tokenAt[node] is the id of the
 * token that ends there, or −1.
 */
export class VocabTrie {
  private slotNode: Int32Array;
  private slotUnit: Uint16Array;
  private slotChild: Int32Array;
  private bits = 12;
  private edges = 0;
  tokenAt: Int32Array;
  private nodes = 1;

  constructor(vocab: readonly string[]) {
    const size = 1 << this.bits;
    this.slotNode = new Int32Array(size).fill(-1);
    this.slotUnit = new Uint16Array(size);
    this.slotChild = new Int32Array(size);
    let tokenAt: Int32Array = new Int32Array(1024).fill(-1);
    vocab.forEach((token, id) => {
      let node = 0;
      for (let i = 0; i < token.length; i++) {
        let next = this.child(node, token.charCodeAt(i));
        if (next < 0) {
          next = this.nodes++;
          if (next >= tokenAt.length) tokenAt = grown(tokenAt);
          this.insert(node, token.charCodeAt(i), next);
        }
        node = next;
      }
      // A token listed twice keeps its first id, as a Map built from the vocabulary would.
      if (tokenAt[node]! < 0) tokenAt[node] = id;
    });
    this.tokenAt = tokenAt;
  }

  private slot(node: number, unit: number): number {
    return (Math.imul(node, 0x9e3779b1) ^ Math.imul(unit + 1, 0x85ebca6b)) >>> (32 - this.bits);
  }

  /** The child of `node` along `unit`, or −1. */
  child(node: number, unit: number): number {
    const mask = (1 << this.bits) - 1;
    for (let s = this.slot(node, unit); ; s = (s + 1) & mask) {
      const at = this.slotNode[s]!;
      if (at === node && this.slotUnit[s] === unit) return this.slotChild[s]!;
      if (at < 0) return -1;
    }
  }

  /** The node a string leads to, or −1. */
  walk(text: string): number {
    let node = 0;
    for (let i = 0; i < text.length && node >= 0; i++) node = this.child(node, text.charCodeAt(i));
    return node;
  }

  private insert(node: number, unit: number, child: number): void {
    if (++this.edges * 2 > 1 << this.bits) this.rehash();
    const mask = (1 << this.bits) - 1;
    let s = this.slot(node, unit);
    while (this.slotNode[s]! >= 0) s = (s + 1) & mask;
    this.slotNode[s] = node;
    this.slotUnit[s] = unit;
    this.slotChild[s] = child;
  }

  private rehash(): void {
    const [nodes, units, children] = [this.slotNode, this.slotUnit, this.slotChild];
    this.bits++;
    const size = 1 << this.bits;
    this.slotNode = new Int32Array(size).fill(-1);
    this.slotUnit = new Uint16Array(size);
    this.slotChild = new Int32Array(size);
    const mask = size - 1;
    for (let old = 0; old < nodes.length; old++) {
      if (nodes[old]! < 0) continue;
      let s = this.slot(nodes[old]!, units[old]!);
      while (this.slotNode[s]! >= 0) s = (s + 1) & mask;
      this.slotNode[s] = nodes[old]!;
      this.slotUnit[s] = units[old]!;
      this.slotChild[s] = children[old]!;
    }
  }
}

function grown(array: Int32Array): Int32Array {
  const next = new Int32Array(array.length * 2).fill(-1);
  next.set(array);
  return next;
}
