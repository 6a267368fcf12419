import { describe, expect, it } from 'vitest';
import { coveredInsets, framePoints, revealShift, type Insets, type Rect } from '../../src/map/free-area';

describe('coveredInsets', () => {
  const [W, H] = [1280, 800];

  it('counts a wide bar at the top against the top, a tall panel at a side against that side', () => {
    const topbar: Rect = [12, 12, 933, 61];
    const legend: Rect = [12, 69, 272, 788];
    const details: Rect = [848, 69, 1268, 788];
    const toolbar: Rect = [416, 748, 824, 788];
    expect(coveredInsets([topbar, legend, details, toolbar], W, H)).toEqual({ top: 61, left: 272, right: 1280 - 848, bottom: 800 - 748 });
  });

  it('counts a small box in a corner against the edge that hides the least of the map', () => {
    // A one-line chip at the bottom left: a 52 px strip along the bottom, not a 224 px one down the left.
    expect(coveredInsets([[12, 748, 224, 788]], W, H)).toEqual({ top: 0, right: 0, bottom: 52, left: 0 });
  });

  it('on a phone, bands across the width count against the top and the bottom', () => {
    const [w, h] = [390, 844];
    const band: Rect = [12, 100, 378, 454];
    const sheet: Rect = [12, 500, 378, 784];
    expect(coveredInsets([band, sheet, [110, 792, 281, 832]], w, h)).toEqual({ top: 454, right: 0, bottom: 344, left: 0 });
  });

  it('keeps the deepest box per edge, and ignores empty or off-screen boxes', () => {
    expect(coveredInsets([[0, 0, 100, 700], [0, 0, 300, 700], [0, 0, 0, 0], [-50, 10, -10, 20], [W + 5, 0, W + 50, 10]], W, H)).toEqual({ top: 0, right: 0, bottom: 0, left: 300 });
  });
});

describe('framePoints', () => {
  const none: Insets = { top: 0, right: 0, bottom: 0, left: 0 };
  // Four corners of a 20 × 10 box centred on (5, 5), and where a view puts a map position on screen.
  const box = Float32Array.from([-5, 0, 15, 0, -5, 10, 15, 10]);
  const onScreen = (x: number, frame: { centre: [number, number]; zoom: number }, width: number) => width / 2 + (x - frame.centre[0]) * 2 ** frame.zoom;

  it('frames the points in the whole map when no panel covers it, 16 px clear of the edges', () => {
    const frame = framePoints(box, null, 1000, 600, none)!;
    expect(frame.centre).toEqual([5, 5]);
    // 968 px for 20 units across, 568 px for 10 units down: the width decides.
    expect(2 ** frame.zoom).toBeCloseTo(968 / 20, 10);
  });

  it('centres the points in the area a panel leaves free, not in the window', () => {
    const frame = framePoints(box, null, 1000, 600, { ...none, left: 300 })!;
    expect(2 ** frame.zoom).toBeCloseTo((1000 - 300 - 32) / 20, 10);
    expect(onScreen(5, frame, 1000)).toBeCloseTo(300 + 700 / 2, 6);
    expect(onScreen(-5, frame, 1000)).toBeCloseTo(300 + 16, 6);
  });

  it('ignores panels that would leave less than a quarter of a direction', () => {
    expect(framePoints(box, null, 1000, 600, { ...none, left: 400, right: 400 })).toEqual(framePoints(box, null, 1000, 600, none));
  });

  it('frames only the given points, gives a single point some context, and has no view for none', () => {
    const one = framePoints(box, [3], 1000, 600, none)!;
    expect(one.centre).toEqual([15, 10]);
    expect(2 ** one.zoom).toBeCloseTo(568 / 0.5, 10);
    expect(framePoints(box, [], 1000, 600, none)).toBeNull();
    expect(framePoints(new Float32Array(0), null, 1000, 600, none)).toBeNull();
  });
});

describe('revealShift', () => {
  const details: Insets = { top: 70, right: 430, bottom: 0, left: 0 };

  it('leaves a point in the free area where it is', () => {
    expect(revealShift(400, 300, 1280, 800, details)).toEqual([0, 0]);
    expect(revealShift(1280 - 430 - 16, 70 + 16, 1280, 800, details)).toEqual([0, 0]);
  });

  it('moves a point under a panel just inside the free area, 16 px from its edge', () => {
    // At x = 1000 under a 430-px right panel: the view moves 1000 − (1280 − 430 − 16) = 166 px right.
    expect(revealShift(1000, 300, 1280, 800, details)).toEqual([166, 0]);
    expect(revealShift(400, 20, 1280, 800, details)).toEqual([0, 20 - 86]);
    expect(revealShift(1270, 790, 1280, 800, { top: 0, right: 430, bottom: 60, left: 0 })).toEqual([1270 - 834, 790 - 724]);
  });

  it('on a phone, moves the point above the sheet the details fill, but not into a sliver', () => {
    // A 156-px band between the top bar (70) and the sheet (from 216): the point goes to its bottom edge.
    expect(revealShift(300, 650, 390, 844, { top: 70, right: 0, bottom: 628, left: 0 })).toEqual([0, 650 - 200]);
    expect(revealShift(200, 400, 390, 844, { top: 0, right: 0, bottom: 0, left: 350 })).toEqual([0, 0]);
  });
});
