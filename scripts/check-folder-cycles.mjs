#!/usr/bin/env node
// Fails when two feature folders of src/server depend on each other, directly or round a
// longer loop (docs/decisions/0010-feature-folders.md). Infrastructure folders (db, http, jobs)
// sit under every feature and are left out: a feature may import them, and http's knowledge of
// API keys (it authenticates requests) is the documented exception.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const INFRASTRUCTURE = new Set(['db', 'http', 'jobs']);

/** Feature-folder edges a decision record allows, as `from->to` (none today). */
export const ALLOWED_EDGES = new Set([]);

const IMPORT = /(?:^|[\s;])(?:import|export)\b[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function listFiles(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return listFiles(path);
    return /\.(ts|tsx|mts)$/.test(name) ? [path] : [];
  });
}

/** `from -> to -> [files]` for every import between different feature folders under `serverRoot`. */
export function folderEdges(serverRoot) {
  const root = resolve(serverRoot);
  const edges = new Map();
  for (const file of listFiles(root)) {
    const from = relative(root, file).split(sep)[0];
    if (from === undefined || from === relative(root, file) || INFRASTRUCTURE.has(from)) continue;
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2];
      if (!specifier?.startsWith('.')) continue;
      const target = relative(root, resolve(dirname(file), specifier));
      if (target.startsWith('..')) continue;
      const to = target.split(sep)[0];
      if (to === undefined || to === from || to === target || INFRASTRUCTURE.has(to)) continue;
      if (ALLOWED_EDGES.has(`${from}->${to}`)) continue;
      const targets = edges.get(from) ?? new Map();
      const files = targets.get(to) ?? [];
      files.push(relative(root, file));
      targets.set(to, files);
      edges.set(from, targets);
    }
  }
  return edges;
}

/** The groups of folders that reach each other (strongly connected components of two or more). */
export function findFolderCycles(edges) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  let counter = 0;
  const visit = (node) => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1) cycles.push(group.sort());
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

/** One line per import that keeps a cycle closed, for the person who has to break it. */
export function describeCycles(edges, cycles) {
  return cycles.map((group) => {
    const members = new Set(group);
    const lines = [];
    for (const from of group) {
      for (const [to, files] of edges.get(from) ?? []) {
        if (members.has(to)) lines.push(`  ${from} -> ${to}: ${[...new Set(files)].join(', ')}`);
      }
    }
    return `folders ${group.join(', ')} import each other:\n${lines.join('\n')}`;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const serverRoot = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'server');
  const edges = folderEdges(serverRoot);
  const cycles = findFolderCycles(edges);
  if (cycles.length > 0) {
    console.error(describeCycles(edges, cycles).join('\n\n'));
    console.error(
      '\nMove what both sides need to the lower folder (or to src/core), or pass it in from the caller.' +
        ' An edge that must stay needs a decision record and an entry in ALLOWED_EDGES.',
    );
    process.exit(1);
  }
  console.log(`feature folders: no import cycles (${edges.size} folders with imports)`);
}
