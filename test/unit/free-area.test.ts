import { describe, expect, it } from 'vitest';
import { coveredInsets, type Rect } from '../../src/map/free-area';

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
