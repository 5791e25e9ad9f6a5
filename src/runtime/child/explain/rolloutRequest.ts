/**
 * Attention rollout in the runtime process: every Softmax output of the main graph is captured in
 * one run (the activations' session with extra outputs, src/runtime/child/ort/sessions.ts), the
 * square [batch, heads, tokens, tokens] ones are kept — the attention maps the Run tab's
 * activations show — and rolled out (src/core/explain/rollout.ts).
 */
import * as path from 'node:path';
import { attentionRollout, type AttentionMap } from '../../../core/explain/rollout';
import { OnnxLensError } from '../../../core/errors';
import type { ExplainReport, ExplainRequest } from '../../../shared/explainReport';
import type { SessionOptionsSpec } from '../../../shared/runtimeTypes';
import { planActivations } from '../ort/activationValues';
import { fromOrtTensor, toFeeds } from '../ort/feeds';
import { modelFile } from '../ort/modelFiles';
import { getSession } from '../ort/sessions';
import type { Sample } from './sample';

export async function explainRollout(req: ExplainRequest, options: SessionOptionsSpec, sample: Sample): Promise<{ rollout: NonNullable<ExplainReport['rollout']>; notes: string[] }> {
  const file = modelFile(req.model);
  const softmaxes = file.graph.nodes.filter((n) => n.opType === 'Softmax').map((n) => n.info.outputs[0]).filter(Boolean);
  const plan = planActivations(file.graph, file.inference, softmaxes);
  const { session } = await getSession(req.model, options, plan.capture);
  const out = await session.run(toFeeds(sample.raw), plan.report);
  const maps: AttentionMap[] = [];
  for (const name of plan.report) {
    const t = fromOrtTensor(out[name]);
    if (t.shape.length === 4 && t.shape[2] === t.shape[3]) maps.push({ name, dims: t.shape, data: t.data as ArrayLike<number> });
  }
  if (maps.length === 0) throw new OnnxLensError(path.basename(req.model), 'has no attention maps to roll out: no Softmax gives a [batch, heads, tokens, tokens] value.');
  const r = attentionRollout(maps);
  return {
    rollout: { tokens: r.tokens, values: Array.from(r.rollout), layers: r.layers },
    notes: [`${r.layers.length} attention map${r.layers.length === 1 ? '' : 's'} of ${r.tokens} tokens rolled out (heads averaged)${r.skipped.length ? `; ${r.skipped.length} of another size left out` : ''}.`],
  };
}
