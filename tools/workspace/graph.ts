/** The Nx project graph, read from `nx graph --file` (what imports actually say, tests included). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProjectGraph {
  /** Project name → the projects and npm packages (`npm:<name>`) its files import. */
  dependencies: Record<string, string[]>;
  /** Project name → its tags. */
  tags: Record<string, string[]>;
}

interface GraphFile {
  graph: {
    nodes: Record<string, { data: { tags?: string[] } }>;
    dependencies: Record<string, { target: string }[]>;
  };
}

export function workspaceRoot(): string {
  return join(__dirname, '..', '..');
}

export function readProjectGraph(): ProjectGraph {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-graph-'));
  try {
    const file = join(dir, 'graph.json');
    execFileSync('npx', ['nx', 'graph', `--file=${file}`], { cwd: workspaceRoot(), stdio: 'pipe' });
    const { graph } = JSON.parse(readFileSync(file, 'utf8')) as GraphFile;
    const dependencies: Record<string, string[]> = {};
    for (const [project, deps] of Object.entries(graph.dependencies)) {
      if (!project.startsWith('npm:')) dependencies[project] = [...new Set(deps.map((d) => d.target))].sort();
    }
    const tags: Record<string, string[]> = {};
    for (const [project, node] of Object.entries(graph.nodes)) tags[project] = node.data.tags ?? [];
    return { dependencies, tags };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
