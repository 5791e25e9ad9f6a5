/**
 * The page's colours come from VS Code's theme: `--vscode-*` CSS variables read when drawn (never
 * hard-coded), and re-read when VS Code switches theme (it swaps `vscode-dark|light|high-contrast`
 * on <body> and rewrites the variables). Colour arithmetic for canvases and charts.
 */

/** A `--vscode-*` variable of the current theme (read on every call: themes change live). */
export function themeVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(`--vscode-${name}`).trim() || fallback;
}

export interface Rgb {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** Normalises any CSS colour through a canvas context (it parses every CSS colour syntax); made on first use, so importing the renderer needs no DOM. */
let probe: CanvasRenderingContext2D | null = null;

export function parseColor(css: string, fallback = '#888888'): Rgb {
  probe ??= document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;
  probe.fillStyle = fallback;
  probe.fillStyle = css.trim() || fallback;
  const value = probe.fillStyle;
  if (value.startsWith('#')) {
    return { r: parseInt(value.slice(1, 3), 16), g: parseInt(value.slice(3, 5), 16), b: parseInt(value.slice(5, 7), 16), a: 1 };
  }
  const parts = value.match(/[\d.]+/g)?.map(Number) ?? [136, 136, 136, 1];
  return { r: parts[0], g: parts[1], b: parts[2], a: parts[3] ?? 1 };
}

export function rgba(c: Rgb, alpha = c.a): string {
  return `rgba(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)}, ${alpha})`;
}

/** Linear mix of two colours, t in [0, 1] (0 = a). Opaque result. */
export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return { r: a.r + (b.r - a.r) * t, g: a.g + (b.g - a.g) * t, b: a.b + (b.b - a.b) * t, a: 1 };
}

/** Calls `onChange` whenever VS Code switches theme (body class or inline style variables change). */
export function observeTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(() => onChange());
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  return () => observer.disconnect();
}
