/**
 * What every pass of a model over labelled data starts from, for the evaluation and the
 * robustness sweep alike: the session and the output read (and the task it implies), the class
 * names the model brings, the options the dataset is opened with, and the report's data and
 * output descriptions.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { modelInputs, type ModelInput } from '../../../core/data/mapping';
import { defaultPreprocess } from '../../../core/data/preprocess';
import type { OpenDatasetOptions } from '../../../core/data/types';
import type { EvalDataInfo, EvalOutputInfo, EvalReport, TaskOption } from '../../../shared/evalReport';
import type { IoSignature, SessionOptionsSpec } from '../../../shared/runtimeTypes';
import type { EvalDatasetOptions } from '../../methods';
import { modelFile, modelLabels } from '../ort/modelFiles';
import { optionsKey } from '../ort/sessionOptions';
import { laneShape, weightBytes, type LaneSpec } from './lanes';
import { getSession, sessionSignature, type CachedSession } from '../ort/sessions';
import { chooseOutput, type OutputChoice } from './outputs';
import type { PassResult } from './pass';
import type { ScoredClassification, ScoredRegression } from './score';

export interface Model {
  path: string;
  cached: CachedSession;
  signature: { inputs: IoSignature[]; outputs: IoSignature[] };
  choice: OutputChoice;
}

export async function loadModel(file: string, options: SessionOptionsSpec, task: TaskOption, output: string | undefined): Promise<Model> {
  const cached = await getSession(file, options, [], 'evaluation');
  const signature = sessionSignature(cached.session);
  return { path: cached.file.path, cached, signature, choice: chooseOutput(path.basename(file), signature.outputs, task, output) };
}

/** How an evaluation spreads over the cores (lanes.ts): the sessions' options, and the lanes of its passes. */
export interface LanePlan {
  /** The options the main thread's sessions are built with (with lanes beside it, its share of the threads). */
  options: SessionOptionsSpec;
  /** The lane workers of a pass of these (loaded) models; undefined when this thread runs alone. */
  lanes(models: Model[]): { spec: LaneSpec; count: number } | undefined;
}

/**
 * Decided before the sessions are built, from the files' sizes: with lanes, the main thread's
 * session runs its share of the threads too, so all sessions together use the threads asked for.
 */
export function lanePlan(options: SessionOptionsSpec, files: string[]): LanePlan {
  const bytes = files.reduce((sum, f) => sum + weightBytes(modelFile(f)), 0);
  const shape = laneShape(options, options.executionProvider ?? 'cpu', bytes);
  if (shape.lanes <= 1) return { options, lanes: () => undefined };
  const each = { ...options, intraOpThreads: shape.threads };
  return {
    options: each,
    lanes(models) {
      // A model that fell back from another provider has count 1 already; one whose session is on
      // another provider after all is not spread.
      if (models.some((m) => m.cached.provider !== 'cpu')) return undefined;
      const key = models.map((m) => `${m.path}|${m.cached.file.mtimeMs}|${m.cached.file.size}`).join('\n') + `|${optionsKey(each)}`;
      return { spec: { key, models: models.map((m) => ({ path: m.path, options: each, fetch: m.choice.output.name })) }, count: shape.lanes - 1 };
    },
  };
}

/** The model's inputs as the dataset mapping sees them. */
export function inputsOf(model: Model): ModelInput[] {
  return modelInputs(model.signature.inputs.map((s) => ({ name: s.name, elemType: s.elemType, shape: s.dims })));
}

/** Classes the chosen output scores (its columns); undefined when the output holds labels or its width is not fixed. */
function classCount(choice: OutputChoice): number | undefined {
  if (choice.task !== 'classification' || choice.role === 'labels' || choice.columns === null) return undefined;
  return choice.columns === 1 ? 2 : choice.columns;
}

export interface ModelClasses {
  /** The model's own class names (metadata or a labels file beside it), when their count fits. */
  fallbackNames: { names: string[]; source: string } | null;
  /** Why a labels list of the model was not used. */
  note: string | null;
  numClasses: number | undefined;
}

/**
 * The model's class names (metadata or a labels file beside it, as the options allow) apply only
 * when their count is the output's class count; an output of labels takes the list's length.
 */
export function modelClasses(model: Model, options: SessionOptionsSpec): ModelClasses {
  const scoredClasses = classCount(model.choice);
  const lookup = model.choice.task === 'classification' ? modelLabels(model.cached.file, options, scoredClasses) : { found: null, note: null };
  const fallbackNames = lookup.found ? { names: lookup.found.labels, source: lookup.found.source } : null;
  const numClasses = model.choice.role === 'labels' ? lookup.found?.labels.length || undefined : scoredClasses;
  return { fallbackNames, note: lookup.note, numClasses };
}

/** Image-folder datasets are preprocessed for the model's (first) input unless told otherwise. */
export function openOptions(p: { labelColumn?: string; dataset?: EvalDatasetOptions }, choice: OutputChoice, numClasses: number | undefined, inputs: readonly ModelInput[]): OpenDatasetOptions {
  return {
    ...p.dataset,
    ...(p.labelColumn !== undefined ? { labelColumn: p.labelColumn } : {}),
    labelKind: choice.task === 'classification' ? 'class' : 'value',
    ...(numClasses !== undefined ? { numClasses } : {}),
    preprocess: p.dataset?.preprocess ?? (inputs.length > 0 ? defaultPreprocess(inputs[0].dims) : undefined),
  };
}

function statData(file: string): number {
  try {
    const st = fs.statSync(file);
    return st.isFile() ? st.size : 0;
  } catch {
    return 0;
  }
}

export function dataInfo(pass: PassResult, fallbackNames: { names: string[]; source: string } | null, numClasses: number | null): EvalDataInfo {
  const m = pass.meta;
  let classNames = m.classNames;
  let classNamesSource = m.classNamesSource;
  if (!classNames && fallbackNames && numClasses !== null && fallbackNames.names.length === numClasses) {
    classNames = fallbackNames.names;
    classNamesSource = `model (${fallbackNames.source})`;
  }
  return {
    path: path.resolve(m.file), format: m.format, samples: pass.n, bytes: m.totalBytes || statData(m.file), labelColumn: m.labelColumn ?? 'label',
    labelKind: m.labelKind, classNames: classNames ?? null, classNamesSource: classNames ? classNamesSource : null,
  };
}

export function outputInfo(model: Model, scored: ScoredClassification | ScoredRegression, columns: number): EvalOutputInfo {
  const o = model.choice.output;
  return {
    name: o.name, elemType: o.elemType, role: model.choice.role, columns,
    probabilitySource: 'probabilitySource' in scored ? scored.probabilitySource : null,
    otherOutputs: model.signature.outputs.map((x) => x.name).filter((n) => n !== o.name),
  };
}

export function sourceKind(format: string): EvalReport['drilldown']['sourceKind'] {
  return format === 'csv' || format === 'tsv' || format === 'jsonl' ? 'line' : format === 'image-folder' ? 'path' : 'index';
}
