/**
 * A run's texts packed as UTF-8 for the workers (src/pipeline/packed-texts.ts): each text comes back
 * exactly as it went, whatever its script, and the buffer grows where UTF-8 needs more than one byte.
 */
import { describe, expect, it } from 'vitest';
import { packTexts, packedTransfer, textsOf, unpackTexts } from '../../src/pipeline/packed-texts';

describe('packed texts', () => {
  it('give back every text as it was: ASCII, accents, CJK, emoji (surrogate pairs), empty texts', () => {
    const texts = ['Attention is all you need. We propose…', '', 'Über die Théorie der Räume', '深度学习的表示', 'Emoji 🧪🔬 in an abstract', 'x'.repeat(5000), '', 'Ω'];
    const packed = packTexts(textsOf(texts));
    expect(unpackTexts(packed)).toEqual(texts);
    expect(packed.ends.length).toBe(texts.length);
    expect(packed.bytes.length).toBe(new TextEncoder().encode(texts.join('')).length);
  });

  it('sizes the buffer to the bytes exactly, where UTF-8 needs more than UTF-16 (CJK: three bytes a character)', () => {
    const texts = Array.from({ length: 200 }, (_, i) => '表示学习'.repeat(1 + (i % 7)));
    const packed = packTexts(textsOf(texts));
    expect(unpackTexts(packed)).toEqual(texts);
    expect(packed.bytes.length).toBe(3 * texts.join('').length);
    expect(packed.bytes.buffer.byteLength).toBe(packed.bytes.length);
  });

  it('makes each text on demand (no array of them held) and names both buffers to transfer', () => {
    let made = 0;
    const packed = packTexts({ count: 3, text: (i) => (made++, `paper ${i}`) });
    expect(unpackTexts(packed)).toEqual(['paper 0', 'paper 1', 'paper 2']);
    expect(made).toBe(6); // once to measure, once to encode
    expect(packedTransfer(packed)).toEqual([packed.bytes.buffer, packed.ends.buffer]);
  });

  it('packs no texts', () => {
    expect(unpackTexts(packTexts(textsOf([])))).toEqual([]);
  });
});
