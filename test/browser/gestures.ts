/** Pointer gestures on the map and the test's own geometry, independent of the app's. */
import type { Page } from 'playwright-core';

export type Point = [number, number];

/** The test's own even–odd point-in-polygon check, independent of the app's. */
export function inside([x, y]: Point, polygon: Point[]): boolean {
  let result = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!, [xj, yj] = polygon[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) result = !result;
  }
  return result;
}

export function ellipse([cx, cy]: Point, rx: number, ry: number, vertices = 48): Point[] {
  return Array.from({ length: vertices }, (_, k) => [cx + rx * Math.cos((2 * Math.PI * k) / vertices), cy + ry * Math.sin((2 * Math.PI * k) / vertices)] as Point);
}

export async function screenPoints(page: Page): Promise<{ id: string; at: Point }[]> {
  return page.evaluate(() => window.papermap.points().map((p) => ({ id: p.id, at: window.papermap.screenPosition(p.id)! })));
}

export async function drag(page: Page, polygon: Point[], modifier?: 'Shift' | 'Alt'): Promise<void> {
  if (modifier) await page.keyboard.down(modifier);
  await page.mouse.move(...polygon[0]!);
  await page.mouse.down();
  for (const p of [...polygon.slice(1), polygon[0]!]) await page.mouse.move(...p);
  await page.mouse.up();
  if (modifier) await page.keyboard.up(modifier);
}

