/**
 * JUnit XML, the test-report format CI servers (GitHub Actions reporters, GitLab, Jenkins) read:
 * one <testsuite> of <testcase>s, each passing or carrying a <failure>. The subset written here is
 * the one every reader accepts (see the Ant/Surefire schema: testsuite@name/tests/failures/errors/
 * time, testcase@name/classname/time, failure@message/type with text).
 */

export interface JUnitCase {
  name: string;
  classname: string;
  /** Seconds. */
  time?: number;
  /** Absent: the case passed. */
  failure?: { message: string; type?: string; text?: string };
}

export interface JUnitSuite {
  name: string;
  /** Seconds. */
  time?: number;
  timestamp?: string;
  cases: JUnitCase[];
  /** <properties>: name → value (e.g. model and data paths). */
  properties?: Record<string, string>;
}

/** Text for XML attributes and content: the five special characters escaped, characters XML 1.0 forbids dropped. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (s: number | undefined) => (s === undefined ? '' : ` time="${s.toFixed(3)}"`);

export function junitXml(suite: JUnitSuite): string {
  const failures = suite.cases.filter((c) => c.failure).length;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const attrs = `name="${xmlEscape(suite.name)}" tests="${suite.cases.length}" failures="${failures}" errors="0" skipped="0"${seconds(suite.time)}${suite.timestamp ? ` timestamp="${xmlEscape(suite.timestamp)}"` : ''}`;
  lines.push(`<testsuites ${attrs}>`);
  lines.push(`  <testsuite ${attrs}>`);
  const props = Object.entries(suite.properties ?? {});
  if (props.length > 0) {
    lines.push('    <properties>');
    for (const [name, value] of props) lines.push(`      <property name="${xmlEscape(name)}" value="${xmlEscape(value)}"/>`);
    lines.push('    </properties>');
  }
  for (const c of suite.cases) {
    const open = `    <testcase name="${xmlEscape(c.name)}" classname="${xmlEscape(c.classname)}"${seconds(c.time)}`;
    if (!c.failure) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`);
    const type = c.failure.type ? ` type="${xmlEscape(c.failure.type)}"` : '';
    lines.push(`      <failure message="${xmlEscape(c.failure.message)}"${type}>${xmlEscape(c.failure.text ?? c.failure.message)}</failure>`);
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>');
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
