/**
 * Sparse matrices as LinearOperators (./svd.ts), given column by column or row by row.
 *
 * By column: the corpus fit's matrix is terms × papers, and a paper's terms are what the fit reads.
 * Held by paper, both products walk the papers in order and touch a row of the dense block per term;
 * terms are numbered by how many papers use them, so the rows touched most are a few, near each
 * other, and stay in the cache. Held by term, every product jumped between rows of papers spread
 * over megabytes and waited on memory (two thirds of a fit of 20,000 arXiv abstracts). Each column's
 * rows must be ascending: every sum is then taken in the order the term-held products took it, so the
 * products are the same bits as before (unit test against plain loops).
 */
import { addScaled } from './add-scaled';
import type { LinearOperator } from './svd';

export function sparseColumnsOperator(columnsData: { rows: Int32Array; values: Float64Array }[], rows: number): LinearOperator {
  const cols = columnsData.length;
  return {
    rows,
    cols,
    multiply(m, l) {
      const out = new Float64Array(rows * l);
      for (let c = 0; c < cols; c++) {
        const { rows: columnRows, values } = columnsData[c]!;
        for (let e = 0; e < columnRows.length; e++) addScaled(out, columnRows[e]! * l, values[e]!, m, c * l, l);
      }
      return out;
    },
    multiplyTransposed(m, l) {
      const out = new Float64Array(cols * l);
      for (let c = 0; c < cols; c++) {
        const { rows: columnRows, values } = columnsData[c]!;
        for (let e = 0; e < columnRows.length; e++) addScaled(out, c * l, values[e]!, m, columnRows[e]! * l, l);
      }
      return out;
    },
  };
}

/** A sparse matrix given row by row (each row's columns ascending): the transpose of its rows held as columns. */
export function sparseRowsOperator(rowsData: { cols: Int32Array; values: Float64Array }[], cols: number): LinearOperator {
  const transposed = sparseColumnsOperator(rowsData.map((row) => ({ rows: row.cols, values: row.values })), cols);
  return { rows: rowsData.length, cols, multiply: (m, l) => transposed.multiplyTransposed(m, l), multiplyTransposed: (m, l) => transposed.multiply(m, l) };
}
