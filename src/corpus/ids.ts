import type { Paper } from './types';

/** Title key used to recognise the same paper on different pages: case, spacing and punctuation ignored. */
export function titleKey(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** 64-bit FNV-1a as 16 hex digits: a short, stable, synchronous id (not a security hash). */
export function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = (1n << 64n) - 1n;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * prime) & mask;
  }
  return h.toString(16).padStart(16, '0');
}

export function paperId(title: string): string {
  return 'p' + fnv1a64(titleKey(title)).slice(0, 12);
}

/** SHA-256 hex of a string, through WebCrypto (present in browsers, workers and Node >= 20). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The corpus's content hash: the same papers give the same hash, wherever they were read from. */
export async function corpusHash(papers: Paper[]): Promise<string> {
  return sha256Hex(JSON.stringify(papers));
}
