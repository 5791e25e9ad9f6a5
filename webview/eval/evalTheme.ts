/**
 * Colours of the evaluation views, read from the theme's `--vscode-*` variables on every call
 * (themes change live): one colour per class for the curves, good/bad for correct/wrong, and the
 * confusion matrix's two ramps (correct cells towards charts-blue, mistakes towards charts-red).
 */
import { mix, parseColor, rgba, themeVar, type Rgb } from '../ui/theme';

const CLASS_VARS: [string, string][] = [
  ['charts-blue', '#3794ff'], ['charts-orange', '#d18616'], ['charts-green', '#89d185'],
  ['charts-purple', '#b180d7'], ['charts-red', '#f14c4c'], ['charts-yellow', '#cca700'],
];

function foreground(): Rgb {
  return parseColor(themeVar('editor-foreground', themeVar('foreground', '#cccccc')));
}

export function background(): Rgb {
  return parseColor(themeVar('editor-background', '#1e1e1e'));
}

/**
 * `n` distinct colours: the theme's six chart colours, then the same six mixed towards the
 * foreground, then towards the background (18 before they repeat; beyond that legends tell apart).
 */
export function classColours(n: number): string[] {
  const base = CLASS_VARS.map(([name, fallback]) => parseColor(themeVar(name, fallback)));
  const fg = foreground();
  const bg = background();
  return Array.from({ length: n }, (_, i) => {
    const c = base[i % base.length];
    const round = Math.floor(i / base.length) % 3;
    return rgba(round === 0 ? c : round === 1 ? mix(c, fg, 0.45) : mix(c, bg, 0.4), 1);
  });
}

/** Correct vs wrong (and positive vs negative) series. */
export function goodBad(): { good: string; bad: string } {
  return { good: themeVar('charts-blue', '#3794ff'), bad: themeVar('charts-red', themeVar('errorForeground', '#f14c4c')) };
}

/** Chance lines and references: the muted text colour. */
export function referenceColour(): string {
  return themeVar('descriptionForeground', themeVar('foreground', '#888888'));
}

/** Relative luminance (WCAG) of an opaque colour. */
function luminance(c: Rgb): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

export interface CellColours {
  background: string;
  text: string;
}

/**
 * A confusion-matrix cell's colours for a row share in [0, 1]: from the editor background towards
 * charts-blue (diagonal) or charts-red (mistakes). The share goes through a square root so a 2 %
 * mistake is still visible beside a 95 % diagonal; the text is black or white, whichever reads better.
 */
export function cellColours(share: number, correct: boolean): CellColours {
  const bg = background();
  const hue = parseColor(correct ? themeVar('charts-blue', '#3794ff') : themeVar('charts-red', themeVar('errorForeground', '#f14c4c')));
  const t = share > 0 ? 0.12 + 0.88 * Math.sqrt(Math.min(1, share)) : 0;
  const c = mix(bg, hue, t);
  const l = luminance(c);
  // Contrast against white (1.05 / (l + 0.05)) vs against black ((l + 0.05) / 0.05).
  const text = 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? '#ffffff' : '#000000';
  return { background: rgba(c, 1), text: share > 0 ? text : themeVar('descriptionForeground', rgba(foreground(), 0.7)) };
}
