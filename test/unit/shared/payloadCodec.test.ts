import * as assert from 'node:assert/strict';
import { analyzeModel } from '../../../src/core/modelAnalysis';
import { buildGraphPayload, graphDetails } from '../../../src/core/graph/payload';
import { readModelBytes, readModelFile } from '../../../src/core/onnx/reader';
import { decodeSections, deltaCoded, encodeSections, RESTART_EVERY } from '../../../src/shared/binarySections';
import { applyGraphDetails, decodeGraphDetails, decodeGraphPayload, encodeGraphDetails, encodeGraphPayload, nodeName, valueName } from '../../../src/shared/payloadCodec';
import { transformerLike } from '../../fixtures/bigModels';
import { model } from '../../fixtures/onnxBuilder';
import { lightModel } from '../../fixtures/prerequisites';


describe('binary sections (one ArrayBuffer: JSON header, typed arrays, front-coded strings)', () => {
  it('round-trips every kind of section, typed arrays as aligned views on the buffer', () => {
    const strings = ['', '/enc/layer.0/MatMul', '/enc/layer.0/MatMul_output_0', '/enc/layer.1/Add', 'a\u0000b', 'café', 'é', '😀x', '😀y', '😁', ''];
    const buffer = encodeSections({ note: 'hi', n: 3 }, {
      bytes: Uint8Array.of(1, 2, 3), shorts: Uint16Array.of(0, 65535), ints: Int32Array.of(-1, 0, 2 ** 31 - 1), uints: Uint32Array.of(0, 2 ** 32 - 1),
      floats: Float32Array.of(0.5, -2), doubles: Float64Array.of(Math.PI, NaN, -Infinity),
      names: strings, none: [], blank: [''],
    });
    const { header, sections } = decodeSections<{ note: string; n: number }>(buffer);
    assert.deepEqual(header, { note: 'hi', n: 3 });
    assert.deepEqual([...(sections.bytes as Uint8Array)], [1, 2, 3]);
    assert.deepEqual([...(sections.shorts as Uint16Array)], [0, 65535]);
    assert.deepEqual([...(sections.ints as Int32Array)], [-1, 0, 2 ** 31 - 1]);
    assert.deepEqual([...(sections.uints as Uint32Array)], [0, 2 ** 32 - 1]);
    assert.deepEqual([...(sections.floats as Float32Array)], [0.5, -2]);
    const doubles = sections.doubles as Float64Array;
    assert.ok(doubles.buffer === buffer && doubles.byteOffset % 8 === 0, 'a view on the message, aligned');
    assert.deepEqual([...doubles], [Math.PI, NaN, -Infinity]);
    // A NUL inside a name becomes U+FFFD (NUL separates the strings); everything else comes back as it was.
    assert.deepEqual(sections.names, strings.map((s) => s.replace('\u0000', '\uFFFD')));
    assert.deepEqual(sections.none, []);
    assert.deepEqual(sections.blank, ['']);
  });

  it('round-trips long lists (decoded in chunks) whose shared prefixes are longer in UTF-8 than in UTF-16 code units', () => {
    // 5,000 names: several of the decoder's 64 KB chunks.
    const names = Array.from({ length: 5000 }, (_, i) => `/ünïcødé/😀/块.${Math.floor(i / 10)}/op_${i}`);
    const { sections } = decodeSections(encodeSections({}, { names, ascii: names.map((n) => n.normalize('NFKD').replace(/[^\x00-\x7f]/g, '')) }));
    assert.deepEqual(sections.names, names);
    assert.deepEqual(sections.ascii, names.map((n) => n.normalize('NFKD').replace(/[^\x00-\x7f]/g, '')));
  });

  it('refuses what it did not write, with a sentence', () => {
    assert.throws(() => decodeSections(new ArrayBuffer(4)), /too short/);
    assert.throws(() => decodeSections(new TextEncoder().encode('{"json": true}    ').buffer as ArrayBuffer), /not a binary sections message/);
    const good = encodeSections({}, { names: ['a', 'b'], xs: Float64Array.of(1, 2, 3) });
    assert.throws(() => decodeSections(good.slice(0, good.byteLength - 8)), /truncated/);
    // A shared prefix longer than the previous string (the prefix lengths follow the text, 4-byte aligned).
    const names = encodeSections({}, { names: ['ab', 'abc'] });
    const bytes = new Uint8Array(names);
    const text = bytes.lastIndexOf('c'.charCodeAt(0));
    new DataView(names).setUint32(((text + 1 + 3) & ~3) + 4, 5, true);
    assert.throws(() => decodeSections(names), /corrupt \(section names\)/);
    // Lazy: decoding is deferred, and so is the sentence, to the first read.
    const lazy = decodeSections(names.slice(0), { lazyStrings: true });
    assert.equal(lazy.stringCounts.names, 2);
    assert.throws(() => lazy.sections.names, /corrupt \(section names\)/);
  });
});

describe('binary sections: one string without decoding its list', () => {
  /** The message with its string sections' `restartEvery` removed, as written before restart points existed. */
  function withoutRestartEntries(buffer: ArrayBuffer): ArrayBuffer {
    const copy = buffer.slice(0);
    const length = new DataView(copy).getUint32(4, true);
    const json = new TextDecoder().decode(new Uint8Array(copy, 8, length));
    const older = json.replace(/,"restartEvery":\d+/g, '');
    assert.notEqual(older, json);
    // Same header length (JSON allows trailing spaces), so every section stays where it is.
    new Uint8Array(copy, 8, length).set(new TextEncoder().encode(older.padEnd(length, ' ')));
    return copy;
  }

  const names = Array.from({ length: 1000 }, (_, i) => (i === 500 ? '' : `/enc/层.${Math.floor(i / 7)}/😀/op_${i}`));

  it('reads any string from its restart block, leaving the list undecoded, and the same strings once it is decoded', () => {
    const { sections, stringAt } = decodeSections(encodeSections({}, { names }), { lazyStrings: true });
    for (const i of [0, 1, RESTART_EVERY - 1, RESTART_EVERY, RESTART_EVERY + 1, 500, 999]) assert.equal(stringAt.names(i), names[i]);
    assert.ok(Object.getOwnPropertyDescriptor(sections, 'names')?.get, 'the list is not decoded');
    assert.deepEqual(sections.names, names);
    assert.equal(stringAt.names(777), names[777]);
    assert.throws(() => stringAt.names(1000), RangeError);
    assert.throws(() => stringAt.names(-1), RangeError);
  });

  it('reads messages written before restart points (decoding the whole list), and says which section is corrupt', () => {
    const older = decodeSections(withoutRestartEntries(encodeSections({}, { names })), { lazyStrings: true });
    assert.equal(older.stringAt.names(999), names[999]);
    assert.deepEqual(older.sections.names, names);
    // A restart string that claims a shared prefix: its block cannot be rebuilt on its own.
    const bad = encodeSections({}, { names });
    const { sections: table } = JSON.parse(new TextDecoder().decode(new Uint8Array(bad, 8, new DataView(bad).getUint32(4, true)))) as { sections: Record<string, { offset: number; textBytes: number }> };
    const start = (8 + new DataView(bad).getUint32(4, true) + 7) & ~7;
    new DataView(bad).setUint32(start + table.names.offset + ((table.names.textBytes + 3) & ~3) + 4 * RESTART_EVERY, 3, true);
    assert.throws(() => decodeSections(bad.slice(0), { lazyStrings: true }).stringAt.names(RESTART_EVERY + 2), /corrupt \(section names\)/);
    assert.equal(decodeSections(bad.slice(0), { lazyStrings: true }).stringAt.names(3), names[3], 'other blocks still read');
  });
});

describe('binary sections, delta-coded for storage and transport', () => {
  it('decodes the delta-coded form to the same sections, wrapping int32 and u32 extremes exactly, and restores the bytes in place', () => {
    const sections = {
      ids: Int32Array.of(-1, 5, 2147483647, -2147483648, 0, 7, 7, -1),
      offsets: Uint32Array.of(0, 3, 4294967295, 1, 4294967295, 0),
      names: ['a', 'ab'],
      small: Uint16Array.of(1, 65535, 0),
      values: Float64Array.of(0.5, -2),
    };
    const plain = encodeSections({ h: 1 }, sections);
    const coded = deltaCoded(new Uint8Array(plain));
    assert.notDeepEqual(coded, new Uint8Array(plain), 'the integer sections are differences');
    const decoded = decodeSections(coded.buffer as ArrayBuffer);
    assert.deepEqual(decoded.sections, sections);
    assert.deepEqual(coded, new Uint8Array(plain), 'the buffer holds the plain encoding again');
    assert.deepEqual(decodeSections(coded.buffer as ArrayBuffer).sections, sections, 'and decodes again as it is');
    assert.throws(() => deltaCoded(coded.slice(4)), /not a binary sections message/);
  });
});

describe('graph payload codec (structure first, details later)', () => {
  function payloadOf(bytes: Uint8Array | null, file?: string) {
    const m = bytes ? readModelBytes(bytes, 'm.onnx') : readModelFile(file!);
    try {
      return { analysis: analyzeModel(m, 'm.onnx'), m };
    } finally {
      m.close();
    }
  }

  it('decodes exactly what was encoded, structure and details, on a generated transformer and DenseNet-121', function () {
    this.timeout(60_000);
    const cases = [payloadOf(model(transformerLike({ nodes: 2000 })))];
    cases.push(payloadOf(null, lightModel('light_densenet121.onnx')));
    for (const { analysis } of cases) {
      const full = buildGraphPayload(analysis, 'm.onnx', 'hash');
      // The structure alone, as the analysis process sends it first, then the details as it sends them later.
      const structure = decodeGraphPayload(encodeGraphPayload(buildGraphPayload({ graph: analysis.graph, inference: null }, 'm.onnx', 'hash')));
      applyGraphDetails(structure, decodeGraphDetails(encodeGraphDetails(graphDetails(analysis.graph, analysis.inference, structure.valueNames))));
      assert.deepEqual(structure, full);
      assert.deepEqual(decodeGraphPayload(encodeGraphPayload(full)), full);
      // As the layout worker decodes it: names when first read, the same names.
      const lazy = decodeGraphPayload(encodeGraphPayload(full), { lazyNames: true });
      assert.ok(Object.getOwnPropertyDescriptor(lazy, 'nodeNames')?.get, 'node names not decoded yet');
      // A few names for a first view's labels, read without decoding them all.
      for (const n of [0, 1, 65, full.nodeCount - 1]) assert.equal(nodeName(lazy, n), full.nodeNames[n]);
      for (const v of [0, 64, full.valueCount - 1]) assert.equal(valueName(lazy, v), full.valueNames[v]);
      assert.ok(Object.getOwnPropertyDescriptor(lazy, 'valueNames')?.get && Object.getOwnPropertyDescriptor(lazy, 'nodeNames')?.get, 'still not decoded');
      assert.equal(nodeName(full, 3), full.nodeNames[3], 'an eagerly decoded payload reads its arrays');
      assert.deepEqual(lazy.nodeNames, full.nodeNames);
      assert.deepEqual(lazy, full);
    }
  });

  it('front-codes names: a 20k-node transformer travels in well under half its name characters', function () {
    this.timeout(60_000);
    const { analysis } = payloadOf(model(transformerLike({ nodes: 20000, shareWeights: true })));
    const p = buildGraphPayload({ graph: analysis.graph, inference: null }, 'm.onnx', 'hash');
    const chars = p.nodeNames.reduce((a, s) => a + s.length, 0) + p.valueNames.reduce((a, s) => a + s.length, 0);
    const bytes = encodeSections({}, { nodeNames: p.nodeNames, valueNames: p.valueNames }).byteLength;
    assert.ok(bytes < chars / 2, `${bytes} bytes for ${chars} characters of names`);
  });

  it('leaves out of the structure what only shape inference fills in (parameters, MACs) and a file order that is already topological', function () {
    this.timeout(60_000);
    const { analysis } = payloadOf(model(transformerLike({ nodes: 2000 })));
    const p = buildGraphPayload({ graph: analysis.graph, inference: null }, 'm.onnx', 'hash');
    const encoded = encodeGraphPayload(p);
    const { sections } = decodeSections(encoded);
    assert.deepEqual(['nodeParams', 'nodeMacs', 'nodeOrder'].filter((k) => k in sections), []);
    assert.ok(sections.shapeIndex instanceof Uint8Array && sections.typeIndex instanceof Uint8Array, 'a few distinct types and shapes: one byte per value');
    const decoded = decodeGraphPayload(encoded);
    assert.deepEqual(decoded, p);
    assert.ok(decoded.nodeMacs.every(Number.isNaN) && decoded.nodeParams.every((x) => x === 0));
    // A file whose nodes are not in topological order keeps its order section.
    const shuffled = { ...p, nodeOrder: p.nodeOrder.slice().reverse() };
    assert.deepEqual(decodeGraphPayload(encodeGraphPayload(shuffled)).nodeOrder, shuffled.nodeOrder);
  });

  it('refuses details that belong to another graph', () => {
    const { analysis } = payloadOf(model(transformerLike({ layers: 1 })));
    const p = buildGraphPayload(analysis, 'm.onnx', 'hash');
    const other = payloadOf(model(transformerLike({ layers: 2 }))).analysis;
    const details = graphDetails(other.graph, other.inference, buildGraphPayload(other, 'x', 'y').valueNames);
    assert.throws(() => applyGraphDetails(p, details), /do not match/);
  });
});
