/**
 * The `onnx-lens` command line: the same core as the extension, for CI.
 * Exit codes: 0 ok, 1 the model (or a check) failed — one line on stderr, 2 usage.
 */
import { Command, CommanderError } from 'commander';
import { renderSummary } from './cli/inspect';
import { describeError } from './core/errors';
import { summarizeModelFile } from './core/analysis';

class CheckFailed extends Error {}

function buildProgram(): Command {
  const program = new Command('onnx-lens')
    .description('Look into ONNX models: structure, shapes, parameters and compute.')
    .version(process.env.ONNX_LENS_VERSION ?? '0.1.0')
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
      process.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : `${renderSummary(summary)}\n`);
    });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(`onnx-lens: ${err instanceof CheckFailed ? err.message : describeError(err, 'onnx-lens')}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
