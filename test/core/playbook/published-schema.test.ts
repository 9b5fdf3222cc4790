import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PlaybookSchema } from '../../../src/core/playbook/playbook-schema.ts';

describe('the published playbook JSON Schema', () => {
  it('is the schema the validator uses (regenerate with `npm run schema:playbook`)', () => {
    const published: unknown = JSON.parse(
      readFileSync(new URL('../../../docs/playbook.schema.json', import.meta.url), 'utf8'),
    );
    expect(published).toEqual(JSON.parse(JSON.stringify(PlaybookSchema)));
  });
});
