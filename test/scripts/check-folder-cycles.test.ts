import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { describeCycles, findFolderCycles, folderEdges } from '../../scripts/check-folder-cycles.mjs';

const folders: string[] = [];

function serverTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ripen-folders-'));
  folders.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('the feature-folder cycle check', () => {
  it('finds two folders that import each other and names the files', () => {
    const root = serverTree({
      'contacts/save-contact.ts': "import { scoreContacts } from '../scoring/score-contacts.ts';\n",
      'scoring/score-contacts.ts': "import type { Row } from '../contacts/contact-row.ts';\n",
      'contacts/contact-row.ts': 'export type Row = {};\n',
    });
    const edges = folderEdges(root);
    const cycles = findFolderCycles(edges);
    expect(cycles).toEqual([['contacts', 'scoring']]);
    expect(describeCycles(edges, cycles)[0]).toContain('scoring -> contacts: scoring/score-contacts.ts');
  });

  it('finds a loop round three folders, and multi-line and dynamic imports', () => {
    const root = serverTree({
      'a/one.ts': "import {\n  b,\n} from '../b/two.ts';\n",
      'b/two.ts': "export const b = () => import('../c/three.ts');\n",
      'c/three.ts': "export * from '../a/one.ts';\n",
    });
    expect(findFolderCycles(folderEdges(root))).toEqual([['a', 'b', 'c']]);
  });

  it('leaves out infrastructure folders, the composition root and packages', () => {
    const root = serverTree({
      'app.ts': "import '../server/contacts/x.ts';\nimport { a } from './contacts/x.ts';\n",
      'contacts/x.ts': "import { sql } from 'kysely';\nimport { auth } from '../http/auth.ts';\nexport const a = 1;\n",
      'http/auth.ts': "import { keys } from '../contacts/x.ts';\nexport const auth = 1;\n",
    });
    expect(findFolderCycles(folderEdges(root))).toEqual([]);
  });

  it('passes on the real source tree', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'server');
    const edges = folderEdges(root);
    expect(edges.size).toBeGreaterThan(5);
    expect(describeCycles(edges, findFolderCycles(edges))).toEqual([]);
  });
});
