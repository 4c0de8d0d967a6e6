import DataLoader from 'dataloader';
import { describe, expect, it } from 'vitest';
import type { Loaders } from '../src/context.js';
import type { EcosystemId } from '../src/ecosystems/ids.js';
import type { DependencyRecord, VersionRecord } from '../src/ecosystems/types.js';
import { resolveDependencyGraph, type DependencyEnvironment, type DependencyGraph } from '../src/services/dependency-graph.js';
import type { PackageService, PackageView } from '../src/services/packages.js';
import type { PackageKey, StoredVersion, VersionKey, VersionSummary } from '../src/store/types.js';
import { cargoVersioning } from '../src/versioning/cargo.js';
import { mavenVersioning } from '../src/versioning/maven.js';
import { nugetVersioning } from '../src/versioning/nuget.js';
import type { Versioning } from '../src/versioning/types.js';
import { packageRecord, versionRecord } from './helpers/records.js';

/*
 * The graph walk over records as adapters produce them (Cargo targets and features, NuGet framework groups, Maven
 * exclusions and dependencyManagement), through the real resolveDependencyGraph, the real version schemes and
 * DataLoaders over an in-memory registry: these fields do not all reach the records through the adapters yet, so the
 * semantics are pinned here (test/graph-semantics-adapters.test.ts runs them through the adapters once they do).
 */

type Dep = Partial<DependencyRecord> & { name: string; constraint: string };

const dep = (d: Dep): DependencyRecord => ({ packageName: d.name, kind: 'RUNTIME', optional: false, bundled: false, ...d });

interface Published {
  deps?: Dep[];
  features?: Record<string, string[]>;
  extra?: Record<string, unknown>;
}

/** An in-memory registry behind the real loaders' interfaces. */
function registry(ecosystem: EcosystemId, packages: Record<string, Record<string, Published>>, versioning: Versioning) {
  const records = new Map<string, VersionRecord>();
  for (const [name, versions] of Object.entries(packages)) {
    for (const [version, spec] of Object.entries(versions)) {
      records.set(`${name}@${version}`, { ...versionRecord(name, version, { dependencies: (spec.deps ?? []).map(dep), ...(spec.features ? { features: spec.features } : {}), releaseDate: '2024-01-01T00:00:00.000Z' }, ecosystem), ...spec.extra });
    }
  }
  const summaries = (name: string): VersionSummary[] | null => {
    const versions = packages[name];
    if (!versions) return null;
    return Object.keys(versions).sort((a, b) => versioning.compare(b, a)).map((version, seq) => ({ version, seq, status: 'ACTIVE', prerelease: false, releaseDate: '2024-01-01T00:00:00.000Z' }));
  };
  const loadedPackages: string[] = [];
  const loaders: Loaders = {
    package: new DataLoader(async (keys) => keys.map((key): PackageView | null => {
      loadedPackages.push(key.name);
      return packages[key.name] ? { record: packageRecord(key.name, 1, {}, ecosystem), fetchedAt: 0, stale: false } : null;
    }), { cacheKeyFn: (key) => key.name }),
    version: new DataLoader(async (keys: readonly VersionKey[]) => keys.map((key): StoredVersion | null => {
      const record = records.get(`${key.name}@${key.version}`);
      return record ? { record, seq: 0 } : null;
    }), { cacheKeyFn: (key) => `${key.name}@${key.version}` }),
    extended: new DataLoader(async (keys) => keys.map(() => null), { cacheKeyFn: (key) => `${key.name}@${key.version}` }),
    detailed: new DataLoader(async (keys) => [...keys], { cacheKeyFn: (key) => `${key.name}@${key.version}` }),
    source: new DataLoader(async (keys) => keys.map(() => null), { cacheKeyFn: (key) => `${key.name}@${key.version}` }),
    candidates: new DataLoader(async (keys: readonly PackageKey[]) => keys.map((key) => summaries(key.name)), { cacheKeyFn: (key) => key.name }),
  };
  const service = {
    packageKey: (eco: EcosystemId, name: string): PackageKey => ({ ecosystem: eco, name }),
    adapter: () => ({ versioning }),
  } as unknown as PackageService;
  return {
    loadedPackages,
    async graph(name: string, version: string, environment: DependencyEnvironment = {}): Promise<DependencyGraph> {
      const graph = await resolveDependencyGraph(service, loaders, { ecosystem, name, version, kinds: ['RUNTIME'], maxDepth: 20, maxNodes: 100, environment, asOf: null });
      expect(graph).not.toBeNull();
      return graph!;
    },
  };
}

const ids = (g: DependencyGraph) => g.nodes.map((n) => n.id).sort();
const edge = (g: DependencyGraph, from: string, name: string) => g.edges.find((e) => e.from === from && e.name === name);

describe('Cargo: target cfgs and features', () => {
  const crates = registry('cargo', {
    app: {
      '1.0.0': {
        deps: [
          { name: 'winapi', constraint: '^0.3', target: 'cfg(windows)' },
          { name: 'libc', constraint: '^0.2', target: 'cfg(unix)' },
          { name: 'msvc-only', constraint: '^1', target: 'x86_64-pc-windows-msvc' },
          { name: 'rustls', constraint: '^0.21', optional: true },
          { name: 'serde', constraint: '^1', defaultFeatures: false },
          { name: 'serde_json', constraint: '^1', optional: true },
          { name: 'quiet', constraint: '^1', defaultFeatures: false },
        ],
        features: { default: ['std'], std: [], tls: ['dep:rustls'], json: ['serde/derive', 'dep:serde_json'] },
      },
    },
    winapi: { '0.3.9': {} },
    libc: { '0.2.150': {}, '0.2.151': {} },
    'msvc-only': { '1.0.0': {} },
    rustls: { '0.21.0': {} },
    serde: { '1.0.0': { deps: [{ name: 'serde_derive', constraint: '^1', optional: true }], features: { default: ['std'], std: [], derive: ['serde_derive'] } } },
    serde_derive: { '1.0.0': {} },
    serde_json: { '1.0.0': { deps: [{ name: 'serde', constraint: '^1', features: ['std'] }] } },
    quiet: { '1.0.0': { deps: [{ name: 'noisy', constraint: '^1', optional: true }], features: { default: ['noisy'] } } },
    noisy: { '1.0.0': {} },
  }, cargoVersioning);

  it('Windows: cfg(windows) and the triple apply, cfg(unix) does not; optional crates stay off without their feature', async () => {
    const g = await crates.graph('app', '1.0.0', { os: 'win32', arch: 'x64' });
    expect(ids(g)).toEqual(['app@1.0.0', 'msvc-only@1.0.0', 'quiet@1.0.0', 'serde@1.0.0', 'winapi@0.3.9']);
    expect(edge(g, 'app@1.0.0', 'winapi')).toMatchObject({ condition: 'cfg(windows)', applies: true });
    expect(edge(g, 'app@1.0.0', 'msvc-only')).toMatchObject({ condition: 'x86_64-pc-windows-msvc', applies: true });
    expect(g.excluded).toContainEqual({ from: 'app@1.0.0', name: 'libc', constraint: '^0.2', kind: 'RUNTIME', optional: false, condition: 'cfg(unix)', reason: 'target cfg(unix) does not match' });
    expect(g.excluded).toContainEqual(expect.objectContaining({ name: 'rustls', condition: 'optional (dep:rustls)', reason: expect.stringMatching(/no enabled feature turns it on \(features: default, std\)/) }));
    // default-features = false on the edge: quiet's default feature (which turns noisy on) is off.
    expect(g.excluded).toContainEqual(expect.objectContaining({ from: 'quiet@1.0.0', name: 'noisy' }));
    // Not asked of the crates that are never fetched.
    expect(crates.loadedPackages).not.toContain('libc');
    expect(crates.loadedPackages).not.toContain('rustls');
  });

  it('Linux with features: cfg(unix) applies, features turn optional crates and dependency features on', async () => {
    const g = await crates.graph('app', '1.0.0', { os: 'linux', arch: 'x64', cargoFeatures: ['tls', 'json'] });
    expect(ids(g)).toEqual(['app@1.0.0', 'libc@0.2.151', 'quiet@1.0.0', 'rustls@0.21.0', 'serde@1.0.0', 'serde_derive@1.0.0', 'serde_json@1.0.0']);
    expect(edge(g, 'app@1.0.0', 'rustls')).toMatchObject({ condition: 'feature = "tls"', applies: true });
    expect(edge(g, 'app@1.0.0', 'serde_json')).toMatchObject({ condition: 'feature = "json"', applies: true });
    // `serde/derive` in the root's json feature turns serde's derive feature, hence serde_derive, on.
    expect(edge(g, 'serde@1.0.0', 'serde_derive')).toMatchObject({ condition: 'feature = "derive"', applies: true });
    expect(g.excluded.map((e) => e.name).sort()).toEqual(['msvc-only', 'noisy', 'winapi']);
  });

  it('without an os: targets are reported and kept, unevaluated', async () => {
    const g = await crates.graph('app', '1.0.0');
    expect(edge(g, 'app@1.0.0', 'winapi')).toMatchObject({ condition: 'cfg(windows)', applies: null });
    expect(edge(g, 'app@1.0.0', 'libc')).toMatchObject({ condition: 'cfg(unix)', applies: null });
    expect(edge(g, 'app@1.0.0', 'serde')).toMatchObject({ condition: null, applies: null });
  });
});

describe('NuGet: nearest framework group and lowest applicable version', () => {
  const groups = (framework: string | null, deps: Dep[]) => deps.map((d) => ({ ...d, targetFramework: framework }));
  const packages = registry('nuget', {
    app: {
      '1.0.0': {
        deps: [
          ...groups('net6.0', [{ name: 'logging', constraint: '[6.0.0, )' }, { name: 'float', constraint: '1.*' }]),
          ...groups('.NETStandard2.0', [{ name: 'logging', constraint: '2.0.0' }, { name: 'compat', constraint: '[1.0.0, )' }]),
          ...groups('.NETFramework4.6.2', [{ name: 'logging', constraint: '[2.0.0, )' }, { name: 'netfx', constraint: '[1.0.0, 2.0.0)' }]),
        ],
      },
    },
    // An empty nearest group means no dependencies at all (the adapter's frameworkGroups keeps empty groups).
    slim: { '1.0.0': { deps: groups('.NETStandard2.0', [{ name: 'compat', constraint: '1.0.0' }]), extra: { frameworkGroups: ['net8.0', '.NETStandard2.0'] } } },
    logging: { '2.0.0': {}, '6.0.0': {}, '6.0.1': {}, '8.0.0': {} },
    float: { '1.0.0': {}, '1.4.0': {}, '2.0.0': {} },
    compat: { '1.0.0': {}, '1.1.0': {} },
    netfx: { '1.0.0': {}, '1.2.0': {} },
  }, nugetVersioning);

  it('net8.0 takes the net6.0 group and the lowest version each range allows (floating ranges the highest)', async () => {
    const g = await packages.graph('app', '1.0.0', { targetFramework: 'net8.0' });
    expect(ids(g)).toEqual(['app@1.0.0', 'float@1.4.0', 'logging@6.0.0']);
    expect(edge(g, 'app@1.0.0', 'logging')).toMatchObject({ condition: 'net6.0', applies: true, to: 'logging@6.0.0' });
    expect(g.excluded).toContainEqual(expect.objectContaining({ name: 'compat', condition: '.NETStandard2.0', reason: 'group .NETStandard2.0 is not the nearest to net8.0 (net6.0 is)' }));
  });

  it('net472 takes the .NET Framework group; netcoreapp3.1 the .NET Standard one', async () => {
    const fx = await packages.graph('app', '1.0.0', { targetFramework: 'net472' });
    expect(ids(fx)).toEqual(['app@1.0.0', 'logging@2.0.0', 'netfx@1.0.0']);
    const core = await packages.graph('app', '1.0.0', { targetFramework: 'netcoreapp3.1' });
    expect(ids(core)).toEqual(['app@1.0.0', 'compat@1.0.0', 'logging@2.0.0']);
    const none = await packages.graph('app', '1.0.0', { targetFramework: 'net40' });
    expect(ids(none)).toEqual(['app@1.0.0']);
    expect(none.excluded[0]?.reason).toBe('no dependency group is compatible with net40');
  });

  it('without a target framework: every group is followed, its framework reported', async () => {
    const g = await packages.graph('app', '1.0.0');
    expect(g.edges.filter((e) => e.name === 'logging').map((e) => [e.condition, e.applies, e.to])).toEqual([
      ['net6.0', null, 'logging@6.0.0'], ['.NETStandard2.0', null, 'logging@2.0.0'], ['.NETFramework4.6.2', null, 'logging@2.0.0'],
    ]);
  });

  it('an empty nearest group leaves no dependencies', async () => {
    expect(ids(await packages.graph('slim', '1.0.0', { targetFramework: 'net8.0' }))).toEqual(['slim@1.0.0']);
    expect(ids(await packages.graph('slim', '1.0.0', { targetFramework: 'net6.0' }))).toEqual(['compat@1.0.0', 'slim@1.0.0']);
  });
});

describe('Maven: exclusions and the root\'s dependencyManagement', () => {
  const g = (n: string) => `org.gs:${n}`;
  const repo = registry('maven', {
    [g('app')]: {
      '1.0': {
        deps: [
          { name: g('a'), constraint: '1.0', exclusions: [g('ex')] },
          { name: g('b'), constraint: '1.0', exclusions: ['*:*'] },
          { name: g('c'), constraint: '1.0' },
        ],
        extra: { managedDependencies: [{ name: g('managed'), constraint: '2.0' }] },
      },
    },
    [g('a')]: { '1.0': { deps: [{ name: g('mid'), constraint: '1.0' }, { name: g('ex'), constraint: '1.0' }] } },
    // ex is excluded below a too: exclusions hold for the whole subtree.
    [g('mid')]: { '1.0': { deps: [{ name: g('ex'), constraint: '1.0' }, { name: g('kept'), constraint: '1.0' }] } },
    [g('b')]: { '1.0': { deps: [{ name: g('kept'), constraint: '1.0' }, { name: g('other'), constraint: '1.0' }] } },
    [g('c')]: { '1.0': { deps: [{ name: g('managed'), constraint: '1.0' }, { name: g('ex'), constraint: '1.0' }] } },
    [g('ex')]: { '1.0': {} },
    [g('kept')]: { '1.0': {} },
    [g('other')]: { '1.0': {} },
    [g('managed')]: { '1.0': {}, '2.0': {} },
  }, mavenVersioning);

  it('cuts what an exclusion names below that edge, wildcards included, and nowhere else', async () => {
    const graph = await repo.graph(g('app'), '1.0');
    expect(ids(graph)).toEqual([g('a@1.0'), g('app@1.0'), g('b@1.0'), g('c@1.0'), g('ex@1.0'), g('kept@1.0'), g('managed@2.0'), g('mid@1.0')]);
    expect(graph.excluded).toContainEqual(expect.objectContaining({ from: g('a@1.0'), name: g('ex'), reason: `excluded by ${g('ex')} on the path from the root` }));
    expect(graph.excluded).toContainEqual(expect.objectContaining({ from: g('mid@1.0'), name: g('ex') }));
    expect(graph.excluded).toContainEqual(expect.objectContaining({ from: g('b@1.0'), name: g('other'), reason: 'excluded by *:* on the path from the root' }));
    // c's path has no exclusion: ex comes in through it.
    expect(graph.edges).toContainEqual(expect.objectContaining({ from: g('c@1.0'), to: g('ex@1.0') }));
    // b's own declaration of kept (the nearer one) is cut by *:*, so mid's deeper one is the nearest left.
    expect(graph.edges).toContainEqual(expect.objectContaining({ from: g('mid@1.0'), to: g('kept@1.0') }));
  });

  it('the root\'s dependencyManagement sets the version of its transitive dependencies', async () => {
    const graph = await repo.graph(g('app'), '1.0');
    expect(graph.edges).toContainEqual(expect.objectContaining({ from: g('c@1.0'), to: g('managed@2.0'), constraint: '2.0' }));
  });
});
