/**
 * The data layer's public surface: tensors from files for the Run panel (npy, npz, JSON, images)
 * and streaming datasets for evaluation (openDataset → autoMapping → inputPlan/batchInputs).
 */
export { DatasetError, type DatasetLocation } from './errors';
export type { NdArray, TensorArray } from './ndarray';
export type { NumericDtype } from '../../shared/tensorTypes';
export { encodeNpy, parseNpy, readNpy } from './npy';
export { encodeNpz, parseNpz, readNpz, type NpzArrays } from './npz';
export { parseJsonTensors, readJsonTensors, type JsonTensor, type JsonTensors } from './jsonTensor';
export { defaultPreprocess, preprocessProblems, sampleShape } from './preprocess';
export type { PreprocessSpec } from '../../shared/datasetTypes';
export { loadImageTensor, type ImageTensor } from './image';
export { openDataset } from './dataset';
export type { Batch, DatasetColumn, DatasetReader, OpenDatasetOptions } from './types';
export type { DatasetFormat, LabelKind } from '../../shared/datasetTypes';
export { autoMapping, batchSizeFor, checkMapping, modelInputs, type DatasetMapping, type InputBinding, type ModelInput } from './mapping';
export { batchInputs, inputPlan, type InputPlan, type BatchInputs } from './batchInputs';
