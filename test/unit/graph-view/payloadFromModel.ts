/**
 * Test helper: a GraphPayload from encoded model bytes or a model file, through the same
 * pipeline the host runs (reader → graph → shape inference → buildGraphPayload).
 */
import * as path from 'node:path';
import { inferModelShapes } from '../../../src/core/modelAnalysis';
import { buildGraph } from '../../../src/core/graph/build';
import { buildGraphPayload } from '../../../src/core/graph/payload';
import { readModelBytes, readModelFile, type OnnxModel } from '../../../src/core/onnx/reader';
import type { GraphPayload } from '../../../src/shared/graphPayload';

function payloadOf(model: OnnxModel, fileName: string): GraphPayload {
  try {
    const graph = buildGraph(model.info.graph);
    return buildGraphPayload({ graph, inference: inferModelShapes(model, graph) }, fileName, `test:${fileName}`);
  } finally {
    model.close();
  }
}

export function payloadFromBytes(bytes: Uint8Array, fileName = 'model.onnx'): GraphPayload {
  return payloadOf(readModelBytes(bytes, fileName), fileName);
}

export function payloadFromFile(file: string): GraphPayload {
  return payloadOf(readModelFile(file), path.basename(file));
}

/** The ONNX light models (DenseNet-121 etc.; test/fixtures/prerequisites.ts says where they come from). */
export { LIGHT_MODELS_DIR as LIGHT_MODELS } from '../../fixtures/prerequisites';
