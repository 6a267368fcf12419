/**
 * Colours for topics: 20 distinct hues that read on both dark and light backgrounds
 * (Tableau 20 reordered so neighbouring ids differ most), grey for papers outside any topic.
 */
const TOPIC_COLOURS: [number, number, number][] = [
  [78, 121, 167], [242, 142, 43], [225, 87, 89], [118, 183, 178], [89, 161, 79],
  [237, 201, 72], [176, 122, 161], [255, 157, 167], [156, 117, 95], [160, 203, 232],
  [255, 190, 125], [140, 209, 125], [182, 153, 45], [73, 152, 148], [134, 188, 182],
  [212, 166, 200], [250, 191, 210], [215, 181, 166], [121, 112, 110], [186, 176, 172],
];
export const NOISE_COLOUR: [number, number, number] = [140, 140, 150];

export function topicColour(topic: number): [number, number, number] {
  return topic < 0 ? NOISE_COLOUR : TOPIC_COLOURS[topic % TOPIC_COLOURS.length]!;
}

export function cssColour([r, g, b]: [number, number, number]): string {
  return `rgb(${r} ${g} ${b})`;
}

/**
 * RGBA per point (n × 4) for the map's binary colour attribute, from n × 3 RGB. With a filter (a
 * selection or a search), points that pass stay opaque and the rest fade back but stay visible,
 * so the filtered papers read in their context.
 */
export function pointColours(rgb: Uint8Array, keep: ((index: number) => boolean) | null = null): Uint8Array {
  const n = rgb.length / 3;
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    out[4 * i] = rgb[3 * i]!;
    out[4 * i + 1] = rgb[3 * i + 1]!;
    out[4 * i + 2] = rgb[3 * i + 2]!;
    out[4 * i + 3] = keep === null ? 220 : keep(i) ? 255 : 38;
  }
  return out;
}

/** One neutral colour for every point, while the layout is still being computed and topics are unknown. */
export function previewColours(n: number): Uint8Array {
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) out.set([150, 160, 180, 170], 4 * i);
  return out;
}
