/**
 * The drawing surface for lasso and rectangle selection: an SVG over the map that takes pointer
 * events (mouse, pen or finger) only while a selection tool is active, so deck.gl still pans and
 * zooms in the default mode. Reports the finished shape in screen pixels relative to the map.
 */
export type Tool = 'pan' | 'lasso' | 'rect';

export interface LassoModifiers {
  add: boolean;
  subtract: boolean;
}

const SVG = 'http://www.w3.org/2000/svg';
/** Ignore pointer moves shorter than this (px): keeps a freehand lasso to a few hundred vertices. */
const MIN_STEP = 3;

export class LassoOverlay {
  private readonly svg: SVGSVGElement;
  private readonly shape: SVGPolygonElement;
  private tool: Tool = 'pan';
  private points: number[] = [];
  private origin: [number, number] | null = null;

  constructor(
    private readonly container: HTMLElement,
    private readonly onComplete: (polygon: number[], modifiers: LassoModifiers) => void,
  ) {
    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.classList.add('lasso-overlay');
    this.svg.setAttribute('aria-hidden', 'true');
    this.shape = document.createElementNS(SVG, 'polygon');
    this.svg.append(this.shape);
    container.append(this.svg);
    this.svg.addEventListener('pointerdown', (e) => this.down(e));
    this.svg.addEventListener('pointermove', (e) => this.move(e));
    this.svg.addEventListener('pointerup', (e) => this.up(e));
    this.svg.addEventListener('pointercancel', () => this.reset());
  }

  setTool(tool: Tool): void {
    this.tool = tool;
    this.svg.dataset.tool = tool;
    this.reset();
  }

  get activeTool(): Tool {
    return this.tool;
  }

  /** Takes the surface off the map (its listeners go with it): the next map brings its own. */
  dispose(): void {
    this.reset();
    this.svg.remove();
  }

  private local(event: PointerEvent): [number, number] {
    const rect = this.container.getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  }

  private down(event: PointerEvent): void {
    if (this.tool === 'pan' || event.button !== 0) return;
    event.preventDefault();
    this.svg.setPointerCapture(event.pointerId);
    this.origin = this.local(event);
    this.points = [...this.origin];
    this.draw();
  }

  private move(event: PointerEvent): void {
    if (!this.origin) return;
    const [x, y] = this.local(event);
    if (this.tool === 'rect') {
      const [x0, y0] = this.origin;
      this.points = [x0, y0, x, y0, x, y, x0, y];
    } else {
      const lx = this.points[this.points.length - 2]!, ly = this.points[this.points.length - 1]!;
      if (Math.hypot(x - lx, y - ly) >= MIN_STEP) this.points.push(x, y);
    }
    this.svg.dataset.mode = event.altKey ? 'subtract' : event.shiftKey ? 'add' : 'replace';
    this.draw();
  }

  private up(event: PointerEvent): void {
    if (!this.origin) return;
    this.move(event);
    const polygon = this.points;
    this.reset();
    if (polygon.length >= 6) this.onComplete(polygon, { add: event.shiftKey, subtract: event.altKey });
  }

  private draw(): void {
    const pairs: string[] = [];
    for (let i = 0; i < this.points.length; i += 2) pairs.push(`${this.points[i]},${this.points[i + 1]}`);
    this.shape.setAttribute('points', pairs.join(' '));
  }

  private reset(): void {
    this.origin = null;
    this.points = [];
    this.shape.setAttribute('points', '');
    delete this.svg.dataset.mode;
  }
}
