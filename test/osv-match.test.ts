import { describe, expect, it } from 'vitest';
import type { EcosystemId } from '../src/ecosystems/ids.js';
import { cvss2BaseScore, cvss3BaseScore, cvssRating } from '../src/osv/cvss.js';
import { osvVersion, packageNameKey } from '../src/osv/ecosystems.js';
import { normalizeSemver, rangeIncludes, recordAffects } from '../src/osv/match.js';
import { osvRecordSchema, type OsvRecord, type OsvRange } from '../src/osv/schema.js';
import { indexKeys } from '../src/osv/store.js';
import { vulnerabilityView } from '../src/osv/view.js';
import { loadFixtureRecords } from './helpers/fake-osv.js';

const records = new Map(loadFixtureRecords().map((raw) => [raw.id, osvRecordSchema.parse(raw)]));
const record = (id: string): OsvRecord => {
  const found = records.get(id);
  if (!found) throw new Error(`no fixture ${id}`);
  return found;
};

/** The ids of fixture records that affect a version, by the evaluation rules (withdrawn ones left in). */
const affecting = (ecosystem: EcosystemId, name: string, version: string) =>
  [...records.values()].filter((r) => recordAffects(r, ecosystem, name, version)).map((r) => r.id).sort();

describe('SEMVER ranges (npm tiny-merge)', () => {
  it('reads several ranges of one entry, each [introduced, fixed)', () => {
    const r = record('GHSA-2v5c-9rq4-7hxf');
    expect(recordAffects(r, 'npm', 'tiny-merge', '0.0.1')).toBe(true);
    expect(recordAffects(r, 'npm', 'tiny-merge', '1.2.2')).toBe(true);
    expect(recordAffects(r, 'npm', 'tiny-merge', '1.2.3')).toBe(false);
    expect(recordAffects(r, 'npm', 'tiny-merge', '1.9.0')).toBe(false);
    expect(recordAffects(r, 'npm', 'tiny-merge', '2.0.0')).toBe(true);
    expect(recordAffects(r, 'npm', 'tiny-merge', '2.1.0')).toBe(false);
  });

  it('orders prereleases before their release (1.2.3-beta.1 < fixed 1.2.3) and ignores build metadata', () => {
    expect(recordAffects(record('GHSA-2v5c-9rq4-7hxf'), 'npm', 'tiny-merge', '1.2.3-beta.1')).toBe(true);
    expect(recordAffects(record('GHSA-h3m7-4pqw-x9cv'), 'npm', 'tiny-merge', '3.0.4+build.7')).toBe(true);
  });

  it('treats last_affected as inclusive and everything above it as unaffected', () => {
    const r = record('GHSA-h3m7-4pqw-x9cv');
    expect(recordAffects(r, 'npm', 'tiny-merge', '2.9.9')).toBe(false);
    expect(recordAffects(r, 'npm', 'tiny-merge', '3.0.0')).toBe(true);
    expect(recordAffects(r, 'npm', 'tiny-merge', '3.0.4')).toBe(true);
    expect(recordAffects(r, 'npm', 'tiny-merge', '3.0.5')).toBe(false);
    // A prerelease of the next minor is above 3.0.4.
    expect(recordAffects(r, 'npm', 'tiny-merge', '3.1.0-rc.1')).toBe(false);
  });

  it('applies limit events: only versions below a limit can be affected', () => {
    const r = record('GHSA-8fjq-m2rw-6g5p');
    expect(recordAffects(r, 'npm', 'tiny-merge', '0.4.9')).toBe(true);
    expect(recordAffects(r, 'npm', 'tiny-merge', '0.5.0')).toBe(false);
    expect(recordAffects(r, 'npm', 'tiny-merge', '9.0.0')).toBe(false);
  });

  it('follows the spec pseudocode on hand-made timelines', () => {
    const order = { valid: (v: string) => normalizeSemver(v) !== null, compare: (a: string, b: string) => (normalizeSemver(a)! < normalizeSemver(b)! ? -1 : normalizeSemver(a)! > normalizeSemver(b)! ? 1 : 0) };
    const range = (events: OsvRange['events']): OsvRange => ({ type: 'SEMVER', events });
    // Unsorted events are sorted first; "0" is before everything.
    const unsorted = range([{ fixed: '1.5.0' }, { introduced: '1.2.0' }, { introduced: '0' }, { fixed: '1.1.0' }]);
    expect(rangeIncludes(unsorted, '1.0.0', order)).toBe(true);
    expect(rangeIncludes(unsorted, '1.1.5', order)).toBe(false);
    expect(rangeIncludes(unsorted, '1.3.0', order)).toBe(true);
    expect(rangeIncludes(unsorted, '1.5.0', order)).toBe(false);
    // No fixed event: everything from introduced on.
    expect(rangeIncludes(range([{ introduced: '2.0.0' }]), '99.0.0', order)).toBe(true);
    // Several limits: below any one of them; "*" is infinity.
    expect(rangeIncludes(range([{ introduced: '0' }, { limit: '1.0.0' }, { limit: '*' }]), '5.0.0', order)).toBe(true);
    // An unreadable version is in no range.
    expect(rangeIncludes(range([{ introduced: '0' }]), 'not-a-version', order)).toBe(false);
  });

  it('pads short versions and accepts a v prefix in SEMVER, as OSV databases write them', () => {
    expect(normalizeSemver('1.2')).toBe('1.2.0');
    expect(normalizeSemver('v2')).toBe('2.0.0');
    expect(normalizeSemver('1.2.3-rc.1+meta')).toBe('1.2.3-rc.1');
    expect(normalizeSemver('1.2.3.4')).toBeNull();
  });

  it('keeps withdrawn records matchable (the caller filters them) and matches no other package', () => {
    expect(recordAffects(record('GHSA-wq7c-3x9v-j4mh'), 'npm', 'tiny-merge', '1.0.0')).toBe(true);
    expect(recordAffects(record('GHSA-2v5c-9rq4-7hxf'), 'npm', 'tiny-merge-x', '1.0.0')).toBe(false);
    expect(recordAffects(record('GHSA-2v5c-9rq4-7hxf'), 'pypi', 'tiny-merge', '1.0.0')).toBe(false);
  });
});

describe('ECOSYSTEM ranges use the ecosystem ordering', () => {
  it('PEP 440 (PyPI): dev < b < rc < final, post-releases, implicit zeros; names PEP 503-folded', () => {
    const r = record('GHSA-5xg9-q2c8-rv4h');
    // The record spells the project `Fancy.Parser`.
    for (const version of ['1.9', '1.10.post1', '2.0.0.dev1', '2.0.0b3', '2.1.0', '2.1.4rc1']) expect(recordAffects(r, 'pypi', 'fancy-parser', version), version).toBe(true);
    for (const version of ['2.0.0rc1', '2.0.0', '2.0.5', '2.1.4', '2.1.4.post1']) expect(recordAffects(r, 'pypi', 'fancy-parser', version), version).toBe(false);
  });

  it('PyPI versions lists count (PEP 440 equal spellings) and GIT ranges are skipped', () => {
    const r = record('PYSEC-2024-9001');
    expect(recordAffects(r, 'pypi', 'fancy-parser', '0.9.2')).toBe(true);
    expect(recordAffects(r, 'pypi', 'fancy-parser', '1.0.0')).toBe(true);
    // The GIT range starts at "0" but says nothing about 0.9.3 (no commit graph here).
    expect(recordAffects(r, 'pypi', 'fancy-parser', '0.9.3')).toBe(false);
  });

  it('Maven ComparableVersion: qualifiers, numeric segments, milestones', () => {
    const r = record('GHSA-c7vr-p9m3-2hwq');
    const yes = ['2.0.0', '2.5.0-SNAPSHOT', '2.5.1-RC1', '3.0.0-M1', '3.0.0'];
    const no = ['1.9.9', '2.5.1', '2.5.1.Final', '2.10.0', '3.0.0-alpha-1', '3.0.2'];
    for (const version of yes) expect(recordAffects(r, 'maven', 'org.example:widget-core', version), version).toBe(true);
    for (const version of no) expect(recordAffects(r, 'maven', 'org.example:widget-core', version), version).toBe(false);
    // The second affected entry is another artifact with its own range.
    expect(recordAffects(r, 'maven', 'org.example:widget-api', '1.0.8')).toBe(true);
    expect(recordAffects(r, 'maven', 'org.example:widget-api', '2.0.0')).toBe(false);
  });

  it('NuGet (ids case-insensitive), RubyGems, Composer and Go (no v prefix in OSV)', () => {
    expect(affecting('nuget', 'acme.json.tools', '13.0.1-beta')).toEqual(['GHSA-jw4g-8r2x-v6qc']);
    expect(affecting('nuget', 'acme.json.tools', '13.0.1')).toEqual([]);
    expect(affecting('rubygems', 'rack-lite', '2.2.3.pre1')).toEqual(['GHSA-r6p2-fx3h-9vmc']);
    expect(affecting('rubygems', 'rack-lite', '2.2.3')).toEqual([]);
    expect(affecting('rubygems', 'rack-lite-extras', '0.3.9')).toEqual(['GHSA-r6p2-fx3h-9vmc']);
    expect(affecting('packagist', 'acme/toolkit', '1.4.0-RC1')).toEqual(['GHSA-q8w5-cj3v-x2f7']);
    expect(affecting('packagist', 'acme/toolkit', '1.4.0')).toEqual([]);
    expect(affecting('go', 'example.com/mod/kit', 'v1.4.1')).toEqual(['GO-2024-9001']);
    expect(affecting('go', 'example.com/mod/kit', 'v1.4.2')).toEqual([]);
    expect(affecting('go', 'example.com/mod/kit', 'v2.0.2')).toEqual(['GO-2024-9001']);
    expect(osvVersion('go', 'v1.4.1')).toBe('1.4.1');
  });

  it('folds names the way each registry does', () => {
    expect(packageNameKey('pypi', 'Fancy.Parser')).toBe('fancy-parser');
    expect(packageNameKey('pypi', 'fancy__parser')).toBe('fancy-parser');
    expect(packageNameKey('nuget', 'Acme.Json.Tools')).toBe('acme.json.tools');
    expect(packageNameKey('npm', 'Tiny-Merge')).toBe('Tiny-Merge');
    expect(indexKeys(record('GHSA-c7vr-p9m3-2hwq'))).toEqual([
      { ecosystem: 'maven', nameKey: 'org.example:widget-core' },
      { ecosystem: 'maven', nameKey: 'org.example:widget-api' },
    ]);
  });
});

describe('CVSS base scores', () => {
  it('computes v3.1 scores with the specification Roundup', () => {
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBe(9.8);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H')).toBe(7.5);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H')).toBe(10);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:N/A:N')).toBe(6.8);
    expect(cvss3BaseScore('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H')).toBe(7.8);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N')).toBe(6.1);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N')).toBe(4.3);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N')).toBe(0);
    // Temporal metrics do not change the base score.
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H/E:U/RL:O/RC:C')).toBe(7.5);
  });

  it('computes v3.0 vectors and v2 vectors; rejects broken vectors; no v4 score', () => {
    expect(cvss3BaseScore('CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:N/A:N')).toBe(6.8);
    expect(cvss3BaseScore('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBe(9.8);
    expect(cvss2BaseScore('AV:N/AC:L/Au:N/C:P/I:P/A:P')).toBe(7.5);
    expect(cvss2BaseScore('AV:N/AC:L/Au:N/C:C/I:C/A:C')).toBe(10);
    expect(cvss2BaseScore('AV:N/AC:M/Au:N/C:N/I:P/A:N')).toBe(4.3);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H')).toBeNull(); // no scope
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBeNull(); // repeated metric
    expect(cvss3BaseScore('CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBeNull();
    expect(cvss3BaseScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toBeNull();
    expect([0, 3.9, 4, 6.9, 7, 8.9, 9].map(cvssRating)).toEqual(['NONE', 'LOW', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH', 'CRITICAL']);
  });
});

describe('the Vulnerability view of one package', () => {
  it('keeps only that package: ranges, fixed versions in order, severities with scores', () => {
    const view = vulnerabilityView(record('GHSA-c7vr-p9m3-2hwq'), 'maven', 'org.example:widget-core');
    expect(view.ranges.map((r) => [r.type, r.introduced, r.fixed])).toEqual([
      ['ECOSYSTEM', ['2.0.0'], ['2.5.1']],
      ['ECOSYSTEM', ['3.0.0-M1'], ['3.0.2']],
    ]);
    expect(view.fixedVersions).toEqual(['2.5.1', '3.0.2']);
    expect(view.severity).toEqual([{ type: 'CVSS_V3', score: 'CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:N/A:N', baseScore: 6.8, rating: 'MEDIUM' }]);
    expect(view.databaseSeverity).toBe('HIGH');
    expect(view.cweIds).toEqual(['CWE-502']);
    expect(view.aliases).toEqual(['CVE-2023-99105']);
    expect(view.url).toBe('https://osv.dev/vulnerability/GHSA-c7vr-p9m3-2hwq');
  });

  it('shows events one field each, last_affected and limit included; v4 vectors kept without a score', () => {
    const view = vulnerabilityView(record('GHSA-h3m7-4pqw-x9cv'), 'npm', 'tiny-merge');
    expect(view.ranges[0]!.events).toEqual([
      { introduced: '3.0.0', fixed: null, lastAffected: null, limit: null },
      { introduced: null, fixed: null, lastAffected: '3.0.4', limit: null },
    ]);
    expect(view.fixedVersions).toEqual([]);
    expect(view.severity).toEqual([{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N', baseScore: null, rating: null }]);
    expect(vulnerabilityView(record('GHSA-8fjq-m2rw-6g5p'), 'npm', 'tiny-merge').ranges[0]!.limit).toEqual(['0.5.0']);
  });

  it('spells Go fixed versions as the registry does, and gives v2 ratings without CRITICAL', () => {
    expect(vulnerabilityView(record('GO-2024-9001'), 'go', 'example.com/mod/kit').fixedVersions).toEqual(['v1.4.2', 'v2.0.3']);
    const rack = vulnerabilityView(record('GHSA-r6p2-fx3h-9vmc'), 'rubygems', 'rack-lite');
    expect(rack.severity).toEqual([{ type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:P/A:P', baseScore: 7.5, rating: 'HIGH' }]);
    expect(rack.ranges).toHaveLength(1);
    expect(vulnerabilityView(record('GHSA-wq7c-3x9v-j4mh'), 'npm', 'tiny-merge').withdrawn).toBe('2024-03-05T10:20:30Z');
  });
});
