/**
 * Which model output an evaluation reads, and what task that makes it, decided from the output
 * signature before any data is read (so the data reader can check labels against the classes):
 *
 * - a float output whose last dim is > 1 holds class scores → classification with that many classes;
 * - otherwise, a float column beside an integer (predicted class) output is a binary classifier's
 *   probability or logit of class 1;
 * - otherwise an integer output holds predicted classes only → classification on one-hot scores;
 * - otherwise the (first) float output holds one value per sample → regression.
 *
 * `output` picks the output by name; `task` forces the reading (a single float column read as a
 * classification is a single-output binary classifier: probability or logit of class 1).
 */
import { OnnxLensError } from '../../../core/errors';
import type { EvalTask, TaskOption } from '../../../shared/evalReport';
import type { IoSignature } from '../../../shared/runtimeTypes';

export interface OutputChoice {
  output: IoSignature;
  task: EvalTask;
  role: 'scores' | 'labels' | 'values';
  /** Values per sample known from the signature (last dim); null when symbolic or unknown. */
  columns: number | null;
}

const FLOAT_TYPES = new Set(['float32', 'float64', 'float16']);
const INT_TYPES = new Set(['int64', 'int32', 'int16', 'int8', 'uint8', 'uint16', 'uint32', 'uint64']);

export const isFloatOutput = (o: IoSignature) => FLOAT_TYPES.has(o.elemType);
export const isIntOutput = (o: IoSignature) => INT_TYPES.has(o.elemType);

/** The last dim as a number: 1 for rank ≤ 1 ([N] or a scalar: one value per sample); null when symbolic. */
export function lastDim(o: IoSignature): number | null {
  if (o.dims.length <= 1) return 1;
  const d = o.dims[o.dims.length - 1];
  return typeof d === 'number' ? d : null;
}

const describe = (o: IoSignature) => `'${o.name}' (${o.elemType} [${o.dims.join(', ')}])`;

export function chooseOutput(model: string, outputs: readonly IoSignature[], task: TaskOption, name?: string): OutputChoice {
  const fail = (why: string): never => {
    throw new OnnxLensError(model, why);
  };
  const list = outputs.map(describe).join(', ');
  const numeric = outputs.filter((o) => isFloatOutput(o) || isIntOutput(o));
  if (name !== undefined) {
    const o = outputs.find((x) => x.name === name) ?? fail(`has no output '${name}'; its outputs are ${list}.`);
    if (!numeric.includes(o)) fail(`output ${describe(o)} holds no numbers to evaluate.`);
    return classify(model, o, task);
  }
  if (numeric.length === 0) fail(`has no numeric output to evaluate; its outputs are ${list}.`);
  const scores = outputs.find((o) => isFloatOutput(o) && (lastDim(o) ?? 2) > 1);
  const labels = outputs.find((o) => isIntOutput(o) && lastDim(o) === 1);
  const single = outputs.find((o) => isFloatOutput(o) && lastDim(o) === 1);
  if (task === 'regression') {
    const o = single ?? outputs.find(isFloatOutput) ?? fail(`has no float output to read as a regression; its outputs are ${list}.`);
    return classify(model, o, task);
  }
  if (task === 'classification') return classify(model, scores ?? single ?? labels ?? numeric[0], task);
  if (scores) return classify(model, scores, 'classification');
  // A predicted-class output beside one float column: a binary classifier's P(class 1) or logit.
  if (labels && single) return classify(model, single, 'classification');
  if (labels) return classify(model, labels, 'classification');
  return classify(model, single ?? numeric[0], 'auto');
}

function classify(model: string, o: IoSignature, task: TaskOption): OutputChoice {
  const columns = lastDim(o);
  if (isIntOutput(o)) {
    if (task === 'regression') throw new OnnxLensError(model, `output ${describe(o)} holds integers; a regression needs a float output.`);
    if (columns !== 1) throw new OnnxLensError(model, `output ${describe(o)} holds integers but more than one per sample; choose a score output or a single predicted class.`);
    return { output: o, task: 'classification', role: 'labels', columns };
  }
  const resolved: EvalTask = task === 'auto' ? (columns === 1 ? 'regression' : 'classification') : task;
  if (resolved === 'regression' && columns !== null && columns !== 1) {
    throw new OnnxLensError(model, `output ${describe(o)} gives ${columns} values per sample; a regression is evaluated on one.`);
  }
  return { output: o, task: resolved, role: resolved === 'regression' ? 'values' : 'scores', columns };
}
