// Mocha entry that runs INSIDE the VS Code extension host (code-server), loaded through the
// workbench payload's extensionTestsPath (scripts/vscode/run-integration.mjs). It runs every
// compiled `*.test.js` next to it and prints, through the console the runner listens to:
//   ONNX-LENS-IT-TEST {"title":…,"state":"passed"|"failed"|"pending","error"?:…}   per test
//   ONNX-LENS-IT-DONE passed=N failed=N pending=N                               once, at the end
// The DONE line is required by the runner: a crashed extension host also "exits 0" (ENVIRONMENT §6).
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export const TEST_LINE = 'ONNX-LENS-IT-TEST';
export const DONE_LINE = 'ONNX-LENS-IT-DONE';

function findTests(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return findTests(full);
    return e.name.endsWith('.test.js') ? [full] : [];
  }).sort();
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: Number(process.env.ONNX_LENS_IT_TEST_TIMEOUT ?? 60_000),
    grep: process.env.ONNX_LENS_IT_GREP || undefined,
  });
  const suite = process.env.ONNX_LENS_IT_SUITE || 'default';
  // suites/<name>/ for a named suite (scripts/vscode/run-integration.mjs SUITES), the rest for 'default'.
  const suites = path.join(__dirname, 'suites') + path.sep;
  const mine = suite === 'default' ? (f: string) => !f.startsWith(suites) : (f: string) => f.startsWith(path.join(suites, suite) + path.sep);
  const files = findTests(__dirname).filter(mine);
  for (const file of files) mocha.addFile(file);
  console.log(`integration: suite ${suite}: ${files.length} test file(s): ${files.map((f) => path.basename(f)).join(', ')}`);

  return new Promise((resolve, reject) => {
    const report = (title: string, state: string, err?: unknown) => {
      const error = err === undefined ? undefined : String((err as Error)?.stack ?? err);
      console.log(`${TEST_LINE} ${JSON.stringify({ title, state, error })}`);
    };
    let runner: Mocha.Runner;
    try {
      runner = mocha.run((failures) => {
        const { passes = 0, pending = 0 } = runner.stats ?? {};
        console.log(`${DONE_LINE} passed=${passes} failed=${failures} pending=${pending}`);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      });
    } catch (err) {
      // A test file that throws while loading: report it as a failure, never as silence.
      report(`loading test files`, 'failed', err);
      console.log(`${DONE_LINE} passed=0 failed=1 pending=0`);
      reject(err);
      return;
    }
    runner.on('pass', (t) => report(t.fullTitle(), 'passed'));
    runner.on('fail', (t, err) => report(t.fullTitle(), 'failed', err));
    runner.on('pending', (t) => report(t.fullTitle(), 'pending'));
  });
}
