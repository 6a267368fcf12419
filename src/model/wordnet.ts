/**
 * WordNet as general English text for the embedded model: every synset becomes one short context,
 * its words, its gloss (definition and examples), and the words of the synsets it points to as
 * hypernym, topic domain or derivationally related form. So "redshift" meets "astronomy" and
 * "spectrum", "inflation" meets "economics" and "prices", whatever field a corpus is from.
 * Parses the Princeton database files (data.noun, data.verb, data.adj, data.adv).
 */
export interface Synset {
  /** Part of speech (n, v, a, r) and byte offset: unique across the four files. */
  key: string;
  words: string[];
  /** Keys of the synsets it points to, with the pointer symbol (WordNet's wninput(5WN)). */
  pointers: { symbol: string; target: string }[];
  gloss: string;
}

/** Pointers whose targets' words join a synset's context: hypernym, topic domain, derivation. */
export const CONTEXT_POINTERS: readonly string[] = ['@', ';c', '+'];

const FILE_POS: Record<string, string> = { noun: 'n', verb: 'v', adj: 'a', adv: 'r' };

/** Parses one data.<pos> file; licence lines (indented) are skipped. */
export function parseWordNetData(text: string): Synset[] {
  const synsets: Synset[] = [];
  for (const line of text.split('\n')) {
    if (line.length === 0 || line.startsWith(' ')) continue;
    const bar = line.indexOf(' | ');
    const fields = line.slice(0, bar).split(' ');
    let i = 0;
    const offset = fields[i++]!;
    i++; // lexicographer file number
    const synsetType = fields[i++]!;
    const pos = synsetType === 's' ? 'a' : synsetType; // adjective satellites share the adjective file
    const wordCount = parseInt(fields[i++]!, 16);
    const words: string[] = [];
    for (let w = 0; w < wordCount; w++, i += 2) words.push(fields[i]!.replace(/\(.*\)$/, '').replace(/_/g, ' '));
    const pointerCount = Number(fields[i++]);
    const pointers: Synset['pointers'] = [];
    for (let p = 0; p < pointerCount; p++, i += 4) {
      const targetPos = fields[i + 2] === 's' ? 'a' : fields[i + 2]!;
      pointers.push({ symbol: fields[i]!, target: targetPos + fields[i + 1]! });
    }
    synsets.push({ key: pos + offset, words, pointers, gloss: bar >= 0 ? line.slice(bar + 3).trim() : '' });
  }
  return synsets;
}

/** One context text per synset, in file order: words ; gloss ; words of the synsets it points to. */
export function wordNetContexts(dataFiles: Record<string, string>, pointers: readonly string[] = CONTEXT_POINTERS): string[] {
  const synsets = Object.keys(FILE_POS)
    .filter((name) => name in dataFiles)
    .flatMap((name) => parseWordNetData(dataFiles[name]!));
  const byKey = new Map(synsets.map((s) => [s.key, s]));
  return synsets.map((s) => {
    const related = s.pointers.filter((p) => pointers.includes(p.symbol)).map((p) => byKey.get(p.target)?.words.join(', ') ?? '');
    return [s.words.join(', '), s.gloss, ...related].filter(Boolean).join(' ; ');
  });
}
