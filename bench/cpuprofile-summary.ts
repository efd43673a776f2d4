// Self time of a V8 .cpuprofile grouped by where the code lives: a folder of this repository, an npm
// package, Node's internals, or V8's own buckets (garbage collector, program, idle).
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

/** `nlu/`, `stores/redis/`, `ioredis`, `@scope/pkg`, `(node)` or V8's `(garbage collector)`, … */
export function groupOf(url: string, functionName: string, root: string): string {
  if (!url) return `(${functionName.replace(/[()]/g, '') || 'native'})`;
  if (url.startsWith('node:')) return '(node)';
  const path = url.startsWith('file:') ? fileURLToPath(url) : url;
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = path.slice(modules + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const inside = relative(root, path);
  if (inside.startsWith('..')) return '(other)';
  const folders = inside.split('/').slice(0, -1);
  // Two levels for the big folders (stores/redis/, nlu/entities/), one otherwise.
  return folders.length ? `${folders.slice(0, 2).join('/')}/` : inside;
}

/** Self time per group and per function (name and file), largest first. */
export function selfTimes(profile: CpuProfile, root: string): { groups: SelfTime[]; functions: SelfTime[] } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  // Every sample counts one typical interval: on a loaded machine a few intervals stretch to hundreds of
  // ms of wall time while the process waited for a core, and would swamp whatever they happened to hit.
  const deltas = Float64Array.from(profile.timeDeltas).sort();
  const interval = deltas[Math.floor(deltas.length / 2)] ?? 0;
  let total = 0;
  for (const id of profile.samples) {
    const node = byId.get(id);
    if (!node) continue;
    total += interval;
    const { functionName, url } = node.callFrame;
    const group = groupOf(url, functionName, root);
    groups.set(group, (groups.get(group) ?? 0) + interval);
    // File names, not lines: tsx's transpiled line numbers do not match the sources.
    const where = url ? `${group} ${url.split('/').pop()}` : '';
    const name = `${functionName || '(anonymous)'} ${where}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + interval);
  }
  const sorted = (map: Map<string, number>) =>
    [...map]
      .map(([name, us]) => ({ name, ms: us / 1000, share: total ? us / total : 0 }))
      .sort((a, b) => b.ms - a.ms);
  return { groups: sorted(groups), functions: sorted(functions) };
}

export function formatSelfTimes(title: string, rows: SelfTime[], limit: number): string {
  const lines = rows
    .slice(0, limit)
    .map((r) => `${(r.share * 100).toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(7)} ms  ${r.name}`);
  return [title, ...lines].join('\n');
}
