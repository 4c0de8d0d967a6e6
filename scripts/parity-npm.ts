/**
 * `npm run parity:npm -- <spec>` (e.g. `jest@29.7.0`): npm's own lockfile resolution next to the
 * gateway's dependencyGraph for the same root, against the registry npm is configured with. Prints the
 * matches, the versions only the gateway chose (extras) and those only npm chose (misses).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gatewayTree, npmLockTree, splitSpec, startLiveGateway } from '../bench/npm-tree.js';

async function main(): Promise<void> {
  const spec = process.argv[2];
  if (!spec) {
    console.error('usage: npm run parity:npm -- <name@version>');
    process.exit(2);
  }
  const [name, version] = splitSpec(spec);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'scout-parity-'));
  const gateway = await startLiveGateway(path.join(scratch, 'data'));
  try {
    const [npm, ours] = await Promise.all([npmLockTree(spec, path.join(scratch, 'npm-cache')), gatewayTree(gateway, name, version)]);
    const matches = [...npm].filter((id) => ours.nodes.has(id));
    const extras = [...ours.nodes].filter((id) => !npm.has(id)).sort();
    const misses = [...npm].filter((id) => !ours.nodes.has(id)).sort();
    console.log(`root ${spec}: npm ${npm.size} packages, gateway ${ours.nodes.size} nodes${ours.truncated ? ' (truncated)' : ''}`);
    console.log(`matches: ${matches.length}`);
    console.log(`extras (gateway only): ${extras.length}${extras.length ? `\n  ${extras.join('\n  ')}` : ''}`);
    console.log(`misses (npm only): ${misses.length}${misses.length ? `\n  ${misses.join('\n  ')}` : ''}`);
    if (ours.unresolved.length) console.log(`unresolved: ${ours.unresolved.map((u) => `${u.from} -> ${u.name}@${u.constraint}: ${u.reason}`).join('\n  ')}`);
  } finally {
    await gateway.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
