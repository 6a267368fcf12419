/**
 * x^y for a fixed y, for the layout's inner loop, where Math.pow costs more than everything else put
 * together (~140 ns a call on these machines, and UMAP needs one per sampled pair).
 *
 * With x = 2^e · m (m in [1, 2)), x^y = (2^y)^e · m^y: the first factor comes from a table indexed by
 * the exponent bits, the second from a 256-entry table (small enough to stay in L1 cache) over the
 * top mantissa bits with linear interpolation. Relative error under 2e-6, plenty for a stochastic
 * gradient that is clipped anyway. The bits are read through a DataView, which V8 compiles to plain
 * loads (a Float64Array/Uint32Array pair over one buffer was three times slower), and the function is
 * a plain top-level one taking its tables, which V8 inlines where a closure call was not.
 */
const BITS = 8;
const SIZE = 1 << BITS;
const LOW_BITS = 20 - BITS;
const bits = new DataView(new ArrayBuffer(8));

/** The tables for one exponent y. */
export interface PowerTables {
  y: number;
  /** (1 + i/SIZE)^y. */
  mantissa: Float64Array;
  /** (2^y)^(e − 1023) for every biased exponent e of a normal float. */
  exponent: Float64Array;
}

export function powerTables(y: number): PowerTables {
  return {
    y,
    mantissa: Float64Array.from({ length: SIZE + 1 }, (_, i) => (1 + i / SIZE) ** y),
    exponent: Float64Array.from({ length: 2047 }, (_, e) => 2 ** (y * (e - 1023))),
  };
}

/** x^tables.y, exact to about 2e-6 relative for positive normal x; Math.pow elsewhere. */
export function fastPow(x: number, tables: PowerTables): number {
  if (!(x >= 2.3e-308 && x < 1.7e308)) return Math.pow(x, tables.y);
  bits.setFloat64(0, x);
  // The high word: sign, 11 exponent bits, the top 20 mantissa bits.
  const high = bits.getUint32(0);
  const mantissa = high & 0xfffff;
  const index = mantissa >>> LOW_BITS;
  const within = (mantissa & ((1 << LOW_BITS) - 1)) * (1 / (1 << LOW_BITS));
  const m = tables.mantissa;
  return tables.exponent[high >>> 20]! * (m[index]! + within * (m[index + 1]! - m[index]!));
}
