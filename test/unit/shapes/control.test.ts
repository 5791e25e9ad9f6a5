import { strict as assert } from 'node:assert';
import { BOOL, F, I64, graphInfo, infer, ints, node } from './helpers';

describe('control flow', () => {
  const branch = (name: string, op: string, out: string, extra: string[] = []) =>
    graphInfo({ name, nodes: [node(op, ['x', ...extra], [out])], outputs: [out] });

  it('infers If from its branches when they agree, reading outer-scope values', () => {
    const r = infer({
      inputs: { c: [BOOL, []], x: [F, ['b', 3]] },
      nodes: [node('If', ['c'], ['y'], { then_branch: { graph: branch('then', 'Relu', 't') }, else_branch: { graph: branch('else', 'Neg', 'e') } })],
      outputs: ['y'],
    });
    assert.deepEqual(r.t('y'), [F, ['b', 3]]);
    // Subgraph values land in the same map.
    assert.deepEqual(r.t('t'), [F, ['b', 3]]);
    assert.deepEqual(r.t('e'), [F, ['b', 3]]);
  });

  it('keeps only the agreeing dims of If branches, and only the type when ranks differ', () => {
    const r = infer({
      inputs: { c: [BOOL, []], x: [F, [2, 3]] },
      initializers: [ints('s4', [2, 3, 1]), ints('perm', [1, 0])],
      nodes: [
        node('If', ['c'], ['y'], {
          then_branch: { graph: branch('then', 'Relu', 't') },
          else_branch: { graph: graphInfo({ name: 'else', nodes: [node('Transpose', ['x'], ['e'])], outputs: ['e'] }) },
        }),
        node('If', ['c'], ['z'], {
          then_branch: { graph: branch('then2', 'Relu', 't2') },
          else_branch: { graph: branch('else2', 'Reshape', 'e2', ['s4']) },
        }),
      ],
      outputs: ['y', 'z'],
    });
    assert.deepEqual(r.t('y'), [F, [null, null]]);
    assert.deepEqual(r.t('z'), [F, null]);
  });

  it('infers Loop carried values and stacks scan outputs with the trip count', () => {
    const body = graphInfo({
      name: 'body',
      inputs: { i: [I64, []], cond: [BOOL, []], v: [F, [3]] },
      nodes: [node('Add', ['v', 'x'], ['v2']), node('Identity', ['cond'], ['cond2']), node('Relu', ['v'], ['scan'])],
      outputs: ['cond2', 'v2', 'scan'],
    });
    const r = infer({
      inputs: { x: [F, [3]], v0: [F, [3]] },
      initializers: [ints('m', [5], true)],
      nodes: [node('Loop', ['m', '', 'v0'], ['vf', 'ys'], { body: { graph: body } })],
      outputs: ['vf', 'ys'],
    });
    assert.deepEqual(r.t('vf'), [F, [3]]);
    assert.deepEqual(r.t('ys'), [F, [5, 3]]);
  });

  it('leaves the Loop scan length unknown when a condition can stop it early', () => {
    const body = graphInfo({
      name: 'body',
      inputs: { i: [I64, []], cond: [BOOL, []] },
      nodes: [node('Identity', ['cond'], ['cond2']), node('Cast', ['i'], ['f'], { to: F })],
      outputs: ['cond2', 'f'],
    });
    const r = infer({
      inputs: { c: [BOOL, []] },
      initializers: [ints('m', [5], true)],
      nodes: [node('Loop', ['m', 'c'], ['fs'], { body: { graph: body } })],
      outputs: ['fs'],
    });
    assert.deepEqual(r.t('fs'), [F, [null]]);
  });

  it('infers Scan states and scan outputs over the scanned axis', () => {
    const body = graphInfo({
      name: 'body',
      inputs: { s: [0, null], xi: [0, null] },
      nodes: [node('Add', ['s', 'xi'], ['s2']), node('Identity', ['s2'], ['y'])],
      outputs: ['s2', 'y'],
    });
    const r = infer({
      inputs: { s0: [F, [4]], xs: [F, [10, 4]] },
      nodes: [node('Scan', ['s0', 'xs'], ['sf', 'ys'], { body: { graph: body }, num_scan_inputs: 1 })],
      outputs: ['sf', 'ys'],
    });
    assert.deepEqual(r.t('xi'), [F, [4]]);
    assert.deepEqual(r.t('sf'), [F, [4]]);
    assert.deepEqual(r.t('ys'), [F, [10, 4]]);
  });

  it('attributes parameters read only inside a branch to the If node', () => {
    const r = infer({
      inputs: { c: [BOOL, []], x: [F, [4]] },
      initializers: [{ name: 'w', elemType: F, dims: [4], docString: '', data: { kind: 'empty' } }],
      nodes: [node('If', ['c'], ['y'], { then_branch: { graph: branch('then', 'Add', 't', ['w']) }, else_branch: { graph: branch('else', 'Relu', 'e') } })],
      outputs: ['y'],
    });
    assert.equal(r.costs[0].parameters, 4);
    assert.equal(r.costs[0].macs, null);
  });
});
