/**
 * The graph canvas's colours, all read from VS Code's `--vscode-*` CSS variables (never
 * hard-coded), and re-read when VS Code switches theme (ui/theme.ts observeTheme).
 */
import { mix, parseColor, rgba, type Rgb } from '../../ui/theme';

/** The fill overlays give a node without a value: drawn neutral and hatched (noValueFill + hatch), never in a scale colour. */
export const NO_VALUE = 'no-value';

/** A fill as a CSS colour: NO_VALUE becomes the neutral no-value fill. */
export function resolveFill(fill: string, theme: GraphTheme): string {
  return fill === NO_VALUE ? theme.noValueFill : fill;
}

export interface GraphTheme {
  kind: 'dark' | 'light' | 'high-contrast';
  background: string;
  foreground: string;
  muted: string;
  border: string;
  frameFill: string;
  frameBorder: string;
  nodeFill: string;
  /** Nodes an overlay has no value for: neutral grey, with `hatch` lines over it. */
  noValueFill: string;
  hatch: string;
  edge: string;
  selection: string;
  error: string;
  /** Op categories: fill (tinted) and stroke per category. */
  categoryFill: string[];
  categoryStroke: string[];
  heatLow: Rgb;
  heatHigh: Rgb;
  font: string;
  mono: string;
}

const CATEGORY_VARS = ['charts-blue', 'charts-purple', 'charts-green', 'charts-orange', 'charts-yellow', 'charts-red', 'charts-foreground'];

export function readTheme(): GraphTheme {
  const style = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => style.getPropertyValue(`--vscode-${name}`).trim() || fallback;
  const cls = document.body.classList;
  const kind = cls.contains('vscode-high-contrast') || cls.contains('vscode-high-contrast-light') ? 'high-contrast' : cls.contains('vscode-light') ? 'light' : 'dark';
  const background = parseColor(v('editor-background', kind === 'light' ? '#ffffff' : '#1e1e1e'));
  const foreground = v('editor-foreground', v('foreground', kind === 'light' ? '#333333' : '#cccccc'));
  const fg = parseColor(foreground);
  const contrast = v('contrastBorder', '');
  // Boxes are a light tint of their category colour over the background; high contrast keeps them
  // black with a bright border, which is what that theme asks of every widget.
  const tint = kind === 'high-contrast' ? 0 : kind === 'light' ? 0.16 : 0.24;
  const categories = CATEGORY_VARS.map((name) => parseColor(v(name, foreground)));
  return {
    kind,
    background: rgba(background, 1),
    foreground,
    muted: v('descriptionForeground', rgba(fg, 0.7)),
    border: contrast || v('widget-border', v('panel-border', rgba(fg, 0.3))),
    frameFill: rgba(mix(background, fg, kind === 'high-contrast' ? 0 : 0.04), 1),
    frameBorder: contrast || rgba(fg, 0.28),
    nodeFill: rgba(mix(background, fg, kind === 'high-contrast' ? 0 : 0.08), 1),
    noValueFill: rgba(mix(background, fg, kind === 'high-contrast' ? 0 : 0.1), 1),
    hatch: rgba(fg, kind === 'high-contrast' ? 0.6 : 0.22),
    edge: kind === 'high-contrast' ? foreground : rgba(fg, 0.45),
    selection: v('focusBorder', '#0078d4'),
    error: v('editorError-foreground', v('errorForeground', '#f14c4c')),
    categoryFill: categories.map((c) => rgba(mix(background, c, tint), 1)),
    categoryStroke: categories.map((c) => rgba(c, 1)),
    heatLow: mix(background, parseColor(v('charts-blue', foreground)), kind === 'high-contrast' ? 0.5 : 0.3),
    heatHigh: parseColor(v('charts-red', v('errorForeground', '#f14c4c'))),
    font: v('font-family', 'sans-serif'),
    mono: v('editor-font-family', 'monospace'),
  };
}

/** Category of an op label for colouring: compute-heavy, activation, normalisation, arithmetic, shape, other. */
export function opCategory(op: string): number {
  const name = op.includes(':') ? op.slice(op.indexOf(':') + 1) : op;
  if (/^(Conv|ConvTranspose|MatMul|Gemm|MatMulInteger|QLinearConv|QLinearMatMul|Attention|MultiHeadAttention|LSTM|GRU|RNN|Einsum)/.test(name)) return 0;
  if (/^(Relu|LeakyRelu|Sigmoid|Tanh|Gelu|Erf|Softmax|LogSoftmax|Elu|Selu|HardSigmoid|HardSwish|Mish|PRelu|Softplus|Clip)$/.test(name)) return 1;
  if (/(Norm|Normalization)$|^(ReduceMean|Dropout)$/.test(name)) return 2;
  if (/^(Add|Sub|Mul|Div|Pow|Sqrt|Exp|Log|Neg|Abs|Reciprocal|Sum|Mean|Max|Min|Where|Equal|Less|Greater|Not|And|Or|Cast)$/.test(name)) return 3;
  if (/^(Reshape|Transpose|Shape|Gather|GatherElements|Unsqueeze|Squeeze|Concat|Slice|Split|Flatten|Expand|Tile|ConstantOfShape|Range|Pad|Resize)$/.test(name)) return 4;
  if (/Pool$|^(Constant)$/.test(name)) return 6;
  return 6;
}
