import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGoAdapter } from '../src/ecosystems/go/index.js';
import type { NormalizedPackage, RawDocument, VersionRecord } from '../src/ecosystems/types.js';
import type { GetResult, UpstreamClient } from '../src/http/client.js';
import { compareGoSemver } from '../src/versioning/go.js';

const sharedRoot = path.resolve(import.meta.dirname, '..', '..', 'shared', 'upstream-fixtures');
const proxyRoot = path.join(sharedRoot, 'go', 'proxy.golang.org');
const exists = fs.existsSync(proxyRoot);

const BASE = 'https://proxy.golang.org';
const adapter = createGoAdapter({ baseUrl: BASE });

/** Every `<escaped module path>/@v/list` under the host folder (the file path mirrors the request path). */
function modules(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'list' && path.basename(dir) === '@v') found.push(path.relative(proxyRoot, path.dirname(dir)));
    }
  };
  walk(proxyRoot);
  return found.sort();
}

/** Serves the recorded files for the request paths the adapter asks; everything else is a 404 (as the proxy answers). */
function recordedClient(requests: string[]): UpstreamClient {
  return {
    async get(_upstream, url): Promise<GetResult> {
      const requestPath = new URL(url).pathname;
      requests.push(requestPath);
      const file = path.join(proxyRoot, decodeURIComponent(requestPath));
      if (!file.startsWith(proxyRoot) || !fs.existsSync(file)) return { kind: 'not-found', status: 404 };
      return { kind: 'ok', status: 200, body: fs.readFileSync(file), contentType: null, validators: { etag: null, lastModified: null } };
    },
  };
}

function unescapePath(escaped: string): string {
  return escaped.replace(/!([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function read(escaped: string, file: string): string | null {
  const full = path.join(proxyRoot, escaped, '@v', file);
  return fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : null;
}

/** Requirements read from the raw go.mod with a deliberately simple independent reading (no comments inside paths). */
function requiresOf(mod: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let inBlock = false;
  for (const raw of mod.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (/^require\s*\($/.test(line)) inBlock = true;
    else if (inBlock && line === ')') inBlock = false;
    else {
      const match = (inBlock ? /^(\S+)\s+(\S+)$/ : /^require\s+(\S+)\s+(\S+)$/).exec(line);
      if (match) out.push([match[1]!, match[2]!]);
    }
  }
  return out;
}

/** retract lines/blocks of the raw go.mod: single versions only, as in the recorded files. */
function retractedOf(mod: string | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!mod) return out;
  const block = /retract\s*\(([\s\S]*?)\)/.exec(mod)?.[1] ?? '';
  for (const line of [...block.split('\n'), ...[...mod.matchAll(/^retract\s+(v\S+.*)$/gm)].map((m) => m[1]!)]) {
    const match = /^\s*(v\S+)\s*(?:\/\/\s*(.*))?$/.exec(line);
    if (match) out.set(match[1]!, (match[2] ?? '').trim());
  }
  return out;
}

interface Loaded {
  escaped: string;
  name: string;
  listed: string[];
  requests: string[];
  raw: RawDocument;
  normalized: NormalizedPackage;
  /** Each version completed through versionDetails (fetch -> attach -> normalize), as the service does it. */
  completed: Map<string, VersionRecord>;
}

async function load(escaped: string): Promise<Loaded> {
  const name = unescapePath(escaped);
  const requests: string[] = [];
  const http = recordedClient(requests);
  const result = await adapter.fetch(name, { http, conditional: null });
  if (result.kind !== 'ok') throw new Error(`${escaped}: fetch gave ${result.kind}`);
  const raw = JSON.parse(JSON.stringify(result.raw)) as RawDocument;
  const normalized = adapter.normalize(name, raw);
  const packageRequests = [...requests];
  const completed = new Map<string, VersionRecord>();
  for (const record of normalized.versions) {
    const details = await adapter.versionDetails!.fetch(name, record.version, { http, conditional: null });
    const merged = adapter.versionDetails!.attach(raw.versions[record.version], details.kind === 'ok' ? JSON.parse(JSON.stringify(details.raw)) : null);
    const one = adapter.normalize(name, { package: raw.package, versions: { [record.version]: merged } });
    completed.set(record.version, one.versions.find((v) => v.version === record.version)!);
  }
  const listed = (read(escaped, 'list') ?? '').split('\n').map((line) => line.trim()).filter(Boolean);
  return { escaped, name, listed, requests: packageRequests, raw, normalized, completed };
}

const cases = exists ? modules() : [];
const loaded = new Map<string, Promise<Loaded>>();
const get = (escaped: string) => {
  let value = loaded.get(escaped);
  if (!value) loaded.set(escaped, (value = load(escaped)));
  return value;
};

describe.skipIf(!exists)(`Go conformance against shared upstream fixtures${exists ? '' : ` (skipped: ${proxyRoot} not found)`}`, () => {
  it('finds the recorded modules', () => {
    expect(cases).toEqual(expect.arrayContaining(['github.com/!burnt!sushi/toml', 'github.com/aws/smithy-go', 'github.com/fsnotify/fsnotify']));
  });

  describe.each(cases)('%s', (escaped) => {
    it('asks only case-encoded paths: the list, then .info and .mod of the latest version', async () => {
      const c = await get(escaped);
      const latest = c.normalized.package.latestVersion!;
      expect(c.requests.sort()).toEqual([`/${escaped}/@v/list`, `/${escaped}/@v/${latest}.info`, `/${escaped}/@v/${latest}.mod`].sort());
      for (const request of c.requests) expect(request).not.toMatch(/[A-Z]/);
    });

    it('keeps the module path\'s case, as the go.mod module line writes it', async () => {
      const c = await get(escaped);
      const latestMod = read(escaped, `${c.normalized.package.latestVersion}.mod`)!;
      expect(c.normalized.package.name).toBe(/^module\s+(\S+)/m.exec(latestMod)![1]);
      for (const record of c.normalized.versions) expect(record.name).toBe(c.name);
    });

    it('lists exactly the versions of @v/list, newest first by Go semver, prerelease flags by the version', async () => {
      const c = await get(escaped);
      expect(c.normalized.versions.map((v) => v.version)).toEqual([...c.listed].sort((a, b) => compareGoSemver(b, a)));
      expect(c.normalized.package.versionCount).toBe(c.listed.length);
      for (const record of c.normalized.versions) expect(record.prerelease).toBe(record.version.includes('-'));
    });

    it('latest is the highest release; retractions of its go.mod mark versions with their rationale', async () => {
      const c = await get(escaped);
      const releases = c.listed.filter((v) => !v.includes('-')).sort((a, b) => compareGoSemver(b, a));
      const retracted = retractedOf(read(escaped, `${releases[0]}.mod`));
      const latest = releases.find((v) => !retracted.has(v)) ?? null;
      expect(c.normalized.package.latestVersion).toBe(latest);
      expect(c.normalized.package.distTags).toEqual(latest ? { latest } : {});
      for (const record of c.normalized.versions) {
        const rationale = retracted.get(record.version);
        expect(record.status).toBe(rationale === undefined ? 'ACTIVE' : 'RETRACTED');
        if (rationale !== undefined) expect(record.deprecatedMessage).toBe(rationale || null);
      }
    });

    it('every version: release time from its .info, requirements and go version from its .mod (after details)', async () => {
      const c = await get(escaped);
      for (const [version, record] of c.completed) {
        const info = read(escaped, `${version}.info`);
        expect(record.releaseDate, version).toBe(info ? new Date((JSON.parse(info) as { Time: string }).Time).toISOString() : null);
        const mod = read(escaped, `${version}.mod`);
        expect(record.dependencies.map((d) => [d.packageName, d.constraint]), version).toEqual(mod ? requiresOf(mod) : []);
        for (const dep of record.dependencies) expect(dep).toMatchObject({ name: dep.packageName, kind: 'RUNTIME', optional: false, bundled: false });
        const indirect = new Set(mod ? [...mod.matchAll(/^\s*(?:require\s+)?(\S+)\s+v\S+\s*\/\/\s*indirect\b/gm)].map((m) => m[1]) : []);
        expect(record.dependencies.filter((d) => d.indirect).map((d) => d.packageName), version).toEqual([...indirect]);
        const go = mod ? /^go\s+(\S+)/m.exec(mod)?.[1] : undefined;
        expect(record.engines, version).toEqual(go ? { go } : {});
        expect(record.detailsPending, version).toBeUndefined();
        // No zips are recorded: the proxy's 404 means no license or description, not an error.
        expect(record.license).toBeNull();
      }
    });

    it('links the repository inferred from the path and the case-encoded zip', async () => {
      const c = await get(escaped);
      const [, owner, repo] = c.name.split('/');
      expect(c.normalized.package.repositoryUrl).toBe(`https://github.com/${owner}/${repo}`);
      for (const record of c.normalized.versions) {
        expect(record.artifactUrl).toBe(`${BASE}/${escaped}/@v/${record.version}.zip`);
        expect(record.links.documentation).toBe(`https://pkg.go.dev/${c.name}@${record.version}`);
        expect(record.links.issues).toBe(`https://github.com/${owner}/${repo}/issues`);
      }
    });

    it('the latest version is complete from the package fetch alone, except the zip-derived fields', async () => {
      const c = await get(escaped);
      const latest = c.normalized.versions.find((v) => v.version === c.normalized.package.latestVersion)!;
      const completed = c.completed.get(latest.version)!;
      expect(latest.releaseDate).toBe(completed.releaseDate);
      expect(latest.dependencies).toEqual(completed.dependencies);
      expect(latest.engines).toEqual(completed.engines);
      expect(latest.detailsPending).toBe(true);
      expect(c.normalized.package.modifiedAt).toBe(latest.releaseDate);
    });
  });
});
