/**
 * The `onnx-lens` command line: the same core as the extension, for CI.
 * Exit codes (docs/security.md): 0 ok; 1 the model cannot be read or has a structural error, or
 * the work failed — one line on stderr; 2 usage, including a destination that is refused before
 * any work (an input of the command, an existing file without --force); 3 a quality gate failed
 * (`--fail-under`, `--max-latency`, `diff --fail-on`), so CI can tell a regression from a broken file.
 */
import { Command, CommanderError } from 'commander';
import { evalCommand, type EvalCliOptions } from './cli/eval';
import { describeFailure } from './cli/evalThresholds';
import { UsageError } from './cli/inputArgs';
import { renderSummary } from './cli/inspect';
import { benchCommand, profileCommand, runCommand, type BenchCliOptions, type RunCliOptions, type RuntimeCliOptions } from './cli/runtimeCli';
import { describeError, NativeModuleError, OnnxLensError } from './core/errors';
import { OutputRefusedError } from './core/files/outputFile';
import { endQuietlyOnClosedPipe, printError, printJson, printText } from './cli/output';
import { summarizeModelFile } from './core/modelAnalysis';
import { RpcError } from './rpc/messages';
import { quantizeCommand, type QuantizeCliOptions } from './cli/quantize';
import { explainCommand, type ExplainCliOptions } from './cli/explain';
import { robustCommand, type RobustCliOptions } from './cli/robust';
import { describeGate } from './cli/robustGates';
import { driftCommand, type DriftCliOptions } from './cli/drift';
import { describeDriftGate } from './cli/driftGates';
import { PERTURBATION_KINDS } from './core/robustness/perturbations';
import { diffCommand, DiffInputError, type DiffCliOptions } from './cli/diff';
import { EXECUTION_PROVIDERS } from './shared/runtimeTypes';
// The one version: package.json's (bundled into dist/cli.js by esbuild).
import { version as VERSION } from '../package.json';

/** The model (or what the command checks about it) failed: exit 1. */
class CheckFailed extends Error {}

/** A quality gate (`--fail-under`, `--max-latency`) was not met: exit 3. */
class GateFailed extends Error {}

export const EXIT = { ok: 0, failed: 1, usage: 2, gate: 3 } as const;

const EP_LIST = EXECUTION_PROVIDERS.join(', ');

function buildProgram(): Command {
  const program = new Command('onnx-lens')
    .description('Look into ONNX models: structure, shapes, parameters and compute.')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(run onnx-lens --help for usage)');

  program
    .command('inspect')
    .description('summarise a model: inputs/outputs, opsets, nodes, parameters, MACs')
    .argument('<model>', 'path to an .onnx file')
    .option('--json', 'print one JSON object instead of text')
    .action(async (model: string, opts: { json?: boolean }) => {
      let summary;
      try {
        summary = await summarizeModelFile(model);
      } catch (err) {
        throw new CheckFailed(describeError(err, model));
      }
      const fatal = summary.problems.find((p) => p.severity === 'error');
      if (fatal) throw new CheckFailed(`${model}: ${fatal.message}`);
      if (opts.json) printJson(JSON.stringify(summary, null, 2));
      else printText(renderSummary(summary));
    });

  const collect = (value: string, previous: string[]) => [...previous, value];
  const runtimeOptions = (cmd: Command) => cmd
    .option('--input <name=source>', 'an input: a .npy/.npz/.json/image file, random, uniform, zeros, ones or a number (repeatable)', collect, [])
    .option('--dim <symbol=value>', 'value of a symbolic dimension, e.g. batch=8 (default 1; repeatable)', collect, [])
    .option('--optimization <level>', 'graph optimisation: disabled, basic, extended or all', 'all')
    .option('--ep <provider>', `execution provider: ${EP_LIST} (default cpu; falls back to the CPU, saying so, where unavailable)`)
    .option('--json', 'print one JSON object instead of text');

  runtimeOptions(program
    .command('run')
    .description('run the model once in onnxruntime and summarise its outputs')
    .argument('<model>', 'path to an .onnx file')
    .option('--threads <n>', 'intra-op threads (0 = onnxruntime decides)')
    .option('--save <dir|file.npz>', 'write each output as <dir>/<name>.npy, or all outputs into one .npz')
    .option('--force', 'replace existing files written by --save'))
    .action((model: string, opts: RunCliOptions) => runCommand(__dirname, model, opts));

  runtimeOptions(program
    .command('bench')
    .description('measure latency: warm-up, timed runs, percentiles; sweeps threads and batch sizes')
    .argument('<model>', 'path to an .onnx file')
    .option('--runs <n>', 'timed runs per configuration', '100')
    .option('--warmup <n>', 'warm-up runs per configuration', '5')
    .option('--budget <time>', 'stop a configuration after this long (e.g. 10s, 500ms)', '10s')
    .option('--threads <list>', 'intra-op thread counts to sweep, e.g. 1,2 (0 = onnxruntime decides)')
    .option('--batch <list>', 'batch sizes to sweep when the batch dimension is symbolic, e.g. 1,8')
    .option('--report <file>', 'also write the full report as JSON')
    .option('--force', 'replace an existing --report file')
    .option('--max-latency <stat=time>', 'fail (exit 3) when a statistic exceeds a limit, e.g. p95=20ms (repeatable)', collect, []))
    .action(async (model: string, opts: BenchCliOptions) => {
      const broken = await benchCommand(__dirname, model, opts);
      if (broken.length) throw new GateFailed(`${model}: latency over the limit: ${broken.join('; ')}`);
    });

  runtimeOptions(program
    .command('profile')
    .description("time per node with onnxruntime's profiler (fused kernels shown with the nodes they cover)")
    .argument('<model>', 'path to an .onnx file')
    .option('--runs <n>', 'runs to profile (times are averaged)', '20')
    .option('--threads <n>', 'intra-op threads (0 = onnxruntime decides)')
    .option('--top <n>', 'kernels to list', '20'))
    .action((model: string, opts: RuntimeCliOptions & { runs?: string; top?: string }) => profileCommand(__dirname, model, opts));

  // --- eval (src/cli/eval.ts) ---
  program
    .command('eval')
    .description('evaluate a model on a labelled dataset: accuracy, F1, ROC AUC, calibration… or MAE, R²… ; thresholds for CI')
    .argument('<model>', 'path to an .onnx file')
    .option('--data <file>', 'labelled dataset: CSV/TSV, JSON Lines, .npy/.npz, IDX, or an image folder')
    .option('--label <column>', "label column (CSV/JSONL) or array key (.npz); default 'label'")
    .option('--task <task>', 'classification or regression (default: decided from the model output)')
    .option('--output <name>', 'the model output holding scores or values (default: chosen from the outputs)')
    .option('--batch <n>', 'samples per run (default 64; a model with a fixed batch size uses its own)')
    .option('--json', 'print one JSON object instead of text')
    .option('--report <file>', 'write the full evaluation report (.json)')
    .option('--junit <file>', 'write a JUnit XML file with one test case per --fail-under threshold')
    .option('--force', 'replace existing --report/--junit files')
    .option('--fail-under <metric=value>', 'fail (exit 3) when a metric is worse than a limit, e.g. accuracy=0.9, f1.macro=0.8, logLoss=0.3 (repeatable)', collect, [])
    .option('--compare-data <file>', 'also evaluate on a second dataset (e.g. the training split) and compare the two')
    .option('--compare-model <model>', 'compare with a second model on the same samples (paired bootstrap)')
    .option('--bootstrap <n>', 'bootstrap resamples for 95% confidence intervals of the headline metrics')
    .option('--seed <n>', 'bootstrap seed, and the calibration split\'s (default 0)')
    .option('--conformal <alpha>', 'split conformal prediction at miscoverage alpha, e.g. 0.1: prediction sets (intervals for regression) and their coverage')
    .option('--conformal-score <score>', 'conformal score: lac (smallest sets, the default) or aps (adaptive, randomised)')
    .option('--temperature', 'fit temperature scaling on the calibration split; ECE before and after')
    .option('--calib-split <fraction>', 'share of the data that calibrates --conformal and --temperature (default 0.5); the rest measures')
    .option('--positive-class <n>', 'binary tasks: the positive class (default 1)')
    .option('--keep-samples <n>', 'samples kept in the report for drill-down (default 10000)')
    .option('--input-key <key>', '.npz: the inputs array')
    .option('--labels-file <file>', 'a separate labels file (.npy labels, IDX labels)')
    .option('--mapping <file>', 'a saved input mapping (JSON) instead of the automatic one')
    .option('--threads <n>', 'intra-op threads (0 = onnxruntime decides)')
    .option('--optimization <level>', 'graph optimisation: disabled, basic, extended or all', 'all')
    .option('--ep <provider>', `execution provider: ${EP_LIST} (default cpu; falls back to the CPU, saying so, where unavailable)`)
    .action(async (model: string, opts: EvalCliOptions) => {
      const { failed } = await evalCommand(__dirname, model, opts);
      if (failed.length) throw new GateFailed(`${model}: ${failed.map(describeFailure).join('; ')}`);
    });
  // --- end eval ---

  // --- robust (src/cli/robust.ts) ---
  program
    .command('robust')
    .description('how the metric degrades under perturbations (noise, blur, JPEG, dropout…) and a black-box L∞ attack; gates for CI')
    .argument('<model>', 'path to an .onnx file')
    .option('--data <file>', 'labelled dataset: CSV/TSV, JSON Lines, .npy/.npz, IDX, or an image folder')
    .option('--label <column>', "label column (CSV/JSONL) or array key (.npz); default 'label'")
    .option('--task <task>', 'classification or regression (default: decided from the model output)')
    .option('--output <name>', 'the model output holding scores or values')
    .option('--batch <n>', 'samples per run (default 64)')
    .option('--perturb <kind=s1,s2>', `a perturbation and its severities (repeatable): ${PERTURBATION_KINDS.join(', ')}; without severities, its defaults; default noise`, collect, [])
    .option('--attack <method>', 'square: Square Attack (L∞, score-based black box) on the first samples')
    .option('--eps <e>', 'attack ε as a share of the input\'s value range (default 0.03)')
    .option('--queries <n>', 'attack query budget per sample (default 1000)')
    .option('--attack-samples <n>', 'samples attacked, from the start of the data (default 100)')
    .option('--metric <name>', 'the metric of the curves: accuracy, f1.macro, rocAuc.macro, … or mae, rmse, r2 (default accuracy or mae)')
    .option('--threshold <value>', 'report the first severity whose metric is worse than this (default 90% of the clean value)')
    .option('--fail-under <metric@kind=severity:limit>', 'fail (exit 3) when a point is worse than a limit, e.g. accuracy@noise=0.1:0.9 or accuracy@attack=0.03:0.5 (repeatable)', collect, [])
    .option('--bootstrap <n>', 'bootstrap resamples for each point\'s 95% interval (default 1000; 0: none)')
    .option('--seed <n>', 'seed of the perturbations and the attack (default 0)')
    .option('--samples <n>', 'use only the first n samples')
    .option('--examples <n>', 'drill-down samples kept per point (default 4)')
    .option('--json', 'print one JSON object instead of text')
    .option('--report <file>', 'write the robustness report (.json, or the standalone page .html)')
    .option('--junit <file>', 'write a JUnit XML file with one test case per --fail-under gate')
    .option('--force', 'replace existing --report/--junit files')
    .option('--threads <n>', 'intra-op threads (0 = onnxruntime decides)')
    .option('--optimization <level>', 'graph optimisation: disabled, basic, extended or all', 'all')
    .option('--ep <provider>', `execution provider: ${EP_LIST} (default cpu)`)
    .action(async (model: string, opts: RobustCliOptions) => {
      const { failed } = await robustCommand(__dirname, model, opts);
      if (failed.length) throw new GateFailed(`${model}: ${failed.map(describeGate).join('; ')}`);
    });
  // --- end robust ---

  // --- drift (src/cli/drift.ts) ---
  program
    .command('drift')
    .description('compare two datasets feature by feature (PSI, KS, chi-square) and, with --model, the model\'s outputs on both; gates for CI')
    .option('--reference <file>', 'the data the model was made for (e.g. the training split)')
    .option('--current <file>', 'the data to compare with it (e.g. what the model sees now)')
    .option('--model <model>', 'also compare the model\'s output distributions on both')
    .option('--label <column>', "the label column, left out of the model's inputs (default 'label' where present)")
    .option('--output <name>', 'the model output compared (default: chosen from the outputs)')
    .option('--task <task>', 'classification or regression (default: decided from the model output)')
    .option('--alpha <a>', 'significance level, Bonferroni-corrected over the features (default 0.05)')
    .option('--categorical <columns>', 'columns compared as categories even when they hold numbers (comma-separated, repeatable)', collect, [])
    .option('--fail-if <condition>', 'fail (exit 3) when any feature or output is past a limit: psi>0.2, ks>0.1, pValue<0.01, or drifted>0 (repeatable)', collect, [])
    .option('--json', 'print one JSON object instead of text')
    .option('--report <file>', 'write the drift report (.json, or the standalone page .html)')
    .option('--junit <file>', 'write a JUnit XML file with one test case per --fail-if gate')
    .option('--force', 'replace existing --report/--junit files')
    .option('--threads <n>', 'intra-op threads (0 = onnxruntime decides)')
    .option('--ep <provider>', `execution provider: ${EP_LIST} (default cpu)`)
    .action(async (opts: DriftCliOptions) => {
      const { failed, report } = await driftCommand(__dirname, opts);
      if (failed.length) throw new GateFailed(`${opts.current}: ${failed.map((g) => describeDriftGate(g, report)).join('; ')}`);
    });
  // --- end drift ---

  // --- quantize (src/cli/quantize.ts) ---
  program
    .command('quantize')
    .description('write a quantized, float16 or pruned copy of a model and compare it with the original: size, agreement, per-node error, latency, accuracy')
    .argument('<model>', 'path to an .onnx file')
    .option('--mode <mode>', 'dynamic, static, weight-only, mixed, fp16 or prune')
    .option('-o, --output <file>', 'the new model (never the input; an existing file only with --force)')
    .option('--bits <n>', 'weight-only and mixed: 8 or 4 (weight-only default 4, mixed default 8)')
    .option('--per-channel', 'per-output-channel scales for MatMul/Gemm weights (Conv weights are per channel anyway)')
    .option('--symmetric', 'symmetric weight ranges (zero point 0; the default for int8 and int4)')
    .option('--asymmetric', 'asymmetric weight ranges (with zero points)')
    .option('--reduce-range', '7-bit weights, for CPUs without VNNI whose u8s8 kernels saturate (static: the default)')
    .option('--no-reduce-range', 'static: full 8-bit weights (CPUs with VNNI or Arm dot products)')
    .option('--op <types>', 'op types to rewrite, e.g. Conv or MatMul,Gemm,Conv (repeatable; default per mode)', collect, [])
    .option('--exclude-op <type>', 'leave this op type in float (repeatable)', collect, [])
    .option('--exclude-node <name>', 'leave this node in float (repeatable)', collect, [])
    .option('--weight-type <type>', 'dynamic/static: int8 (default) or uint8 weights (u8u8 kernels)')
    .option('--depthwise', 'dynamic: also quantize depthwise convolutions')
    .option('--format <form>', 'dynamic/static: integer (MatMulInteger/ConvInteger) or qdq')
    .option('--weight-format <form>', 'weight-only: auto, matmulnbits or dequantize (opset 21 DequantizeLinear)')
    .option('--accuracy-level <n>', 'weight-only in MatMulNBits: 4 (int8 compute, the default) or 0 (float activations)')
    .option('--block-size <n>', 'weight-only: weights per block along K (power of two ≥ 16; default 32)')
    .option('--calib <data>', 'calibration data in any format eval reads (CSV, JSONL, .npy/.npz, IDX, image folder)')
    .option('--calib-method <method>', 'minmax, percentile or entropy (default minmax)')
    .option('--calib-samples <n>', 'calibration samples read (default 256)')
    .option('--percentile <p>', 'percentile calibration: share of magnitudes kept, in % (default 99.999)')
    .option('--sparsity <s>', 'prune: share of weights set to zero, e.g. 0.5')
    .option('--prune-scope <scope>', 'prune: layer (the same share in each) or global (one threshold)')
    .option('--fp16-io', 'fp16: float16 graph inputs and outputs too (default: float32 at the edges)')
    .option('--node-precision <node=p>', 'mixed: int8, int4, fp16 or fp32 for one node (repeatable)', collect, [])
    .option('--max-error <e>', 'mixed: keep sensitive layers in float32 until the relative output error is at most e')
    .option('--eval-batch <n>', 'mixed: the batch size the model runs at; the budget is checked at batch 1 and at n (default 32)')
    .option('--max-accuracy-drop <d>', 'mixed: … until top-1 accuracy on labelled --calib data drops by at most d (0.01 = one point)')
    .option('--eval <data>', 'labelled data: accuracy of both models (and the samples the models are compared on)')
    .option('--label <column>', "label column of --calib/--eval data (default 'label')")
    .option('--no-bench', 'skip the latency measurement')
    .option('--bench-runs <n>', 'timed runs per model for the latency (default 200)')
    .option('--report <file>', 'write the quantization report (.json, or the standalone page .html)')
    .option('--force', 'replace existing output files (-o, --report)')
    .option('--json', 'print the report as JSON instead of text')
    .action(async (model: string, opts: QuantizeCliOptions) => {
      await quantizeCommand(__dirname, model, opts);
    });
  // --- end quantize ---

  // --- explain (src/cli/explain.ts) ---
  runtimeOptions(program
    .command('explain')
    .description('explain a prediction (KernelSHAP, LIME, occlusion, RISE, attention rollout) or the features a model relies on (permutation importance)')
    .argument('<model>', 'path to an .onnx file')
    .option('--data <file>', 'a dataset (CSV/TSV, JSON Lines, .npy/.npz, IDX): the row to explain, the background, the data to permute')
    .option('--row <n>', 'the row of --data to explain (from 0)')
    .option('--label <column>', "label column of --data (permutation importance; default 'label')")
    .option('--method <method>', 'kernelshap (default), lime, permutation, occlusion, rise or rollout')
    .option('--target <class>', 'the class to explain (default: the predicted one)')
    .option('--samples <n>', 'KernelSHAP coalitions (default 2048) or LIME perturbations (default 5000; 1000 for images)')
    .option('--background <file>', 'background data for KernelSHAP and LIME, or the labelled data for permutation (default: --data, or the dataset beside the model)')
    .option('--seed <n>', 'seed of every random choice (default 0)')
    .option('--repeats <n>', 'permutation: shuffles per feature (default 5)')
    .option('--metric <name>', 'permutation: accuracy, balanced_accuracy, f1_macro, f1_weighted, neg_log_loss, r2, neg_mean_squared_error, …')
    .option('--segments <n>', 'images: superpixels for KernelSHAP and LIME (default 50)')
    .option('--window <px>', 'occlusion: window size (default 1/14 of the image)')
    .option('--stride <px>', 'occlusion: stride (default half the window)')
    .option('--masks <n>', 'RISE: random masks (default 1000)')
    .option('--no-sanity', 'images: skip the sanity check (the map of the model with its last layer randomised)')
    .option('--report <file>', 'write the explanation report (.json, or the standalone page .html)')
    .option('--save <file.npy>', 'images: write the map as a .npy file (--json then names it instead of listing the values)')
    .option('--force', 'replace existing --report/--save files'))
    .action(async (model: string, opts: ExplainCliOptions) => {
      await explainCommand(__dirname, model, opts);
    });
  // --- end explain ---

  // --- diff (src/cli/diff.ts) ---
  program
    .command('diff')
    .description('compare two versions of a model: nodes, weights, signature, totals; with --data or --runs, how they behave')
    .argument('<a>', 'the old model (.onnx)')
    .argument('<b>', 'the new model (.onnx)')
    .option('--json', 'print one JSON object (schema onnx-lens.diff/1) instead of text')
    .option('--data <file>', 'run both models on this dataset (any format eval reads): agreement, first divergence, metrics of both')
    .option('--label <column>', "label column of --data (default 'label')")
    .option('--runs <n>', `samples to run both models on: random ones (default 32 when a behaviour check needs them) or the first n rows of --data (default 1000)`)
    .option('--tolerance <dB>', 'SQNR below which a matched node has diverged (default 40)')
    .option('--bench-runs <n>', 'timed runs per model for the latency (default 100)')
    .option('--no-bench', 'skip the latency measurement')
    .option('--fail-on <check>', 'fail (exit 3) on structure, signature, weights, outputs=TOL or accuracy-drop=X (repeatable)', collect, [])
    .option('--report <file>', 'write the diff (.json, or a standalone .html page)')
    .option('--junit <file>', 'write a JUnit XML file with one test case per --fail-on check')
    .option('--force', 'replace existing --report/--junit files')
    .option('--threads <n>', 'intra-op threads (0 = onnxruntime decides)')
    .option('--optimization <level>', 'graph optimisation: disabled, basic, extended or all', 'all')
    .option('--ep <provider>', `execution provider: ${EP_LIST} (default cpu)`)
    .action(async (a: string, b: string, opts: DiffCliOptions) => {
      let failed;
      try {
        failed = await diffCommand(__dirname, a, b, opts);
      } catch (err) {
        if (err instanceof DiffInputError) throw new CheckFailed(err.message);
        throw err;
      }
      if (failed.length) throw new GateFailed(`${b}: ${failed.map((f) => `${f.gate}: ${f.detail}`).join('; ')}`);
    });
  // --- end diff ---
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof UsageError) {
      printError(err.message, '(run onnx-lens --help for usage)');
      return EXIT.usage;
    }
    if (err instanceof OutputRefusedError) {
      printError(err.message);
      return EXIT.usage;
    }
    if (err instanceof GateFailed) {
      printError(err.message);
      return EXIT.gate;
    }
    // Check failures, core errors and the runtime process's errors are already one sentence
    // naming the file; anything else is unexpected, said once (no doubled 'onnx-lens:' prefix).
    const sentence = err instanceof CheckFailed || err instanceof RpcError || err instanceof OnnxLensError || err instanceof NativeModuleError
      ? err.message
      : `unexpected error: ${String((err as Error)?.message ?? err).split('\n')[0]}`;
    printError(sentence);
    return EXIT.failed;
  }
}

if (require.main === module) {
  endQuietlyOnClosedPipe();
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
