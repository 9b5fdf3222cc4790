import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, ripen as run } from './run-ripen.ts';

const ripen = (...args: string[]) => run(null, ...args);

describe('ripen playbook validate', () => {
  it('accepts the default playbook', () => {
    const result = ripen('playbook', 'validate', join(root, 'playbooks/default.yaml'));
    expect(result.stdout).toContain('valid playbook "Default B2B playbook"');
    expect(result.status).toBe(0);
  });

  it('prints file:line: message for each issue and exits non-zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ripen-cli-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      readFileSync(join(root, 'playbooks/default.yaml'), 'utf8').replace('halfLife: 14d', 'halfLife: fortnight'),
    );
    const result = ripen('playbook', 'validate', file);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `${file}:\\d+: playbook line \\d+: \`engagement\\.groups\\[0\\]\\.rules\\[3\\]\\.halfLife\` must be a duration like 30m, 12h, 14d or 2w, got "fortnight"`,
      ),
    );
  });

  it('says what to do for a missing file', () => {
    const result = ripen('playbook', 'validate', '/nonexistent/playbook.yaml');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('cannot read playbook file /nonexistent/playbook.yaml');
  });
});
