/**
 * Issue 13, items 6, 13 and 14 — what the CLI prints: a model's strings never drive the terminal
 * (escape sequences, CR, BEL, newlines are shown escaped in human output; JSON stays exact), a
 * closed stdout ends the command quietly, and a failed quality gate has its own exit code (3).
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { terminalSafe } from '../../../src/core/text/terminalText';
import { graph, makeTempDir, node, tensorValue, writeModel } from '../../fixtures/onnxBuilder';
import { ROOT, SAMPLE } from '../../fixtures/runtimeModels';
import { lightModel } from '../../fixtures/prerequisites';

const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const cli = (args: string[]) => {
  const r = spawnSync(TSX, [path.join(ROOT, 'src/cli.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
};
/** OSC 52 (set the clipboard), clear screen, CR, BEL, a right-to-left override. */
const HOSTILE = '\u001b]52;c;cm0gLXJmIH4\u0007\u001b[2J\rPWNED\u202e';
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/;

describe('security: what the CLI prints (issue 13, items 6, 13, 14)', function () {
  this.timeout(180_000);
  let tmp: ReturnType<typeof makeTempDir>;
  let hostile: string;
  before(() => {
    tmp = makeTempDir('onnx-lens-sec-cli-');
    hostile = writeModel({
      producer: `evil${HOSTILE}`,
      docString: `doc${HOSTILE}`,
      metadata: { [`key${HOSTILE}`]: `value${HOSTILE}` },
      graph: graph({
        inputs: [tensorValue(`in\nput${HOSTILE}`, 'float32', [1, `batch${HOSTILE}`])],
        nodes: [node('Relu', [`in\nput${HOSTILE}`], [`out${HOSTILE}`], { name: `relu\n${HOSTILE}` })],
        outputs: [tensorValue(`out${HOSTILE}`, 'float32', [1, `batch${HOSTILE}`])],
      }),
    }, { dir: tmp.dir, fileName: 'hostile.onnx' }).modelPath;
  });
  after(() => tmp.cleanup());

  it('terminalSafe shows every control character escaped and keeps layout newlines only when asked', () => {
    assert.equal(terminalSafe('a\u001b[2Jb\rc\u0007d\ne\u202ef\u0085'), 'a\\e[2Jb\\rc\\x07d\\ne\\u202ef\\x85');
    assert.equal(terminalSafe('a\nb\tc', true), 'a\nb\\tc');
    assert.equal(terminalSafe('plain text, ünïcode — fine'), 'plain text, ünïcode — fine');
  });

  it('inspect prints no raw control character from the model, one model string per line; --json is exact', () => {
    const text = cli(['inspect', hostile]);
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout, RAW_CONTROL);
    assert.match(text.stdout, /evil\\e\]52;c;cm0gLXJmIH4\\x07\\e\[2J\\rPWNED\\u202e/);
    assert.match(text.stdout, /^ {2}in\\nput\\e/m, 'the input name stays on its own table row');
    assert.ok(!text.stdout.split('\n').some((l) => l.startsWith('put')), 'a newline in a name does not start a line');
    const json = cli(['inspect', hostile, '--json']);
    const parsed = JSON.parse(json.stdout) as { producer: { name: string }; inputs: { name: string }[] };
    assert.equal(parsed.producer.name, `evil${HOSTILE}`);
    assert.equal(parsed.inputs[0].name, `in\nput${HOSTILE}`);
  });

  it('run prints escaped names; an error naming a hostile value stays one line', () => {
    const r = cli(['run', hostile, '--dim', `batch${HOSTILE}=2`]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, RAW_CONTROL);
    const dangling = writeModel({
      graph: graph({ nodes: [node('Relu', [`missing\n${HOSTILE}`], ['y'])], outputs: [tensorValue('y', 'float32', [1])] }),
    }, { dir: tmp.dir, fileName: 'dangling.onnx' }).modelPath;
    const bad = cli(['inspect', dangling]);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr.split('\n').length, 2, bad.stderr);
    assert.doesNotMatch(bad.stderr.trimEnd(), RAW_CONTROL);
    assert.match(bad.stderr, /missing\\n\\e\]52/);
  });

  it('`eval --json | head` ends quietly: no EPIPE, no stack trace, exit 0', async () => {
    const cliJs = path.join(ROOT, 'dist/cli.js');
    const args = fs.existsSync(cliJs) ? [cliJs] : ['--import', 'tsx', path.join(ROOT, 'src/cli.ts')];
    for (const command of [['eval', SAMPLE, '--data', path.join(ROOT, 'media/sample/digits-test.csv'), '--json'], ['inspect', lightModel('light_inception_v1.onnx'), '--json']]) {
      const child = spawn(process.execPath, [...args, ...command], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.once('data', () => child.stdout.destroy()); // `head -c …` reads a little and closes the pipe
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      assert.equal(stderr, '', `${command[0]}: ${stderr}`);
      assert.equal(code, 0, command[0]);
    }
  });

  it('a reader gone mid-write ends the command quietly whichever error the write gets (EPIPE on a pipe, ECONNRESET on a socket pair)', () => {
    const output = path.join(ROOT, 'src/cli/output.ts');
    for (const code of ['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED']) {
      const script = `require(${JSON.stringify(output)}).endQuietlyOnClosedPipe();
        process.stderr.emit('error', Object.assign(new Error('write ${code}'), { code: '${code}' }));
        process.stdout.emit('error', Object.assign(new Error('write ${code}'), { code: '${code}' }));
        process.stderr.write('not reached');`;
      const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(r.stderr, '', `${code}: ${r.stderr}`);
      assert.equal(r.status, 0, code);
    }
  });

  it('exit codes: 3 for a failed gate, 1 for an unreadable model, 0/1/2 for inspect', () => {
    const gate = cli(['bench', SAMPLE, '--runs', '3', '--warmup', '0', '--max-latency', 'p50=1us']);
    assert.equal(gate.code, 3, gate.stderr);
    assert.match(gate.stderr, /^onnx-lens: .*digits-mlp\.onnx: latency over the limit: p50 /);
    const broken = path.join(tmp.dir, 'broken.onnx');
    fs.writeFileSync(broken, 'not a model at all, just text\n');
    assert.equal(cli(['bench', broken, '--max-latency', 'p50=1s']).code, 1);
    assert.equal(cli(['eval', broken, '--data', path.join(ROOT, 'media/sample/digits-test.csv'), '--fail-under', 'accuracy=0.5']).code, 1);
    assert.equal(cli(['inspect', SAMPLE]).code, 0);
    assert.equal(cli(['inspect', broken]).code, 1);
    assert.equal(cli(['inspect']).code, 2);
  });
});
