import { describe, expect, it } from 'vitest';
import { boxesOverlap, declutter, type LabelCandidate } from '../../src/map/declutter';

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

  it('drops labels that would stick out of the screen', () => {
    expect(declutter([label('edge', 10, 100, 1)], screen)).toEqual([]);
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

  it('labels broad areas zoomed out and finer topics zoomed in', () => {
    expect(levelForZoom(3, 3, 3)).toBe(0);
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
      { key: '0:0', level: 0, topic: 0, text: 'big topic', size: 50, x: 0, y: 0 },
      { key: '0:1', level: 0, topic: 1, text: 'small topic', size: 5, x: 0.5, y: 0 },
    ];
    const placed = placeLabels(anchors, 0, (x, y) => [400 + x * 20, 300 + y * 20], { width: 800, height: 600 }, (text) => text.length * 8);
    const small = placed.find((p) => p.text === 'small topic')!;
    expect(Math.abs(small.offsetY)).toBeGreaterThan(10);
    expect((small.box[1] + small.box[3]) / 2).toBeCloseTo(300 + small.offsetY);
    expect(placed.find((p) => p.text === 'big topic')!.offsetY).toBe(0);
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
