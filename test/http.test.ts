import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { HttpUpstreamClient, parseRetryAfter } from '../src/http/upstream.js';
import { DEFAULT_LIMITS } from '../src/http/limits.js';
import { UpstreamError } from '../src/errors.js';
import { startFakeNpm, type FakeUpstream } from './helpers/fake-upstream.js';
import { testEnv } from './helpers/gateway.js';
import { packument } from './helpers/packument.js';

let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeNpm();
});
afterAll(async () => upstream.close());

function client(env: Record<string, string> = {}) {
  return new HttpUpstreamClient(loadConfig(testEnv(upstream.url, '/tmp/unused', env)), { logger: pino({ level: 'silent' }) });
}

describe('Retry-After', () => {
  it('reads delta-seconds and HTTP-dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it('honours an HTTP-date Retry-After', async () => {
    upstream.reset();
    upstream.setDocument('/dated', packument('dated'));
    upstream.script('/dated', [{ status: 503, headers: { 'retry-after': new Date(Date.now() + 1500).toUTCString() } }]);
    const http = client();
    try {
      const result = await http.get('npm', `${upstream.url}/dated`);
      expect(result.kind).toBe('ok');
      const [a, b] = upstream.requests;
      // HTTP-dates have one-second resolution: the wait is at least the whole seconds left.
      expect(b!.at - a!.at).toBeGreaterThanOrEqual(450);
    } finally {
      await http.close();
    }
  });
});

describe('limits and timeouts', () => {
  it('spaces requests to one registry by its rate limit', async () => {
    upstream.reset();
    const http = client({ SCOUT_REGISTRY_NPM_RATE_LIMIT: '0.2' });
    try {
      for (const n of [1, 2, 3]) upstream.setDocument(`/spaced-${n}`, packument(`spaced-${n}`));
      await Promise.all([1, 2, 3].map((n) => http.get('npm', `${upstream.url}/spaced-${n}`)));
      const times = upstream.requests.map((r) => r.at).sort((a, b) => a - b);
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(180);
      expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(180);
    } finally {
      await http.close();
    }
  });

  it('gives up on slow headers after the total timeout, without retrying it', async () => {
    upstream.reset();
    upstream.script('/slow', [{ status: 200, body: '{}', delayMs: 1500 }]);
    const http = client({ SCOUT_REGISTRY_HTTP_TIMEOUT: '0.3' });
    try {
      const error = await http.get('npm', `${upstream.url}/slow`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UpstreamError);
      expect((error as UpstreamError).code).toBe('UPSTREAM_UNAVAILABLE');
    } finally {
      await http.close();
    }
  });

  it('stops following a redirect loop', async () => {
    upstream.reset();
    upstream.script('/loop', Array.from({ length: 10 }, () => ({ status: 302, headers: { location: '/loop' } })));
    const http = client();
    try {
      const error = await http.get('npm', `${upstream.url}/loop`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UpstreamError);
      expect(upstream.count('/loop')).toBeLessThanOrEqual(7);
    } finally {
      await http.close();
    }
  });

  it('has a cited source for every default limit', () => {
    for (const [id, row] of Object.entries(DEFAULT_LIMITS)) {
      expect(row.source, id).toMatch(/https:\/\//);
      expect(row.rateLimit, id).toBeGreaterThanOrEqual(0);
      expect(row.concurrency, id).toBeGreaterThan(0);
    }
  });
});

describe('connections and validators', () => {
  it('reuses one keep-alive connection for sequential requests to an origin', async () => {
    upstream.reset();
    const http = client();
    try {
      for (const n of [1, 2, 3, 4, 5]) {
        upstream.setDocument(`/keep-${n}`, packument(`keep-${n}`));
        expect((await http.get('npm', `${upstream.url}/keep-${n}`)).kind).toBe('ok');
      }
      expect(new Set(upstream.requests.map((r) => r.socketPort)).size).toBe(1);
    } finally {
      await http.close();
    }
  });

  it('keeps at most CONCURRENCY requests in flight to one registry', async () => {
    upstream.reset();
    const http = client({ SCOUT_REGISTRY_NPM_CONCURRENCY: '2' });
    try {
      const names = [1, 2, 3, 4, 5, 6].map((n) => `conc-${n}`);
      for (const name of names) {
        upstream.setDocument(`/${name}`, packument(name));
        upstream.script(`/${name}`, [{ fixture: true, delayMs: 80 }]);
      }
      await Promise.all(names.map((name) => http.get('npm', `${upstream.url}/${name}`)));
      expect(upstream.count()).toBe(6);
      expect(upstream.maxInFlight).toBe(2);
    } finally {
      await http.close();
    }
  });

  it('revalidates with If-Modified-Since when the registry sends Last-Modified', async () => {
    upstream.reset();
    upstream.lastModified = 'Tue, 01 Sep 2026 10:00:00 GMT';
    upstream.setDocument('/dated-pkg', packument('dated-pkg'));
    const http = client();
    try {
      const first = await http.get('npm', `${upstream.url}/dated-pkg`);
      expect(first.kind === 'ok' && first.validators).toEqual({ etag: null, lastModified: 'Tue, 01 Sep 2026 10:00:00 GMT' });
      const second = await http.get('npm', `${upstream.url}/dated-pkg`, { conditional: first.kind === 'ok' ? first.validators : null });
      expect(second.kind).toBe('not-modified');
      expect(upstream.requests[1]?.headers['if-modified-since']).toBe('Tue, 01 Sep 2026 10:00:00 GMT');
    } finally {
      upstream.lastModified = null;
      await http.close();
    }
  });
});
