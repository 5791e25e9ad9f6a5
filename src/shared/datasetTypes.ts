/**
 * What reports, requests and the webview say about datasets: formats, label kinds, how dataset
 * columns map onto model inputs (built and checked in src/core/data/mapping.ts) and how an image
 * becomes an input (applied in src/core/data/preprocess.ts). Types only.
 */
import type { Dim, NumericDtype } from './tensorTypes';

export type DatasetFormat = 'csv' | 'tsv' | 'jsonl' | 'npy' | 'npz' | 'idx' | 'image-folder';

/** 'class': integer class indices in Int32Array; 'value': any number (regression) in Float64Array. */
export type LabelKind = 'class' | 'value';

/** A model input as the summary describes it. */
export interface ModelInput {
  name: string;
  dims: readonly Dim[];
  elemType: string;
}

export interface InputBinding {
  input: string;
  /** Dataset columns whose values, concatenated in this order, make one sample of the input. */
  columns: string[];
  /** Shape of one sample (the input's dims after the batch dim, symbolic ones resolved from the data). */
  sampleDims: number[];
  /**
   * The input's batch dim: a number (fixed) or a name (free); null when the input has no batch
   * dim and takes exactly one sample (all dims fixed, e.g. [1, 64] or [3, 224, 224]).
   */
  batchDim: number | string | null;
  elemType: NumericDtype;
}

export interface DatasetMapping {
  version: 1;
  labelColumn: string | null;
  inputs: InputBinding[];
}

// How an image becomes a model input.

export type ResizeMode =
  /** Scale each axis independently to width × height (aspect ratio not kept). */
  | 'stretch'
  /** Keep the aspect ratio; the image's shorter side (relative to the target) fills the target. */
  | 'shorter-side';

export type CropMode =
  /** After a 'shorter-side' resize, cut the centre width × height out of the overflow. */
  | 'center'
  /** Keep the whole image: a 'shorter-side' resize then fits inside and is padded with black. */
  | 'none';

export type ImageLayout = 'NCHW' | 'NHWC';

export type ChannelOrder = 'rgb' | 'bgr' | 'gray';

export interface PreprocessSpec {
  width: number;
  height: number;
  resize: ResizeMode;
  crop: CropMode;
  layout: ImageLayout;
  channels: ChannelOrder;
  /** Applied to 0–255 pixel values before mean/std, e.g. 1/255. */
  scale: number;
  /** One value per output channel (in output order, so BGR means for 'bgr'), or one for all. */
  mean: number[];
  std: number[];
}
