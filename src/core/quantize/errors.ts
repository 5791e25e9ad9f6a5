/** Quantization failures: always one sentence naming the file (the model, the data or the output). */
import { OnnxLensError } from '../errors';

export class QuantizeError extends OnnxLensError {}
