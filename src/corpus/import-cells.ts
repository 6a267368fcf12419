/**
 * Reading one cell of a user's file as a field of a paper: text, dates, counts and embeddings, each
 * forgiving about how people write them and null (never a guess) when a cell cannot be read.
 */

/** A cell as text: numbers are stringified, a list of plain values joined, anything else written as JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) return value.map(cellText).join(' ');
  if (isNumberArray(value)) return Array.prototype.join.call(value, ' ');
  return JSON.stringify(value);
}

export const cleanTitle = (value: unknown) => cellText(value).replace(/\s+/g, ' ').trim();
// Line breaks in an abstract are kept (paragraphs); everything else stays exactly as the file had it.
export const cleanText = (value: unknown) => cellText(value).replace(/\r\n?/g, '\n').trim();
export const optionalText = (value: unknown) => cellText(value).trim() || null;

/** Cuts at a word boundary near the limit when there is one, never inside a surrogate pair, and marks the cut. */
export function truncateText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = limit - 1;
  const space = text.lastIndexOf(' ', end);
  if (space > end - 200 && space > 0) end = space;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end).trimEnd() + '…';
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';
const ISO = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const MONTH_DAY_YEAR = new RegExp(`^${MONTH}\\s+(\\d{1,2}),?\\s+(\\d{4})$`, 'i');
const DAY_MONTH_YEAR = new RegExp(`^(\\d{1,2})\\s+${MONTH},?\\s+(\\d{4})$`, 'i');
const LONE_YEAR = /\b(1[89]\d{2}|20\d{2})\b/g;

function isoDay(year: number, month: number, day: number): string | null {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Reads the dates people put in paper lists: ISO ("2023-05-01", "2023-05-01T12:00:00Z", "2023-05",
 * "2023"), "Dec 9, 2022", "9 December 2022". `date` needs a day; a text with one clear year ("Dec 2022",
 * "12/09/2022") still gives `year`. Null when no year can be read.
 */
export function parseDate(text: string): { date: string | null; year: number } | null {
  const t = text.trim();
  let m = ISO.exec(t);
  if (m) {
    const year = Number(m[1]);
    if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 12)) return null;
    const date = m[3] !== undefined ? isoDay(year, Number(m[2]), Number(m[3])) : null;
    return m[3] !== undefined && date === null ? null : { date, year };
  }
  m = MONTH_DAY_YEAR.exec(t);
  if (m) return { date: isoDay(Number(m[3]), MONTHS.indexOf(m[1]!.toLowerCase()) + 1, Number(m[2])), year: Number(m[3]) };
  m = DAY_MONTH_YEAR.exec(t);
  if (m) return { date: isoDay(Number(m[3]), MONTHS.indexOf(m[2]!.toLowerCase()) + 1, Number(m[1])), year: Number(m[3]) };
  const years = [...new Set(Array.from(t.matchAll(LONE_YEAR), (y) => y[1]))];
  return years.length === 1 ? { date: null, year: Number(years[0]) } : null;
}

export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : null;
}

/** An author count from a count, a list of names, or names in one text ("A. Lee, B. Ng and C. Wu"). */
export function authorCount(value: unknown): number | null {
  const n = toNumber(value);
  if (n !== null) return Number.isInteger(n) && n >= 0 ? n : null;
  if (Array.isArray(value)) return value.length;
  const text = cellText(value).trim();
  if (text === '') return null;
  // "Lee, Ann; Ng, Bo" lists surnames first, so commas separate names only when there is no semicolon.
  const names = text.includes(';') ? text.split(';') : text.split(/,|\band\b/);
  return names.filter((s) => s.trim() !== '').length;
}

/** A typed array of numbers (a columnar reader's list), not raw bytes or 64-bit integers. */
export function isNumberArray(value: unknown): value is Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof Uint8Array) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
}

/**
 * A list of numbers, as an array or as text: JSON ("[0.1, 0.2]") or NumPy's print ("[ 0.1  0.2\n 0.3]"),
 * which pandas writes to CSV. A typed array (a columnar reader's list) is taken as it is, not copied.
 */
export function readVector(value: unknown): ArrayLike<number> | null {
  let list: unknown = value;
  if (typeof value === 'string') {
    const inner = /^\s*\[([^[\]]*)\]\s*$/.exec(value)?.[1];
    if (inner === undefined) return null;
    list = inner.trim() === '' ? [] : inner.trim().split(/[\s,]+/).map(Number);
  }
  if (!Array.isArray(list) && !isNumberArray(list)) return null;
  const numbers = list as ArrayLike<unknown>;
  if (numbers.length === 0) return null;
  for (let i = 0; i < numbers.length; i++) if (typeof numbers[i] !== 'number' || !Number.isFinite(numbers[i])) return null;
  return numbers as ArrayLike<number>;
}
