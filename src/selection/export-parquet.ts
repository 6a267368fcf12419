/**
 * A map (or any selection of it) as Parquet, the file pandas, polars, DuckDB and Hugging Face datasets
 * read directly: one row per paper with its fields, its position, its topic at every level (id and
 * name) and, optionally, its vector as list<float>. Written by hyparquet-writer, loaded only when an
 * export asks for it (it stays out of the page's first download).
 */
import type { Paper } from '../corpus/types';
import type { MapEntry } from '../cache/map-format';

type ColumnType = 'STRING' | 'INT32' | 'DOUBLE' | 'FLOAT';
interface Column {
  name: string;
  type: ColumnType;
  data: (string | number | null)[];
}

/** The table's columns for papers `indices` of the map: fields, x/y, topics per level (0 = broadest). */
export function mapColumns(papers: readonly Paper[], entry: MapEntry, indices: ArrayLike<number>): Column[] {
  const pick = <T>(value: (paper: Paper, i: number) => T) => Array.from(indices, (i) => value(papers[i]!, i));
  const text = (value: string | null | undefined) => (value === undefined || value === null || value === '' ? null : value);
  const columns: Column[] = [
    { name: 'id', type: 'STRING', data: pick((p) => p.id) },
    { name: 'title', type: 'STRING', data: pick((p) => p.title) },
    { name: 'abstract', type: 'STRING', data: pick((p) => p.abstract) },
    { name: 'date', type: 'STRING', data: pick((p) => text(p.date ?? p.dateText)) },
    { name: 'year', type: 'INT32', data: pick((p) => p.year) },
    { name: 'authors', type: 'INT32', data: pick((p) => p.authors) },
    { name: 'organization', type: 'STRING', data: pick((p) => text(p.organization)) },
    { name: 'upvotes', type: 'INT32', data: pick((p) => (p.upvotes === null ? null : Math.round(p.upvotes))) },
    { name: 'label', type: 'STRING', data: pick((p) => text(p.label)) },
    { name: 'url', type: 'STRING', data: pick((p) => text(p.url)) },
    { name: 'x', type: 'DOUBLE', data: pick((_, i) => entry.coords[2 * i]!) },
    { name: 'y', type: 'DOUBLE', data: pick((_, i) => entry.coords[2 * i + 1]!) },
  ];
  entry.levels.forEach((level, l) => {
    const names = new Map(level.terms.map((t) => [t.topic, t.label]));
    // -1: a paper in no topic at this level (noise): null in both columns.
    columns.push({ name: `topic_${l}`, type: 'INT32', data: pick((_, i) => (level.topics[i]! < 0 ? null : level.topics[i]!)) });
    columns.push({ name: `topic_${l}_name`, type: 'STRING', data: pick((_, i) => names.get(level.topics[i]!) ?? null) });
  });
  return columns;
}

/**
 * The Parquet bytes of `columns`, plus each paper's vector (rows of `vectors`, `dims` wide, for papers
 * `indices`) as a list<float> column named `embedding` when given.
 */
export async function toParquet(columns: Column[], vectors: { data: Float32Array; dims: number; indices: ArrayLike<number> } | null): Promise<Uint8Array> {
  const { parquetWriteBuffer, schemaFromColumnData } = await import('hyparquet-writer');
  const schema = schemaFromColumnData({ columnData: columns.map(({ name, type, data }) => ({ name, type, data })) });
  const columnData: { name: string; data: unknown[] }[] = columns.map(({ name, data }) => ({ name, data }));
  if (vectors) {
    const { data, dims, indices } = vectors;
    // Parquet's three-level list, as pyarrow writes it: embedding (LIST) > list (REPEATED) > element.
    schema[0]!.num_children = (schema[0]!.num_children ?? 0) + 1;
    schema.push(
      { name: 'embedding', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
    );
    columnData.push({ name: 'embedding', data: Array.from(indices, (i) => Array.from(data.subarray(i * dims, (i + 1) * dims))) });
  }
  return new Uint8Array(parquetWriteBuffer({ columnData, schema }));
}
