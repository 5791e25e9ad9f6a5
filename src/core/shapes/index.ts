/** Static shape/type inference, parameter counts and MACs. */
export { inferShapes, fromTypeInfo, type LoadTensor } from './infer';
export { registeredOps } from './registry';
export { evalDimAsOne } from './dims';
export type { ConstValue, InferenceResult, NodeCost, TensorType } from './types';
