/**
 * The smallest wire types about tensors, named by the model reader (src/core/onnx/), the data
 * readers (src/core/data/), the runtime, the reports and the webview alike. Types only.
 */

/** A dimension: a fixed size, a symbolic name (dim_param), or unknown. */
export type Dim = number | string | null;

/** Element types a data file can hold. */
export type NumericDtype =
  | 'float16' | 'float32' | 'float64'
  | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint8' | 'uint16' | 'uint32' | 'uint64'
  | 'bool';
