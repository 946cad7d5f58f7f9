// npm test: unit, integration (real PostgreSQL) and browser (Playwright) tests, in that order.
// Each runner reports in full; at the end one summary line per runner, "N passed, N failed".
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
const reports = mkdtempSync(path.join(tmpdir(), 'latchkey-test-'));

type Counts = { passed: number; failed: number; skipped: number };

function run(command: string, args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

function vitestCounts(file: string): Counts | null {
  if (!existsSync(file)) return null;
  const r = JSON.parse(readFileSync(file, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
}

function playwrightCounts(file: string): Counts | null {
  if (!existsSync(file)) return null;
  const r = JSON.parse(readFileSync(file, 'utf8')) as {
    stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  };
  return { passed: r.stats.expected, failed: r.stats.unexpected + r.stats.flaky, skipped: r.stats.skipped };
}

const only = process.argv.slice(2);
const suites = [
  {
    name: 'unit',
    run: (out: string) => run(bin('vitest'), ['run', '--project', 'unit'], { VITEST_JSON_OUTPUT: out }),
    counts: vitestCounts,
  },
  {
    name: 'integration',
    run: (out: string) => run(bin('vitest'), ['run', '--project', 'integration'], { VITEST_JSON_OUTPUT: out }),
    counts: vitestCounts,
  },
  {
    name: 'e2e',
    run: (out: string) => run(bin('tsx'), [path.join(root, 'scripts', 'e2e.ts')], { E2E_JSON_OUTPUT: out }),
    counts: playwrightCounts,
  },
].filter((s) => only.length === 0 || only.includes(s.name));

const summary: string[] = [];
let ok = true;
for (const suite of suites) {
  const out = path.join(reports, `${suite.name}.json`);
  const code = await suite.run(out);
  const counts = suite.counts(out);
  // A runner that crashed before reporting counts as one failure, never as a pass.
  const c = counts ?? { passed: 0, failed: 1, skipped: 0 };
  if (code !== 0 && c.failed === 0) c.failed = 1;
  if (code !== 0 || c.failed > 0 || c.passed === 0) ok = false;
  summary.push(`${suite.name}: ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`);
}
rmSync(reports, { recursive: true, force: true });

console.log('\nTest summary');
for (const line of summary) console.log(line);
process.exit(ok ? 0 : 1);
