import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNpmAdapter } from '../src/ecosystems/npm/index.js';
import type { NormalizedPackage, VersionRecord } from '../src/ecosystems/types.js';

/*
 * Shapes seen in a live sweep of real packuments (2010-2014 publishes), each in the made-up `legacy-shapes`:
 * `license` holding the legacy list (socket.io 0.3.8), `licenses` as one string (events 1.0.2), `licence`
 * (cli-color 0.2.x), dependency lists instead of maps (walk 0.9.0, soda-js 0.2.1, node-expat 1.3.2 devDependencies),
 * `engines` as a string (htmlparser2 2.1.x), `homepage` as a list (fs-extra 0.0.1), `maintainers` as one person
 * (jasmine-node 1.0.12) and CommonJS `repositories` without `repository` (JSV 3.5.0).
 */
const adapter = createNpmAdapter({ baseUrl: 'https://npm-registry.example' });

function normalized(): NormalizedPackage {
  const { versions, ...rest } = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, 'fixtures', 'npm', 'legacy-shapes.json'), 'utf8')) as Record<string, unknown>;
  return adapter.normalize('legacy-shapes', { package: rest, versions: versions as Record<string, unknown> });
}

function at(version: string): VersionRecord {
  const record = normalized().versions.find((entry) => entry.version === version);
  if (!record) throw new Error(`no version ${version}`);
  return record;
}

const deps = (record: VersionRecord) => record.dependencies.map((d) => `${d.kind} ${d.name} ${d.packageName} ${d.constraint}`);

describe('npm legacy manifest shapes', () => {
  it('reads the legacy license list written under `license`', () => {
    expect(at('0.1.0').license).toEqual({ spdx: 'MIT', name: 'MIT', source: 'package.json#license' });
  });

  it('reads `licenses` given as one string, and `licence`', () => {
    expect(at('0.2.0').license).toEqual({ spdx: 'MIT', name: 'MIT', source: 'package.json#licenses' });
    expect(at('0.3.0').license).toEqual({ spdx: 'BSD-3-Clause', name: 'BSD-3-Clause', source: 'package.json#licence' });
    // `license` still wins over the legacy keys.
    expect(at('0.4.0').license).toEqual({ spdx: 'MIT', name: 'MIT', source: 'package.json#license' });
  });

  it('reads dependency lists and strings as npm normalize-package-data does (a bare name is any version)', () => {
    expect(deps(at('0.1.0'))).toEqual([
      'RUNTIME dep-any dep-any *',
      'RUNTIME dep-pinned dep-pinned 1.2.0',
      'RUNTIME dep-range dep-range >= 0.3.1',
      'RUNTIME @jd/scoped-dep @jd/scoped-dep ~2.0.0',
      'DEVELOPMENT dev-one dev-one *',
      'DEVELOPMENT dev-two dev-two *',
    ]);
  });

  it('reads `engines` given as a string or a list of `name range`; bare names carry no range', () => {
    expect(at('0.1.0').engines).toEqual({ node: '>= 0.3.0' });
    expect(at('0.2.0').engines).toEqual({ node: '>=0.4' });
    expect(at('0.3.0').engines).toEqual({});
  });

  it('takes the first URL of a homepage list, one maintainer given alone, and `repositories[0]`', () => {
    const first = at('0.1.0');
    expect(first.links.homepage).toBe('https://janedoe.example.com/legacy-shapes');
    expect(first.links.repository).toBe('https://github.com/janedoe/legacy-shapes');
    expect(first.links.issues).toBe('https://github.com/janedoe/legacy-shapes/issues');
    expect(first.maintainers).toEqual([{ name: 'Jane Doe', email: 'jane@example.com', url: null }]);
    expect(at('0.2.0').maintainers).toEqual([{ name: 'Jane Doe', email: 'jane@example.com', url: null }]);
  });

  it('keeps dist-tag dependency specs as declared', () => {
    expect(deps(at('0.4.0'))).toEqual(['RUNTIME dep-any dep-any latest', 'RUNTIME dep-range dep-range beta']);
  });

  it('normalizes the whole packument (mirror `+00:00` microsecond times) with every version published', () => {
    const result = normalized();
    expect(result.package.latestVersion).toBe('0.4.0');
    expect(result.versions.map((v) => [v.version, v.status, v.releaseDate])).toEqual([
      ['0.4.0', 'ACTIVE', '2012-06-01T10:00:00.000Z'],
      ['0.3.0', 'ACTIVE', '2012-01-01T10:00:00.000Z'],
      ['0.2.0', 'ACTIVE', '2011-06-01T10:00:00.000Z'],
      ['0.1.0', 'ACTIVE', '2011-03-01T10:00:00.000Z'],
    ]);
  });
});
