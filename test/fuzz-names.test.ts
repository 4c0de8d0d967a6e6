import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { InvalidInputError } from '../src/errors.js';
import { ECOSYSTEM_IDS, type EcosystemId } from '../src/ecosystems/ids.js';
import { createAdapters } from '../src/ecosystems/registry.js';
import type { EcosystemAdapter } from '../src/ecosystems/types.js';
import type { GetResult, UpstreamClient, UpstreamName } from '../src/http/client.js';
import { startGateway, type Gateway } from '../src/server.js';
import { openStores } from '../src/store/index.js';
import { assertSafeKey, packageBlobKey, sourceBlobKey, versionBlobKey } from '../src/store/keys.js';
import type { BlobStore } from '../src/store/types.js';
import { tempDir, testEnv, type GraphQLResponse } from './helpers/gateway.js';

/**
 * Bad input (issue 8, item 3): thousands of generated names per ecosystem (path traversal, percent-encoding
 * tricks, NUL, very long, unicode confusables, each registry's own path forms) through every adapter's
 * normalizeName and fetch, and a sample through the real gateway with every upstream pointed at a recording
 * server. A name is either refused as INVALID_INPUT with a message, or looked up correctly: every request
 * stays under its configured base path and has the registry's own shape for that very name, every blob key
 * is safe and inside its ecosystem's prefix, and nothing crashes.
 */

// ---------------------------------------------------------------------------------------------------------------
// A seeded generator (no dependency): the same names on every run, so a failure is reproducible.

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Traversal, encoding tricks, separators, controls and look-alikes (U+2024 one-dot leader, U+2215 division slash ...). */
const HOSTILE = [
  '..', '.', '/', '\\', '../', '..\\', '/..', '/../', './', '//', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '%2e%2e%2f', '..%2f', '%2f', '%2F',
  '%5c', '%00', '%252e%252e', '%252f', '%', '%%', '%zz', '%2', '\u0000', '\u0001', '\u007f', ' ', '\t', '\n', '\r\n', '?', '#', '&', '=', ';', '..;',
  '@', ':', '::', '~', '!', '!!', '$', '*', "'", '"', '<', '>', '|', '{', '}', '^', '`', '+', ',', '[', ']', '(', ')',
  'http://evil.example/', '//evil.example/x', 'user@evil.example', 'file:///etc/passwd', '@v', '@latest', '/@v/list', '~dev', '.json', '.git',
  '\u0430', '\u03bf', '\uff0e', '\uff0f', '\u2024', '\u2215', '\u29f8', '\u200b', '\u202e', '\ufeff', 'e\u0301', '\u212a', '\u0131', '\u017f', '\u0130',
  '\u00df', '\u{1f600}', '\ud800', '\u0085', '\u2028', '\u00a0', '\u3000', '\uff21',
];

interface EcosystemFuzz {
  /** Valid names to mutate. */
  seeds: string[];
  /** The registry's own URL and path forms, and near misses of its name rules. */
  forms: string[];
}

const FUZZ: Record<EcosystemId, EcosystemFuzz> = {
  npm: {
    seeds: ['lodash', 'react-dom', '@babel/core', '@types/node', 'left-pad', 'JSONStream', 'a'],
    forms: ['@scope%2fname', '%40scope%2fname', '%40scope%2Fname', '@scope/name/extra', '@scope%2f..%2f..', '@/x', '@scope/', '@scope', 'name/..', '-/whoami', '-/v1/search', '.bin', '_design', 'node_modules', 'favicon.ico', '@scope/.name', '@..%2fx/y', '@scope%2f%2e%2e'],
  },
  pypi: {
    seeds: ['requests', 'Django', 'zope.interface', 'ruamel.yaml', 'typing_extensions', 'a'],
    forms: ['requests/json', 'simple/requests', 'requests==2.0', 'requests[socks]', 'requests>=1', 'requests; python_version<"3"', '-requests', 'requests-', '.requests', 'requests.', '_x_', 'x..y'],
  },
  cargo: {
    seeds: ['serde', 'serde_json', 'tokio-util', 'a', 'ab', 'abc', 'Inflector'],
    forms: ['3/s/syn', 'se/rd/serde', 'serde/1.0.0/download', 'api/v1/crates', '1serde', '_serde', '-serde', 'serde.rs', 'con', 'nul', 'aux'],
  },
  rubygems: {
    seeds: ['rails', 'nokogiri', 'net-http', 'Platform', 'ruby_parser', 'a.b'],
    forms: ['rails.json', 'rails/versions', '../info/rails', 'gems/rails-1.0.gem', '...', '.', '..', 'rails-7.0.0-x86_64-linux', 'api/v1/gems/rails'],
  },
  packagist: {
    seeds: ['symfony/console', 'laravel/framework', 'psr/log', 'doctrine/orm', 'a/b', 'vendor-name/package.name'],
    forms: ['vendor/pkg~dev', 'vendor/pkg.json', 'p2/vendor/pkg', 'vendor/pkg/extra', 'vendor//pkg', 'vendor/../pkg', 'vendor/pkg~dev.json', 'vendor', '/pkg', 'vendor/', 'php', 'ext-json', 'vendor/pkg---x', 'vendor/-pkg'],
  },
  hex: {
    seeds: ['phoenix', 'plug_cowboy', 'ecto', 'a', 'jason'],
    forms: ['repo/pkg', 'org:pkg', 'pkg/releases/1.0.0', 'Phoenix', '_phoenix', '1phoenix', 'phoenix-live'],
  },
  maven: {
    seeds: ['org.apache.commons:commons-lang3', 'com.google.guava:guava', 'junit:junit', 'org.jboss:jboss-parent', 'io.netty:netty-all'],
    forms: [
      'org/apache/commons/commons-lang3', 'org.apache.commons/commons-lang3', 'org.apache.commons:commons-lang3:3.12.0', 'g:a:jar:sources:1.0', 'org.apache..commons:x', '..:x', 'org.apache:..',
      '.org:x', 'org.:x', 'org.apache:commons-lang3/maven-metadata.xml', ':a', 'g:', ':', 'g::a', 'org/apache:x', 'org.apache:x/../../y',
    ],
  },
  nuget: {
    seeds: ['Newtonsoft.Json', 'NUnit', 'Microsoft.Extensions.Logging', 'xunit.runner.visualstudio', 'a'],
    forms: ['Newtonsoft.Json/13.0.1', 'newtonsoft.json/index.json', 'Newtonsoft..Json', '.Newtonsoft', 'Newtonsoft.', 'Newtonsoft.Json.13.0.1.nupkg', 'index.json', 'Newtonsoft-.Json'],
  },
  go: {
    seeds: ['github.com/stretchr/testify', 'golang.org/x/net', 'gopkg.in/yaml.v3', 'github.com/Azure/go-autorest', 'example.com/a/b/v2', 'k8s.io/api'],
    forms: [
      'github.com/a/b/@v/list', 'github.com/a/b/@v/v1.0.0.info', 'github.com/a/b/@latest', 'github.com/a/b@v1.0.0', '!github.com/x', 'github.com/!a!b/c', 'github.com/!A/c', 'github.com/a/../b',
      'github.com/./a', 'github.com//a', 'https://github.com/a/b', 'github.com/a/b.', 'github.com/a/b~', 'example.com:8080/a', 'localhost/a', 'github.com/a/b/', 'github.com/a/.git',
      'github.com/a/con', 'golang.org/x/net/..', '/github.com/a', '-github.com/a', 'github.com/a/b/v0', 'github.com/a/b/v1', 'gopkg.in/yaml', 'github.com', 'github.com/a\\b',
    ],
  },
  pub: {
    seeds: ['http', 'flutter_bloc', 'path_provider', 'Flutter', 'a', '_private'],
    forms: ['http/versions', 'http.dart', 'api/packages/http', '1http', 'http-client', 'dart:io'],
  },
};

const LONG_LENGTHS = [63, 64, 65, 100, 101, 214, 215, 255, 256, 257, 513, 1024, 1025, 5000, 100_000];

function generateNames(ecosystem: EcosystemId, count: number, seed: number): string[] {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const { seeds, forms } = FUZZ[ecosystem];
  const insert = (base: string, token: string) => {
    const at = Math.floor(random() * (base.length + 1));
    return base.slice(0, at) + token + base.slice(at);
  };
  const strategies: (() => string)[] = [
    () => pick(seeds),
    () => pick(forms),
    () => insert(pick(seeds), pick(HOSTILE)),
    () => insert(insert(pick(seeds), pick(HOSTILE)), pick(HOSTILE)),
    () => insert(pick(forms), pick(HOSTILE)),
    () => pick(HOSTILE) + pick(seeds),
    () => pick(seeds) + pick(HOSTILE),
    () => [pick(seeds), pick(HOSTILE), pick(seeds)].join(''),
    // Percent-encode (once or twice) some characters of a valid name.
    () => pick(seeds).replace(/./gu, (char) => (random() < 0.3 ? encodeURIComponent(char).replace(/^[^%]/, (c) => `%${c.charCodeAt(0).toString(16)}`) : char)),
    () => encodeURIComponent(encodeURIComponent(pick(seeds))),
    // Case changes: registries fold some names and keep others.
    () => pick(seeds).replace(/./gu, (char) => (random() < 0.5 ? char.toUpperCase() : char.toLowerCase())),
    // Whitespace around a valid name.
    () => `${pick([' ', '\t', '\n', '\u00a0', '\u3000', ''])}${pick(seeds)}${pick([' ', '\t', '\n', '\u200b', ''])}`,
    // Very long names, valid-looking and not.
    () => {
      const length = pick(LONG_LENGTHS);
      const unit = pick([...seeds, 'a', 'A', '.', '/', 'a/', 'a.', '%41']);
      return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
    },
    () => {
      const base = pick(seeds);
      const extra = pick(LONG_LENGTHS);
      return base + 'x'.repeat(Math.max(0, extra - base.length));
    },
    // Random strings over a pool of ASCII, separators and look-alikes.
    () => {
      const pool = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', ...'._-~/:@!%+', ...HOSTILE.filter((h) => [...h].length === 1)];
      const length = 1 + Math.floor(random() * 40);
      return Array.from({ length }, () => pick(pool)).join('');
    },
  ];
  const names = new Set<string>(['', ' ', ...seeds, ...forms]);
  while (names.size < count) names.add(pick(strategies)());
  return [...names];
}

// ---------------------------------------------------------------------------------------------------------------
// What a well-formed request looks like, per registry and upstream.

const BASE = '/up';
/** The path prefix each upstream's base URL gets (config: SCOUT_REGISTRY_<ECO>_URL and the extra upstreams). */
const PREFIXES: Record<string, UpstreamName> = {
  npm: 'npm', pypi: 'pypi', cargo: 'cargo', 'cargo-index': 'cargo-index', rubygems: 'rubygems', packagist: 'packagist',
  hex: 'hex', 'hex-repo': 'hex', maven: 'maven', 'maven-search': 'maven', nuget: 'nuget', go: 'go', pub: 'pub', osv: 'osv',
};

/** One path segment as sent: RFC 3986 pchars and well-formed percent-escapes only. */
const SEG = String.raw`(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+`;

/** Per ecosystem: the request shapes it may send (relative to the prefix) and how to read the package name back. */
type Shape = { prefix: string; pattern: RegExp; name: (groups: Record<string, string>) => string };

const decodeSegment = (segment: string) => decodeURIComponent(segment);
const goUnescape = (value: string) => value.replace(/!([a-z])/g, (_, char: string) => char.toUpperCase());

const SHAPES: Record<EcosystemId, Shape[]> = {
  npm: [{ prefix: 'npm', pattern: new RegExp(`^/(?<n>${SEG})$`), name: (g) => decodeSegment(g.n!) }],
  pypi: [
    { prefix: 'pypi', pattern: new RegExp(`^/pypi/(?<n>${SEG})/json$`), name: (g) => decodeSegment(g.n!) },
    { prefix: 'pypi', pattern: new RegExp(`^/simple/(?<n>${SEG})/$`), name: (g) => decodeSegment(g.n!) },
    { prefix: 'pypi', pattern: new RegExp(`^/pypi/(?<n>${SEG})/${SEG}/json$`), name: (g) => decodeSegment(g.n!) },
  ],
  cargo: [
    { prefix: 'cargo', pattern: new RegExp(`^/api/v1/crates/(?<n>${SEG})\\?include=versions,keywords$`), name: (g) => decodeSegment(g.n!) },
    { prefix: 'cargo', pattern: new RegExp(`^/api/v1/crates/(?<n>${SEG})/${SEG}/dependencies$`), name: (g) => decodeSegment(g.n!) },
    { prefix: 'cargo-index', pattern: /^\/(?:1|2|3\/[a-z0-9_-]|[a-z0-9_-]{2}\/[a-z0-9_-]{2})\/(?<n>[a-z0-9_-]+)$/, name: (g) => g.n! },
  ],
  rubygems: [
    { prefix: 'rubygems', pattern: new RegExp(`^/info/(?<n>${SEG})$`), name: (g) => decodeSegment(g.n!) },
    { prefix: 'rubygems', pattern: new RegExp(`^/api/v1/(?:gems|versions)/(?<n>${SEG})\\.json$`), name: (g) => decodeSegment(g.n!) },
    { prefix: 'rubygems', pattern: new RegExp(`^/api/v2/rubygems/(?<n>${SEG})/versions/${SEG}\\.json$`), name: (g) => decodeSegment(g.n!) },
  ],
  packagist: [{ prefix: 'packagist', pattern: new RegExp(`^/p2/(?<v>${SEG})/(?<p>${SEG}?)(?:~dev)?\\.json$`), name: (g) => `${decodeSegment(g.v!)}/${decodeSegment(g.p!)}` }],
  hex: [{ prefix: 'hex', pattern: new RegExp(`^/api/packages/(?<n>${SEG})(?:/releases/${SEG})?$`), name: (g) => decodeSegment(g.n!) }],
  maven: [
    {
      prefix: 'maven',
      pattern: new RegExp(`^/(?<g>${SEG}(?:/${SEG})*)/(?<a>${SEG})/maven-metadata\\.xml$`),
      name: (g) => `${g.g!.split('/').map(decodeSegment).join('.')}:${decodeSegment(g.a!)}`,
    },
  ],
  nuget: [
    { prefix: 'nuget', pattern: /^\/index\.json$/, name: () => '' },
    { prefix: 'nuget', pattern: new RegExp(`^/registration/(?<n>${SEG})/index\\.json$`), name: (g) => decodeSegment(g.n!) },
  ],
  go: [
    {
      prefix: 'go',
      pattern: new RegExp(`^/(?<p>${SEG}(?:/${SEG})*)/(?:@v/list|@latest|@v/${SEG}\\.(?:info|mod|zip))$`),
      name: (g) => goUnescape(g.p!.split('/').map(decodeSegment).join('/')),
    },
  ],
  pub: [{ prefix: 'pub', pattern: new RegExp(`^/api/packages/(?<n>${SEG})(?:/options|/score)?$`), name: (g) => decodeSegment(g.n!) }],
};

/**
 * Checks one request target (`/up/{prefix}/...`, query included) for `ecosystem`; returns the package name
 * it asks for ('' for a name-less request such as NuGet's service index) or throws saying what is wrong.
 */
function checkTarget(ecosystem: EcosystemId, target: string): string {
  // The path as sent must be the path any server resolves: no dot segments, backslashes or stray characters.
  const resolved = new URL(target, 'http://127.0.0.1');
  if (`${resolved.pathname}${resolved.search}` !== target) throw new Error(`request target changes when resolved: ${JSON.stringify(target)} -> ${resolved.pathname}${resolved.search}`);
  const match = /^\/up\/([a-z-]+)(\/.*)$/.exec(target);
  if (!match) throw new Error(`request outside the configured base paths: ${JSON.stringify(target)}`);
  const [, prefix, rest] = match as unknown as [string, string, string];
  if (!(prefix in PREFIXES)) throw new Error(`request under an unknown prefix: ${JSON.stringify(target)}`);
  const [pathPart] = rest.split('?') as [string];
  for (const segment of pathPart.split('/').slice(1)) {
    const decoded = decodeURIComponent(segment);
    if (decoded === '.' || decoded === '..') throw new Error(`dot segment in ${JSON.stringify(target)}`);
  }
  for (const shape of SHAPES[ecosystem]) {
    if (shape.prefix !== prefix) continue;
    const found = shape.pattern.exec(rest);
    if (found) return shape.name(found.groups ?? {});
  }
  throw new Error(`not a ${ecosystem} request shape: ${JSON.stringify(target)}`);
}

// ---------------------------------------------------------------------------------------------------------------

const RECORDER_HOST = 'http://127.0.0.1:9';

function upstreamEnv(base: string): Record<string, string> {
  const env: Record<string, string> = {
    SCOUT_REGISTRY_CARGO_INDEX_URL: `${base}${BASE}/cargo-index`,
    SCOUT_REGISTRY_HEX_REPO_URL: `${base}${BASE}/hex-repo`,
    SCOUT_REGISTRY_MAVEN_SEARCH_URL: `${base}${BASE}/maven-search`,
    SCOUT_REGISTRY_OSV_URL: `${base}${BASE}/osv`,
  };
  for (const id of ECOSYSTEM_IDS) env[`SCOUT_REGISTRY_${id.toUpperCase()}_URL`] = `${base}${BASE}/${id}`;
  return env;
}

function serviceIndex(base: string): object {
  return {
    version: '3.0.0',
    resources: [
      { '@id': `${base}${BASE}/nuget/registration/`, '@type': 'RegistrationsBaseUrl/3.6.0' },
      { '@id': `${base}${BASE}/nuget/flat/`, '@type': 'PackageBaseAddress/3.0.0' },
    ],
  };
}

const NOT_FOUND: GetResult = { kind: 'not-found', status: 404 };

/** An in-memory upstream client: records every URL an adapter asks for and answers 404 (NuGet's service index excepted). */
class RecordingClient implements UpstreamClient {
  readonly urls: { upstream: UpstreamName; url: string }[] = [];
  async get(upstream: UpstreamName, url: string): Promise<GetResult> {
    this.urls.push({ upstream, url });
    if (url === `${RECORDER_HOST}${BASE}/nuget/index.json`) {
      return { kind: 'ok', status: 200, body: Buffer.from(JSON.stringify(serviceIndex(RECORDER_HOST))), contentType: 'application/json', validators: { etag: null, lastModified: null } };
    }
    return NOT_FOUND;
  }
}

const NAMES_PER_ECOSYSTEM = 3000;
const SEED = 20_261_122;
const names = Object.fromEntries(ECOSYSTEM_IDS.map((id, i) => [id, generateNames(id, NAMES_PER_ECOSYSTEM, SEED + i)])) as Record<EcosystemId, string[]>;
/** Raw-data versions that reach blob keys (upstream-controlled). */
const VERSIONS = [
  '1.0.0', '1.0.0-RC.1', '1.0.0+build.5', '2.0.0.Final', 'v1.2.3', '.', '..', '../../../etc/passwd', '%2e%2e', 'a/b', 'a\\b', '\u0000', '1.0 ', '\u212a', '\ud800',
  '_package', '__proto__', 'CON', '1.0.0.json', '~1', '1.0.0-' + 'x'.repeat(300), '1.0.0-' + 'A'.repeat(200), '9'.repeat(5000),
];

interface Accepted {
  input: string;
  canonical: string;
}

const stubAdapters = createAdapters(loadConfig(testEnv(`${RECORDER_HOST}${BASE}/npm`, '/tmp/unused', upstreamEnv(RECORDER_HOST))));

interface Classified {
  accepted: Accepted[];
  rejected: string[];
  /** Names whose outcome broke a rule (a non-INVALID_INPUT throw, an unsafe canonical name ...). */
  problems: string[];
}

const classified = new Map<EcosystemId, Classified>();

/** Every generated name through normalizeName, once per ecosystem (tests below share the outcome). */
function classify(ecosystem: EcosystemId): Classified {
  const done = classified.get(ecosystem);
  if (done) return done;
  const adapter = stubAdapters[ecosystem] as EcosystemAdapter;
  const result: Classified = { accepted: [], rejected: [], problems: [] };
  for (const input of names[ecosystem]) {
    let canonical: string;
    try {
      canonical = adapter.normalizeName(input);
    } catch (error) {
      if (!(error instanceof InvalidInputError) || error.code !== 'INVALID_INPUT' || error.message.trim().length < 10) {
        result.problems.push(`${JSON.stringify(input.slice(0, 80))} threw ${String(error)}`);
      }
      result.rejected.push(input);
      continue;
    }
    result.accepted.push({ input, canonical });
    try {
      expect(typeof canonical).toBe('string');
      // Canonical names are plain: no controls, whitespace, traversal or encoding left to interpret.
      expect(canonical).toMatch(/^[\x21-\x7e]+$/);
      expect(canonical).not.toMatch(/(^|[/:])\.\.?($|[/:])|%[0-9a-f]{2}|\\/i);
      expect(adapter.normalizeName(canonical), 'canonical names are stable').toBe(canonical);
      for (const key of [packageBlobKey(ecosystem, canonical), versionBlobKey(ecosystem, canonical, '1.0.0'), sourceBlobKey(ecosystem, canonical, '1.0.0', 'tar.gz')]) {
        assertSafeKey(key);
        expect(key.startsWith(`${ecosystem}/`) || key.startsWith(`sourceFiles/${ecosystem}/`)).toBe(true);
        expect(key.split('/').length).toBe(key.startsWith('sourceFiles/') ? 4 : 3);
      }
    } catch (error) {
      result.problems.push(`${JSON.stringify(input.slice(0, 80))} -> ${JSON.stringify(canonical)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  classified.set(ecosystem, result);
  return result;
}

describe.each(ECOSYSTEM_IDS)('%s names', (ecosystem) => {
  const adapter = stubAdapters[ecosystem] as EcosystemAdapter;

  it(`normalizeName: ${NAMES_PER_ECOSYSTEM} generated names are INVALID_INPUT with a message, or a canonical name`, () => {
    expect(names[ecosystem].length).toBe(NAMES_PER_ECOSYSTEM);
    const { accepted, rejected, problems } = classify(ecosystem);
    expect(problems.slice(0, 10)).toEqual([]);
    // The generator is worth something only if both outcomes are common.
    expect(accepted.length).toBeGreaterThan(20);
    expect(rejected.length).toBeGreaterThan(NAMES_PER_ECOSYSTEM / 2);
  });

  it('fetch: every accepted name asks only its own upstreams, in the registry\'s request shape, for that very name', async () => {
    const problems: string[] = [];
    for (const { canonical } of classify(ecosystem).accepted) {
      const client = new RecordingClient();
      try {
        const result = await adapter.fetch(canonical, { http: client, conditional: null });
        expect(result.kind).toBe('not-found');
        expect(client.urls.length).toBeGreaterThan(0);
        for (const { upstream, url } of client.urls) {
          expect(url.startsWith(`${RECORDER_HOST}${BASE}/`), url).toBe(true);
          const target = url.slice(RECORDER_HOST.length);
          const asked = checkTarget(ecosystem, target);
          const prefix = /^\/up\/([a-z-]+)\//.exec(target)![1]!;
          expect(PREFIXES[prefix], `${url} went through the ${upstream} limiter`).toBe(upstream === 'cargo-index' ? 'cargo-index' : ecosystem);
          if (asked !== '') expect(asked === canonical || (ecosystem === 'cargo' && asked === canonical.toLowerCase()), `${url} asks for ${JSON.stringify(asked)}`).toBe(true);
        }
      } catch (error) {
        problems.push(`${JSON.stringify(canonical)}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('blob keys: every accepted name with upstream-given versions stays a safe key inside its prefix', () => {
    const problems: string[] = [];
    const seen = new Map<string, string>();
    for (const { canonical } of classify(ecosystem).accepted) {
      const pkgKey = packageBlobKey(ecosystem, canonical);
      // Injective: two canonical names never share a key.
      const earlier = seen.get(pkgKey);
      if (earlier !== undefined && earlier !== canonical) problems.push(`${JSON.stringify(earlier)} and ${JSON.stringify(canonical)} share ${pkgKey}`);
      seen.set(pkgKey, canonical);
      for (const version of VERSIONS) {
        const key = versionBlobKey(ecosystem, canonical, version);
        try {
          assertSafeKey(key);
          expect(key.startsWith(`${ecosystem}/`)).toBe(true);
          expect(key.split('/')).toHaveLength(3);
        } catch (error) {
          problems.push(`${key}: ${String(error)}`);
        }
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Through the real gateway.

/** Records every key the gateway hands to the blob store. */
class RecordingBlobStore implements BlobStore {
  readonly keys: string[] = [];
  constructor(private readonly inner: BlobStore) {}
  get backend() {
    return this.inner.backend;
  }
  get(key: string) {
    this.keys.push(key);
    return this.inner.get(key);
  }
  put(key: string, data: Buffer | string) {
    this.keys.push(key);
    return this.inner.put(key, data);
  }
  putMany(entries: ReadonlyArray<readonly [string, Buffer | string]>) {
    for (const [key] of entries) this.keys.push(key);
    return this.inner.putMany(entries);
  }
  putStream(key: string, source: Readable) {
    this.keys.push(key);
    return this.inner.putStream(key, source);
  }
  delete(key: string) {
    this.keys.push(key);
    return this.inner.delete(key);
  }
  ping() {
    return this.inner.ping();
  }
  close() {
    return this.inner.close();
  }
}

/** npm packuments served for these names, each with normal versions and one hostile version key. */
const echo = new Map<string, string>();

/** Upstream version keys beyond the ones key building can take at all ('' is refused by encodeKeySegment). */
const ECHO_VERSIONS = [...VERSIONS, ''];

function echoPackument(name: string, hostile: string): string {
  const versions = ['1.0.0', '1.1.0', hostile];
  const manifest = (version: string) => ({ name, version, license: 'MIT', dist: { tarball: `https://npm-registry.example/${encodeURIComponent(name)}/-/x-${Buffer.from(version).toString('hex').slice(0, 64)}.tgz`, shasum: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3' } });
  // fromEntries defines own properties, so a `__proto__` version is a key like any other.
  return JSON.stringify({
    _id: name,
    name,
    'dist-tags': { latest: '1.1.0' },
    versions: Object.fromEntries(versions.map((version) => [version, manifest(version)])),
    time: Object.fromEntries(versions.map((version, i) => [version, new Date(Date.UTC(2021, 0, 1 + i)).toISOString()])),
  });
}

describe('names through the real gateway', () => {
  let server: http.Server;
  let base = '';
  const targets: string[] = [];
  let gateway: Gateway;
  let blobs: RecordingBlobStore;
  let dataDir: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const target = req.url ?? '';
      targets.push(target);
      if (target === `${BASE}/nuget/index.json`) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(serviceIndex(base)));
        return;
      }
      const npm = /^\/up\/npm\/([^/?]+)$/.exec(target);
      const doc = npm ? echo.get(decodeURIComponent(npm[1]!)) : undefined;
      if (doc !== undefined) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(doc);
        return;
      }
      res.writeHead(404, { 'content-length': '0' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dataDir = tempDir('scout-fuzz-');
    const config = loadConfig(testEnv(`${base}${BASE}/npm`, dataDir, { ...upstreamEnv(base), SCOUT_REGISTRY_NEGATIVE_CACHE_TTL: '0' }));
    const stores = await openStores(config);
    blobs = new RecordingBlobStore(stores.blobs);
    gateway = await startGateway(config, { logger: pino({ level: 'silent' }), stores: { documents: stores.documents, blobs } });
  });
  afterAll(async () => {
    await gateway?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function query<T = any>(text: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
    const response = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: text, variables }) });
    return (await response.json()) as GraphQLResponse<T>;
  }

  it.each(ECOSYSTEM_IDS)('%s: a bulk lookup of accepted names asks the right upstream paths; refused names ask nothing', async (ecosystem) => {
    const enumValue = ecosystem.toUpperCase();
    const random = mulberry32(SEED);
    // A sample that keeps every registry path form and long name, then random ones, up to 300.
    const pool = classify(ecosystem).accepted.filter(({ input }) => input.length <= 1024);
    const sample = pool.filter((_, i) => i < 60 || random() < 0.15).slice(0, 300);
    const before = targets.length;
    const bulk = await query(`query ($refs: [PackageRefInput!]!) { packages(refs: $refs) { name } }`, { refs: sample.map(({ input }) => ({ ecosystem: enumValue, name: input })) });
    expect(bulk.errors).toBeUndefined();
    expect(bulk.data!.packages).toEqual(sample.map(() => null));
    const asked = new Set(sample.map(({ canonical }) => canonical));
    const sent = targets.slice(before);
    expect(sent.length).toBeGreaterThanOrEqual(new Set(sample.map(({ canonical }) => (ecosystem === 'cargo' ? canonical.toLowerCase() : canonical))).size);
    for (const target of sent) {
      const name = checkTarget(ecosystem, target);
      if (name !== '') expect(asked.has(name) || (ecosystem === 'cargo' && [...asked].some((n) => n.toLowerCase() === name)), `${target} asks for a name nobody asked for`).toBe(true);
    }

    // Refused names: one field each (aliases), every one INVALID_INPUT with a message, and not one request.
    const { rejected } = classify(ecosystem);
    const refused = rejected.filter((_, i) => i % Math.max(1, Math.floor(rejected.length / 100)) === 0).slice(0, 100);
    for (let start = 0; start < refused.length; start += 50) {
      const chunk = refused.slice(start, start + 50);
      const variables = Object.fromEntries(chunk.map((name, i) => [`n${i}`, name]));
      const text = `query (${chunk.map((_, i) => `$n${i}: String!`).join(', ')}) { ${chunk.map((_, i) => `p${i}: package(ecosystem: ${enumValue}, name: $n${i}) { name }`).join(' ')} }`;
      const mark = targets.length;
      const result = await query(text, variables);
      expect(result.errors, JSON.stringify(chunk.slice(0, 3))).toHaveLength(chunk.length);
      for (const error of result.errors!) {
        expect(error.extensions?.code).toBe('INVALID_INPUT');
        expect(error.message.length).toBeGreaterThan(10);
      }
      expect(Object.values(result.data ?? {}).every((value) => value === null)).toBe(true);
      expect(targets.slice(mark)).toEqual([]);
    }

    // A bulk lookup with one refused name names it and asks nothing at all.
    const mark = targets.length;
    const mixed = await query(`query ($refs: [PackageRefInput!]!) { packages(refs: $refs) { name } }`, { refs: [{ ecosystem: enumValue, name: sample[0]!.input }, { ecosystem: enumValue, name: refused[0] }] });
    expect(mixed.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    expect(mixed.errors?.[0]?.message).toMatch(/^refs(\[1\]|\.1\.name): /);
    expect(targets.slice(mark)).toEqual([]);
  });

  it('npm: hostile version keys in an upstream packument never make an unsafe key, a file outside the prefix, or a crash', async () => {
    const sample = classify('npm').accepted.filter(({ canonical }) => canonical.length <= 214).slice(0, ECHO_VERSIONS.length * 2);
    sample.forEach(({ canonical }, i) => echo.set(canonical, echoPackument(canonical, ECHO_VERSIONS[i % ECHO_VERSIONS.length]!)));
    for (const [i, { input, canonical }] of sample.entries()) {
      const result = await query(`query ($name: String!) { package(ecosystem: NPM, name: $name) { name versionCount versions(first: 10, includeYanked: true) { edges { node { version extended } } } } }`, { name: input });
      const hostile = ECHO_VERSIONS[i % ECHO_VERSIONS.length]!;
      // A document the gateway cannot take whole is UPSTREAM_INVALID; anything else is answered.
      if (result.errors) {
        expect(result.errors.map((e) => e.extensions?.code), `${JSON.stringify(hostile.slice(0, 40))}: ${result.errors[0]?.message}`).toEqual(['UPSTREAM_INVALID']);
        continue;
      }
      expect(result.data.package.name).toBe(canonical);
      for (const edge of result.data.package.versions.edges as { node: { version: string; extended: { version: string } | null } }[]) {
        expect(edge.node.extended?.version, `extended data of ${JSON.stringify(edge.node.version.slice(0, 40))}`).toBe(edge.node.version);
      }
    }
    expect(blobs.keys.length).toBeGreaterThan(sample.length * 2);
    for (const key of blobs.keys) {
      expect(() => assertSafeKey(key)).not.toThrow();
      expect(key.startsWith('npm/'), key).toBe(true);
    }
    // On disk: nothing but the npm folder (and the store's own temp folder) under the blob root.
    expect(fs.readdirSync(path.join(dataDir, 'blobs')).filter((entry) => entry !== '_tmp')).toEqual(['npm']);
    // The process survived all of it and still answers.
    const stats = await query('{ stats { packages } }');
    expect(stats.errors).toBeUndefined();
    expect(stats.data!.stats.packages).toBeGreaterThan(0);
  });
});
