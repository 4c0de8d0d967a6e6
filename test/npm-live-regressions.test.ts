import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickVersion } from '../src/services/resolution.js';
import type { VersionSummary } from '../src/store/types.js';
import { npmVersioning } from '../src/versioning/npm.js';
import { startFakeNpm, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';
import { packument } from './helpers/packument.js';

/*
 * Found by the live npm sweep: old publishes depend on dist-tags (aws-sdk 1.x `"xmlbuilder": "latest"`, bower 0.1.0
 * `"glob": "latest"`, @testing-library/react 10.0.0-beta.1 `"@testing-library/dom": "beta"`). npm installs the version
 * the tag names; the gateway answered `not an npm version range` and left them unresolved.
 */

const summaries = (versions: string[]): VersionSummary[] =>
  versions.map((version, i) => ({ version, seq: i, status: 'ACTIVE' as const, prerelease: version.includes('-'), releaseDate: new Date(Date.UTC(2020, 0, 1 + i)).toISOString() })).reverse();

describe('npm: a dependency on a dist-tag (pickVersion)', () => {
  const candidates = summaries(['1.0.0', '1.1.0', '2.0.0-beta.1']);
  const distTags = { latest: '1.1.0', beta: '2.0.0-beta.1' };
  const pick = (constraint: string, asOf: number | null = null) => pickVersion({ ecosystem: 'npm', versioning: npmVersioning, constraint, candidates, distTags, asOf });

  it('installs the version the tag names, aliases included', () => {
    expect(pick('latest')).toEqual({ version: '1.1.0' });
    expect(pick(' beta ')).toEqual({ version: '2.0.0-beta.1' });
    expect(pick('npm:tagged-lib@beta')).toEqual({ version: '2.0.0-beta.1' });
  });

  it('ranges are still ranges, and a missing tag or a tag published after asOf is unresolved with a reason', () => {
    expect(pick('^1.0.0')).toEqual({ version: '1.1.0' });
    expect(pick('nightly')).toEqual({ reason: 'no dist-tag "nightly" (and not a version range)' });
    expect(pick('beta', Date.UTC(2020, 0, 2, 12))).toEqual({ reason: 'dist-tag "beta" names 2.0.0-beta.1, published after 2020-01-02T12:00:00.000Z' });
    expect(pick('git://example.com/x.git')).toHaveProperty('reason');
  });

  it('other ecosystems do not read tags', () => {
    expect(pickVersion({ ecosystem: 'cargo', versioning: npmVersioning, constraint: 'latest', candidates, distTags, asOf: null })).toHaveProperty('reason');
  });
});

/*
 * Also from the sweep: versions published before semver 2.0 was enforced (express 3.0.0alpha1, grunt 0.4.0rc2) and
 * ranges naming them (grunt 0.4.x: `underscore.string: "~2.2.0rc"`, node-gyp 0.9.6: `request: ">= 2 && <= 2.14"`)
 * are read loosely by npm; strictly they were invalid, never prereleases and never matched.
 */
describe('npm: loose versions and ranges, as npm reads packuments', () => {
  it('orders and flags pre-semver-2 versions', () => {
    expect(npmVersioning.isValid('3.0.0alpha1')).toBe(true);
    expect(npmVersioning.isPrerelease('0.4.0rc2')).toBe(true);
    expect(['3.0.0', '3.0.0alpha1', '2.5.9'].sort(npmVersioning.compare)).toEqual(['2.5.9', '3.0.0alpha1', '3.0.0']);
  });

  it('resolves loose ranges to the version npm installs', () => {
    const candidates = summaries(['2.2.0rc', '2.2.0', '2.2.1', '2.3.0']);
    expect(pickVersion({ ecosystem: 'npm', versioning: npmVersioning, constraint: '~2.2.0rc', candidates, distTags: { latest: '2.3.0' }, asOf: null })).toEqual({ version: '2.2.1' });
    const request = summaries(['2.9.0', '2.14.0', '2.15.0']);
    expect(pickVersion({ ecosystem: 'npm', versioning: npmVersioning, constraint: '>= 2 && <= 2.14', candidates: request, distTags: { latest: '2.15.0' }, asOf: null })).toEqual({ version: '2.14.0' });
  });
});

describe('npm: dist-tag dependencies through the gateway', () => {
  let upstream: FakeUpstream;
  let gw: TestGateway;
  beforeAll(async () => {
    upstream = await startFakeNpm();
    const root = packument('tagdep-root', { versions: ['1.0.0'] }) as { versions: Record<string, Record<string, unknown>> };
    root.versions['1.0.0']!.dependencies = { 'tagdep-lib': 'beta', 'tagdep-util': 'latest', 'tagdep-gone': 'nightly' };
    upstream.setDocument('/tagdep-root', root);
    const lib = packument('tagdep-lib', { versions: ['1.0.0', '2.0.0-beta.1'], latest: '1.0.0' }) as { 'dist-tags': Record<string, string> };
    lib['dist-tags'].beta = '2.0.0-beta.1';
    upstream.setDocument('/tagdep-lib', lib);
    upstream.setDocument('/tagdep-util', packument('tagdep-util', { versions: ['0.1.0', '0.2.0', '0.3.0'], latest: '0.2.0' }));
    upstream.setDocument('/tagdep-gone', packument('tagdep-gone', { versions: ['1.0.0'] }));
    gw = await startTestGateway(upstream.url);
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
  });

  it('Dependency.resolved and dependencyGraph follow the tag', async () => {
    const result = await gw.query(`{
      version(ecosystem: NPM, name: "tagdep-root", version: "1.0.0") { dependencies { name constraint resolved { version } } }
      dependencyGraph(ecosystem: NPM, name: "tagdep-root", version: "1.0.0") { nodes { id } unresolved { name reason } }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.version.dependencies).toEqual([
      { name: 'tagdep-lib', constraint: 'beta', resolved: { version: '2.0.0-beta.1' } },
      { name: 'tagdep-util', constraint: 'latest', resolved: { version: '0.2.0' } },
      { name: 'tagdep-gone', constraint: 'nightly', resolved: null },
    ]);
    expect(result.data.dependencyGraph.nodes.map((n: { id: string }) => n.id).sort()).toEqual(['tagdep-lib@2.0.0-beta.1', 'tagdep-root@1.0.0', 'tagdep-util@0.2.0']);
    expect(result.data.dependencyGraph.unresolved).toEqual([{ name: 'tagdep-gone', reason: 'no dist-tag "nightly" (and not a version range)' }]);
  });
});
