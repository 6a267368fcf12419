/** The model the app ships and uses unless told otherwise (built by scripts/build-model.ts). */
export const DEFAULT_MODEL_ID = 'papermap/arxiv-320';

/** Model ids look like Hugging Face repo ids: "org/name", letters, digits, ".", "_", "-". */
export function isValidModelId(id: string): boolean {
  return /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/.test(id) && !id.includes('..');
}
