/**
 * Where the bytes of an import come from: a dropped or picked file, or a URL (?corpus=<url>), as a
 * stream, and by byte range where that is possible (a file; a host that serves ranges), so that a
 * Parquet file can be read a row group at a time (./import-read.ts).
 */
import { ImportError } from './import';

/** A file's bytes by range. */
export interface ByteRanges {
  size: number;
  read(start: number, end: number): Promise<ArrayBuffer>;
}

/** What a Content-Type says a response is, when it is something no corpus file is (a web page, an image…); else null. */
export function notDataKind(contentType: string | null): string | null {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'a web page';
  if (type.startsWith('image/')) return 'an image';
  if (type.startsWith('audio/') || type.startsWith('video/')) return 'audio or video';
  if (type === 'application/pdf') return 'a PDF document';
  if (type === 'application/zip' || type === 'application/gzip' || type === 'application/x-gzip') return 'a compressed archive';
  return null;
}

/** Where the bytes of an import come from: a dropped or picked file, or a URL (?corpus=<url>). */
export interface ImportSourceStream {
  name: string;
  total: number | null;
  chunks: AsyncIterable<Uint8Array>;
  /** The bytes by range too: a dropped or picked file, or a URL on a host that serves ranges. */
  ranges?: ByteRanges;
}

async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      yield next.value;
    }
    done = true;
  } finally {
    // Stopped early (an error, a limit): tell the file or the network to stop sending.
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** Opens a Blob (a File is one) or fetches a URL, as a stream; a failed fetch says why in a sentence. */
export async function openSource(source: Blob | string, name?: string | null): Promise<ImportSourceStream> {
  if (typeof source !== 'string') {
    const fileName = name ?? ('name' in source && typeof source.name === 'string' ? source.name : 'file');
    return { name: fileName, total: source.size, chunks: chunksOf(source.stream()), ranges: { size: source.size, read: (start, end) => source.slice(start, end).arrayBuffer() } };
  }
  let response: Response;
  try {
    response = await fetch(source);
  } catch (error) {
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    throw new ImportError(`The corpus could not be fetched from ${source} (${reason}): check the address, your connection, and that the server allows cross-origin requests (CORS).`);
  }
  // Said before a byte is read: a missing file often comes back as the host's own web page.
  const contentType = response.headers.get('content-type');
  const kind = notDataKind(contentType);
  if (kind === 'a web page') throw new ImportError(`${source} is not a corpus file (the server returned a web page, HTTP ${response.status}): check the address.`);
  if (!response.ok) {
    const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    throw new ImportError(response.status >= 500 ? `${source} could not be fetched (the server answered ${status}): try again later.` : `${source} is not a corpus file (the server answered ${status}): check the address.`);
  }
  if (kind) throw new ImportError(`${source} is not a corpus file (the server returned ${kind}, ${contentType!.split(';')[0]!.trim()}): check the address.`);
  const length = Number(response.headers.get('content-length'));
  const path = new URL(response.url || source).pathname;
  const fileName = name ?? (decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || 'corpus');
  const empty = (async function* () {})();
  const total = length > 0 && !response.headers.get('content-encoding') ? length : null;
  // A host that says it serves byte ranges (static hosts do; cross-origin, only if it exposes the
  // header) lets a Parquet file be read a row group at a time, as a dropped one is.
  const ranged = total !== null && response.headers.get('accept-ranges') === 'bytes';
  const ranges = ranged ? { size: total, read: (start: number, end: number) => fetchRange(response.url || source, start, end, source) } : undefined;
  return { name: fileName, total, chunks: response.body ? chunksOf(response.body) : empty, ...(ranges ? { ranges } : {}) };
}

/** Bytes [start, end) of a file on a host that serves ranges; a host that answers otherwise is said to. */
async function fetchRange(url: string, start: number, end: number, shown: string): Promise<ArrayBuffer> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Range: `bytes=${start}-${end - 1}` } });
  } catch (error) {
    throw new ImportError(`${shown} could not be read (${error instanceof Error ? error.message : String(error)}): check your connection and try again.`);
  }
  const bytes = response.status === 206 ? await response.arrayBuffer() : null;
  if (!bytes || bytes.byteLength !== end - start) {
    throw new ImportError(`${shown} could not be read in parts (the server answered HTTP ${response.status} to a byte-range request): download the file and import it from disk.`);
  }
  return bytes;
}
