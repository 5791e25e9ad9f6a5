import * as assert from 'node:assert/strict';
import type { IoSignature } from '../../../src/shared/runtimeTypes';
import type { RunSetup } from '../../../src/shared/protocol';
import {
  concreteDims, defaultSource, formatScale, hasSymbolicBatch, initialState, inputOfError, parseFloats, parseNumberList, parseScale, setupProblems, sourceFor, symbolLabel, symbolsOf, toRunSetup,
} from '../../../webview/run/setup';
import { readableSymbol } from '../../../src/core/inputs/inputGuess';

const bert: IoSignature[] = [
  { name: 'input_ids', elemType: 'int64', dims: ['batch', 'sequence'] },
  { name: 'attention_mask', elemType: 'int64', dims: ['batch', 'sequence'] },
];
const image: IoSignature[] = [{ name: 'data_0', elemType: 'float32', dims: [1, 3, 224, 224] }];

describe('run view: input setup', () => {
  it('guesses sources that run: pixels in [0, 1], noise for other floats, ones for masks, small non-negative integers for ids', () => {
    assert.deepEqual(defaultSource(image[0]), { kind: 'random', distribution: 'uniform', seed: 0, low: 0, high: 1 });
    assert.deepEqual(defaultSource({ name: 'features', elemType: 'float32', dims: ['batch', 64] }), { kind: 'random', distribution: 'normal', seed: 0 });
    assert.deepEqual(defaultSource(bert[1]), { kind: 'ones' });
    assert.deepEqual(defaultSource(bert[0]), { kind: 'random', distribution: 'uniform', seed: 0, low: 0, high: 10 });
    assert.deepEqual(defaultSource({ name: 'flag', elemType: 'bool', dims: [1] }), { kind: 'ones' });
  });

  it('shares a named symbolic dim between inputs, so batch and sequence always agree', () => {
    assert.deepEqual(symbolsOf(bert), ['batch', 'sequence']);
    const state = initialState(bert, null);
    state.symbols.sequence = 16;
    const setup = toRunSetup(bert, state);
    assert.deepEqual(setup.inputs.map((i) => i.dims), [[1, 16], [1, 16]]);
  });

  it('starts symbolic dims from their role: PP-OCR\'s text line is 48 × 320, not 48 × 1; names read as roles', () => {
    const ocr: IoSignature[] = [{ name: 'x', elemType: 'float32', dims: ['p2o.DynamicDimension.0', 3, 48, 'p2o.DynamicDimension.1'] }];
    const state = initialState(ocr, null);
    assert.deepEqual(toRunSetup(ocr, state).inputs[0].dims, [1, 3, 48, 320]);
    assert.equal(state.guesses['p2o.DynamicDimension.1'].why, 'a text line 48 px high');
    assert.deepEqual([symbolLabel(ocr[0], 0, ocr[0].dims[0]), symbolLabel(ocr[0], 3, ocr[0].dims[3])], ['batch', 'width']);
    assert.equal(readableSymbol('p2o.DynamicDimension.7'), 'dynamic 7');
    const free: IoSignature[] = [{ name: 'images', elemType: 'float32', dims: ['N', 3, 'H', 'W'] }];
    assert.deepEqual(toRunSetup(free, initialState(free, null)).inputs[0].dims, [1, 3, 224, 224]);
    assert.deepEqual(toRunSetup(free, initialState(free, null, { imgsz: 640 })).inputs[0].dims, [1, 3, 640, 640], "the model's metadata first");
    const nhwc: IoSignature[] = [{ name: 'img', elemType: 'float32', dims: ['b', 'h', 'w', 3] }];
    assert.deepEqual(toRunSetup(nhwc, initialState(nhwc, null)).inputs[0].dims, [1, 224, 224, 3]);
  });

  it('asks for a symbolic dim it has no hint for (it starts at 1, marked), and takes a hint named like it', () => {
    const sig: IoSignature[] = [{ name: 'audio', elemType: 'float32', dims: ['batch', 'samples'] }];
    assert.deepEqual(initialState(sig, null).guesses.samples, { value: 1, why: null });
    assert.deepEqual(initialState(sig, null, { samples: 16000 }).guesses.samples, { value: 16000, why: "model metadata 'samples'" });
  });

  it('reads a row of a dataset as a source and asks for the file and a row number', () => {
    const sig = { name: 'input', elemType: 'float32', dims: ['batch', 64] } satisfies IoSignature;
    assert.deepEqual(sourceFor('dataset', { kind: 'zeros' }, sig), { kind: 'dataset', path: '', row: 0 });
    const state = initialState([sig], null);
    state.sources.input = { kind: 'dataset', path: '', row: -1 };
    assert.deepEqual(setupProblems([sig], state).map((p) => p.message), [
      "Input 'input': choose a file first (a dataset: CSV, JSON Lines, .npy or .npz).",
      "Input 'input': the row must be a whole number from 0.",
    ]);
  });

  it('gives unnamed dynamic dims (-1) a field per input and axis, defaulting to 1', () => {
    const sig: IoSignature[] = [{ name: 'x', elemType: 'float32', dims: [-1, 4] }, { name: 'y', elemType: 'float32', dims: [-1] }];
    assert.deepEqual(symbolsOf(sig), ['x[0]', 'y[0]']);
    assert.deepEqual(concreteDims(sig[0], { 'x[0]': 3 }), [3, 4]);
    assert.deepEqual(concreteDims(sig[1], {}), [1]);
  });

  it('restores the saved setup where it still fits the model, and defaults the rest', () => {
    const saved: RunSetup = {
      inputs: [
        { name: 'input_ids', source: { kind: 'constant', value: 7 }, dims: [2, 32] },
        { name: 'gone', source: { kind: 'zeros' }, dims: [1] },
        { name: 'attention_mask', source: { kind: 'zeros' }, dims: [2] }, // rank changed: ignored
      ],
      options: { intraOpThreads: 2, interOpThreads: 0, graphOptimization: 'basic', executionMode: 'sequential' },
    };
    const state = initialState(bert, saved);
    assert.deepEqual(state.sources.input_ids, { kind: 'constant', value: 7 });
    assert.deepEqual(state.sources.attention_mask, { kind: 'ones' });
    assert.deepEqual(state.symbols, { batch: 2, sequence: 32 });
    assert.equal(state.options.intraOpThreads, 2);
    assert.equal(state.options.graphOptimization, 'basic');
  });

  it('keeps the seed when switching between random kinds and prefills an image from the dims', () => {
    const uniform = sourceFor('uniform', { kind: 'random', distribution: 'normal', seed: 42 }, image[0]);
    assert.deepEqual(uniform, { kind: 'random', distribution: 'uniform', seed: 42, low: 0, high: 1 });
    const img = sourceFor('image', { kind: 'zeros' }, image[0]);
    assert.equal(img.kind, 'image');
    if (img.kind === 'image') {
      assert.equal(img.path, '');
      assert.deepEqual([img.preprocess.width, img.preprocess.height, img.preprocess.layout, img.preprocess.channels], [224, 224, 'NCHW', 'rgb']);
    }
    const gray = sourceFor('image', { kind: 'zeros' }, { name: 'x', elemType: 'float32', dims: ['N', 1, 28, 28] });
    assert.ok(gray.kind === 'image' && gray.preprocess.channels === 'gray' && gray.preprocess.width === 28);
  });

  it('names the input in every problem it finds before a run', () => {
    const state = initialState(bert, null);
    state.symbols.sequence = 0;
    state.sources.input_ids = { kind: 'npy', path: '' };
    state.options.intraOpThreads = -1;
    const messages = setupProblems(bert, state).map((p) => p.message);
    assert.deepEqual(messages, [
      "Input 'input_ids': choose a file first (a .npy or .npz file).",
      "Input 'attention_mask': sequence must be a whole number of at least 1.",
      'Session options: intra-op threads must be a whole number from 0 (automatic) to 1024.',
    ]);
  });

  it('checks an image source with the core preprocessing rules', () => {
    const state = initialState(image, null);
    const img = sourceFor('image', state.sources.data_0, image[0]);
    assert.ok(img.kind === 'image');
    state.sources.data_0 = { ...img, path: '/x/cat.jpg', preprocess: { ...img.preprocess, std: [0.2, 0.2, 0] } };
    assert.deepEqual(setupProblems(image, state).map((p) => p.input), ['data_0']);
    assert.match(setupProblems(image, state)[0].message, /^Input 'data_0': std must not be 0\.$/);
  });

  it('parses thread and batch lists, with auto for threads, and says what is wrong', () => {
    assert.deepEqual(parseNumberList('1, 2 4;8', { min: 1, max: 4096, what: 'Batch sizes' }), { values: [1, 2, 4, 8] });
    assert.deepEqual(parseNumberList('auto,1,1,2', { min: 0, max: 256, what: 'Threads', allowAuto: true }), { values: [0, 1, 2] });
    assert.deepEqual(parseNumberList('', { min: 1, max: 8, what: 'Batch sizes' }), { values: [] });
    assert.deepEqual(parseNumberList('1, x', { min: 1, max: 8, what: 'Batch sizes' }), { error: "Batch sizes: 'x' is not a whole number from 1 to 8." });
    assert.deepEqual(parseNumberList('1.5', { min: 0, max: 8, what: 'Threads', allowAuto: true }), { error: "Threads: '1.5' is not a whole number from 0 to 8 (or auto)." });
    assert.deepEqual(parseFloats('0.485, 0.456 0.406'), [0.485, 0.456, 0.406]);
    assert.ok(Number.isNaN(parseFloats('1, a')[1]));
  });

  it('offers a batch sweep only when the leading dim is symbolic', () => {
    assert.equal(hasSymbolicBatch(bert), true);
    assert.equal(hasSymbolicBatch(image), false);
  });
});

describe('run view: where an error is shown', () => {
  it("finds the input a runtime error names, or the input whose file it names", () => {
    const sources = { input_ids: { kind: 'npy', path: '/data/ids.npy' }, attention_mask: { kind: 'ones' } } as const;
    assert.equal(inputOfError("tiny-bert.onnx: input 'attention_mask' expects [batch, sequence], but the shape given is [1]", bert, sources), 'attention_mask');
    assert.equal(inputOfError("Input 'input_ids': choose a file first (a .npy or .npz file).", bert, sources), 'input_ids');
    assert.equal(inputOfError('ids.npy: is not a NumPy file (bad magic bytes)', bert, sources), 'input_ids');
    assert.equal(inputOfError("model.onnx: failed to run: node '/MatMul': shapes do not match", bert, sources), null);
    assert.equal(inputOfError("model.onnx: input 'other' is unknown", bert, sources), null);
  });
});

describe('run view: image preprocessing fields', () => {
  it('reads a scale as a number or a fraction and writes 1/255 back as typed', () => {
    assert.equal(parseScale('1/255'), 1 / 255);
    assert.equal(parseScale(' 0.5 '), 0.5);
    assert.ok(Number.isNaN(parseScale('')));
    assert.ok(Number.isNaN(parseScale('a/b')));
    assert.equal(formatScale(1 / 255), '1/255');
    assert.equal(formatScale(0.5), '0.5');
  });
});
