import { describe, expect, it } from 'vitest';
import { boxesOverlap, declutter, type LabelCandidate } from '../../src/map/declutter';
import { COLOUR_LEVEL } from '../../src/math/topics/topics';

const label = (key: string, x: number, y: number, priority: number, width = 60, height = 16): LabelCandidate => ({ key, x, y, width, height, priority });
const screen = { width: 800, height: 600 };

describe('label declutter', () => {
  it('places the more important label first and moves the other out of its way', () => {
    const placed = declutter([label('small', 100, 100, 3), label('big', 110, 104, 40)], screen);
    expect(placed.map((p) => p.key)).toEqual(['big', 'small']);
    expect(boxesOverlap(placed[0]!.box, placed[1]!.box)).toBe(false);
  });

  it('drops the less important label when there is no room around its anchor', () => {
    const crowd = [label('big', 110, 104, 40), label('above', 110, 84, 30), label('below', 110, 124, 20)];
    expect(declutter([...crowd, label('small', 100, 100, 3)], screen).map((p) => p.key)).not.toContain('small');
  });

  it('keeps labels that do not touch, most important first', () => {
    const placed = declutter([label('a', 100, 100, 1), label('b', 300, 100, 5), label('c', 100, 300, 3)], screen);
    expect(placed.map((p) => p.key)).toEqual(['b', 'c', 'a']);
  });

  it('never returns two overlapping boxes, whatever the input', () => {
    const candidates = Array.from({ length: 200 }, (_, i) => label(`l${i}`, (i * 37) % 780, (i * 53) % 580, i % 17, 40 + (i % 5) * 20, 14));
    const placed = declutter(candidates, screen);
    expect(placed.length).toBeGreaterThan(5);
    for (let i = 0; i < placed.length; i++) for (let j = i + 1; j < placed.length; j++) expect(boxesOverlap(placed[i]!.box, placed[j]!.box)).toBe(false);
  });

  it('keeps labels inside the screen: beside an anchor near the edge, dropped where none fits', () => {
    const [edge] = declutter([label('edge', 10, 100, 1)], screen);
    expect(edge!.box[0]).toBeGreaterThanOrEqual(0);
    expect(edge!.box[0]).toBeGreaterThan(10);
    expect(declutter([label('wide', 400, 300, 1, 900)], screen)).toEqual([]);
  });

  it('shrinks labels to make room for every one before it drops any, the biggest topic growing back first', () => {
    // Five topics side by side on a strip with no room above or below: at full width (120 px) they
    // overlap, at 50 px they all fit.
    const strip = { width: 800, height: 40 };
    const crowd = [0, 1, 2, 3, 4].map((k) => ({ ...label(`t${k}`, 200 + k * 60, 20, 10 - k, 120, 18), smaller: [{ width: 80, height: 16 }, { width: 50, height: 14 }] }));
    const placed = declutter(crowd, strip);
    expect(placed.map((p) => p.key).sort()).toEqual(['t0', 't1', 't2', 't3', 't4']);
    for (let i = 0; i < placed.length; i++) for (let j = i + 1; j < placed.length; j++) expect(boxesOverlap(placed[i]!.box, placed[j]!.box)).toBe(false);
    // The most important one gets the largest size its neighbours leave room for.
    const sizes = Object.fromEntries(placed.map((p) => [p.key, p.size]));
    expect(sizes.t0).toBeLessThanOrEqual(Math.min(...Object.values(sizes)));
    // Without smaller sizes, fewer fit.
    expect(declutter(crowd.map(({ smaller: _, ...c }) => c), strip).length).toBeLessThan(5);
  });

  it('never returns overlapping boxes or boxes under a panel, whatever sizes the labels offer', () => {
    const panel: [number, number, number, number] = [0, 0, 200, 250];
    const candidates = Array.from({ length: 120 }, (_, i) => ({
      ...label(`l${i}`, (i * 37) % 780, (i * 53) % 580, i % 17, 60 + (i % 5) * 30, 18),
      smaller: [{ width: 50, height: 16 }, { width: 30, height: 14 }],
    }));
    const placed = declutter(candidates, screen, 4, [panel]);
    expect(placed.length).toBeGreaterThan(10);
    for (let i = 0; i < placed.length; i++) {
      expect(boxesOverlap(placed[i]!.box, panel, 4)).toBe(false);
      for (let j = i + 1; j < placed.length; j++) expect(boxesOverlap(placed[i]!.box, placed[j]!.box)).toBe(false);
    }
  });
});

describe('topic labels', async () => {
  const { levelForZoom, placeLabels, topicAnchors } = await import('../../src/map/topic-labels');
  const coords = Float32Array.from([0, 0, 1, 0, 0.5, 0.2, 10, 10, 11, 10, 10.4, 10.1]);
  const level = (topics: number[], labels: string[]) => ({
    topics: Int32Array.from(topics),
    terms: labels.map((label, topic) => ({ topic, size: topics.filter((t) => t === topic).length, terms: [label], label })),
  });
  const levels = [level([0, 0, 0, 0, 0, 0], ['everything']), level([0, 0, 0, 1, 1, 1], ['left', 'right'])];

  it('anchors each topic on its member nearest the centroid', () => {
    const anchors = topicAnchors(levels, coords);
    const close = (v: number) => expect.closeTo(v, 5);
    expect(anchors.map((a) => [a.key, a.text, a.x, a.y])).toEqual([
      ['0:0', 'everything', close(10), close(10)],
      ['1:0', 'left', close(0.5), close(0.2)],
      ['1:1', 'right', close(10.4), close(10.1)],
    ]);
  });

  it('labels the colouring level on the whole map, broad areas zoomed out and finer topics zoomed in', () => {
    expect(levelForZoom(3, 3, 3)).toBe(COLOUR_LEVEL);
    expect(levelForZoom(2, 3, 3)).toBe(0);
    expect(levelForZoom(4.2, 3, 3)).toBe(1);
    expect(levelForZoom(6, 3, 3)).toBe(2);
    expect(levelForZoom(6, 3, 2)).toBe(1);
    const project = (x: number, y: number): [number, number] => [100 + x * 30, 100 + y * 30];
    const placed = placeLabels(topicAnchors(levels, coords), 1, project, { width: 800, height: 600 }, (text) => text.length * 7);
    expect(placed.map((p) => p.text).sort()).toEqual(['left', 'right']);
    // Each is drawn where its box is: the box's centre is the anchor plus the drawing offset.
    for (const p of placed) expect((p.box[1] + p.box[3]) / 2).toBeCloseTo(project(p.x, p.y)[1] + p.offsetY);
  });

  it('a label moved off its anchor to make room is drawn where its box is', async () => {
    const { placeLabels } = await import('../../src/map/topic-labels');
    const anchors = [
      { key: '0:0', level: 0, topic: 0, text: 'big topic', head: 'big topic', size: 50, x: 0, y: 0 },
      { key: '0:1', level: 0, topic: 1, text: 'small topic', head: 'small topic', size: 5, x: 0.5, y: 0 },
    ];
    const placed = placeLabels(anchors, 0, (x, y) => [400 + x * 20, 300 + y * 20], { width: 800, height: 600 }, (text) => text.length * 8);
    expect(placed).toHaveLength(2);
    expect(boxesOverlap(placed[0]!.box, placed[1]!.box)).toBe(false);
    // One of the two had to move off its anchor; each is drawn where its box is.
    expect(Math.max(...placed.map((p) => Math.hypot(p.offsetX, p.offsetY)))).toBeGreaterThan(10);
    for (const p of placed) {
      const [x, y] = [400 + p.x * 20, 300 + p.y * 20];
      expect((p.box[0] + p.box[2]) / 2).toBeCloseTo(x + p.offsetX);
      expect((p.box[1] + p.box[3]) / 2).toBeCloseTo(y + p.offsetY);
    }
  });

  it('shrinks a crowded label, then shortens it to its head term, before dropping it', async () => {
    const { labelVariants, placeLabels, LABEL_FONT_SIZES, MIN_LABEL_FONT_SIZE } = await import('../../src/map/topic-labels');
    const anchor = { text: 'diffusion, image generation', head: 'diffusion' };
    expect(labelVariants(anchor, LABEL_FONT_SIZES[1]!)).toEqual([
      { text: anchor.text, fontSize: LABEL_FONT_SIZES[1] },
      { text: anchor.text, fontSize: LABEL_FONT_SIZES[1]! - 2 },
      { text: anchor.text, fontSize: MIN_LABEL_FONT_SIZE },
      { text: 'diffusion', fontSize: MIN_LABEL_FONT_SIZE },
    ]);
    // Three topics in a row, 120 px apart: their full labels cannot all fit, their heads can.
    const anchors = ['diffusion, image generation samplers', 'quantization, low-bit inference kernels', 'pruning, structured sparsity patterns'].map((text, k) => ({
      key: `1:${k}`, level: 1, topic: k, text, head: text.split(',')[0]!, size: 30 - k, x: k * 6, y: 0,
    }));
    const placed = placeLabels(anchors, 1, (x, y) => [200 + x * 20, 300 + y * 20], { width: 800, height: 600 }, (text, size) => text.length * size * 0.6);
    expect(placed.map((p) => p.topic).sort()).toEqual([0, 1, 2]);
    expect(placed.some((p) => p.text !== anchors[p.topic]!.text || p.fontSize < LABEL_FONT_SIZES[1]!)).toBe(true);
    for (const p of placed) expect([anchors[p.topic]!.text, anchors[p.topic]!.head]).toContain(p.text);
  });
});

describe('labels and panels', () => {
  it('keeps labels clear of the panels floating over the map', () => {
    const panel: [number, number, number, number] = [0, 0, 300, 400];
    expect(declutter([label('under', 150, 200, 9), label('free', 500, 200, 1)], screen, 4, [panel]).map((p) => p.key)).toEqual(['free']);
    // Just below a panel's edge, a label moves down rather than disappearing.
    const placed = declutter([label('edge', 150, 410, 9)], screen, 4, [panel]);
    expect(placed.map((p) => p.key)).toEqual(['edge']);
    expect(placed[0]!.box[1]).toBeGreaterThan(404);
  });
});
