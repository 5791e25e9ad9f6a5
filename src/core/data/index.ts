/**
 * The data layer's public surface: tensors from files for the Run panel (npy, npz, JSON, images)
 * and streaming datasets for evaluation (openDataset → autoMapping → inputPlan/batchInputs).
 */
export { DatasetError, type DatasetLocation } from './errors';
export type { NdArray, NumericDtype, TensorArray } from './ndarray';
export { encodeNpy, parseNpy, readNpy } from './npy';
export { encodeNpz, parseNpz, readNpz, type NpzArrays } from './npz';
export { parseJsonTensors, readJsonTensors, type JsonTensor, type JsonTensors } from './jsonTensor';
export { defaultPreprocess, preprocessProblems, sampleShape, type PreprocessSpec } from './preprocess';
export { loadImageTensor, type ImageTensor } from './image';
export { openDataset } from './dataset';
export type { Batch, DatasetColumn, DatasetFormat, DatasetReader, LabelKind, OpenDatasetOptions } from './types';
export { autoMapping, batchSizeFor, checkMapping, modelInputs, type DatasetMapping, type InputBinding, type ModelInput } from './mapping';
export { batchInputs, inputPlan, type InputPlan, type BatchInputs } from './batchInputs';
