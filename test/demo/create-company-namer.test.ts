import { describe, expect, it } from 'vitest';
import { COMPANY_NAME_SPACE, createCompanyNamer } from '../../src/demo/create-company-namer.ts';
import { createRandom } from '../../src/demo/seeded-random.ts';

describe('createCompanyNamer', () => {
  it('never gives two companies of a run the same domain, across qualifier and numbered cycles', () => {
    const namer = createCompanyNamer(createRandom(3));
    const slugs = new Set<string>();
    const count = COMPANY_NAME_SPACE * 22;
    for (let index = 0; index < count; index++) slugs.add(namer.nameAt(index).slug);
    expect(slugs.size).toBe(count);
  });

  it('writes domains as lower-case letters, digits and dashes', () => {
    const namer = createCompanyNamer(createRandom(8));
    for (const index of [0, 1, 500, COMPANY_NAME_SPACE + 3, COMPANY_NAME_SPACE * 21 + 9]) {
      expect(namer.nameAt(index).slug).toMatch(/^[a-z0-9]+(-[0-9]+)?$/);
    }
  });
});
