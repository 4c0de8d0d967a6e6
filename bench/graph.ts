/**
 * `npm run bench:graph`: the dependency graph of a large real npm root (default jest@29.7.0, override
 * with BENCH_GRAPH_ROOT) from the gateway, cold (empty store) and warm, next to
 * `npm install --package-lock-only` cold (empty cache) and warm (filled cache) in the same run, all
 * against the registry npm is configured with. Prints times and ratios.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gatewayTree, npmLockTree, splitSpec, startLiveGateway, timed } from './npm-tree.js';

const spec = process.env.BENCH_GRAPH_ROOT ?? 'jest@29.7.0';
const [name, version] = splitSpec(spec);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'scout-bench-graph-'));
const cache = path.join(scratch, 'npm-cache');
const gateway = await startLiveGateway(path.join(scratch, 'data'));
try {
  const npmCold = await timed(() => npmLockTree(spec, cache));
  const npmWarm = await timed(() => npmLockTree(spec, cache));
  const cold = await timed(() => gatewayTree(gateway, name, version));
  const warmRuns = [];
  for (let i = 0; i < 5; i++) warmRuns.push(await timed(() => gatewayTree(gateway, name, version)));
  const warm = warmRuns.map((r) => r.ms).sort((a, b) => a - b)[2]!;
  const row = (label: string, ms: number, size: number) => console.log(`${label.padEnd(34)} ${ms.toFixed(0).padStart(7)} ms  ${String(size).padStart(5)} packages`);
  console.log(`dependency graph of ${spec}`);
  row('npm --package-lock-only, cold', npmCold.ms, npmCold.value.size);
  row('npm --package-lock-only, warm', npmWarm.ms, npmWarm.value.size);
  row('gateway dependencyGraph, cold', cold.ms, cold.value.nodes.size);
  row('gateway dependencyGraph, warm (median of 5)', warm, cold.value.nodes.size);
  console.log(`cold: gateway/npm = ${(cold.ms / npmCold.ms).toFixed(2)}x the time (target <= 1)`);
  console.log(`warm: npm/gateway = ${(npmWarm.ms / warm).toFixed(1)}x faster (target >= 20)`);
} finally {
  await gateway.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}
