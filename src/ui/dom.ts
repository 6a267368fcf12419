/**
 * The only way the UI makes elements: text always goes in as textContent, never as HTML, because
 * titles and abstracts are untrusted input.
 */
type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; title?: string; attrs?: Record<string, string>; style?: Partial<CSSStyleDeclaration> } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.title) node.title = props.title;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  // Styles go through the CSSOM, which a Content-Security-Policy without 'unsafe-inline' allows.
  if (props.style) Object.assign(node.style, props.style);
  for (const child of children) if (child) node.append(child);
  return node;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from index.html`);
  return node as T;
}

/** Hands a file to the browser's downloads. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/**
 * A button that folds a panel to its header line and back: the panel's `data-collapsed` says which
 * (style.css hides the rest), and the button says what a click will do.
 */
export function foldButton(panel: HTMLElement, name: string, onChange: (collapsed: boolean) => void = () => undefined): HTMLButtonElement {
  const button = el('button', { className: 'icon-button fold', attrs: { type: 'button' } });
  button.addEventListener('click', () => {
    setFolded(panel, panel.dataset.collapsed !== 'true');
    onChange(panel.dataset.collapsed === 'true');
  });
  button.dataset.name = name;
  panel.dataset.collapsed ??= 'false';
  syncFold(panel, button);
  return button;
}

export function setFolded(panel: HTMLElement, collapsed: boolean): void {
  panel.dataset.collapsed = String(collapsed);
  const button = panel.querySelector<HTMLButtonElement>(':scope > header > .fold');
  if (button) syncFold(panel, button);
}

function syncFold(panel: HTMLElement, button: HTMLButtonElement): void {
  const collapsed = panel.dataset.collapsed === 'true';
  button.setAttribute('aria-expanded', String(!collapsed));
  button.setAttribute('aria-label', `${collapsed ? 'Show' : 'Hide'} ${button.dataset.name}`);
  button.title = `${collapsed ? 'Show' : 'Hide'} ${button.dataset.name}`;
}
