import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

/** A fake of the OSV API's two endpoints the gateway uses, with its documented behaviours and faults. */

export const OSV_FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures', 'osv');

export interface OsvFixtureRecord {
  id: string;
  modified: string;
  withdrawn?: string;
  [key: string]: unknown;
}

export interface OsvAnswer {
  ecosystem: string;
  name: string;
  versions: Record<string, string[]>;
}

export interface OsvRequestLog {
  method: string;
  path: string;
  /** Queries in a querybatch body. */
  queries: number;
  /** Queries that carried a page_token. */
  pageTokens: number;
}

export interface OsvFault {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  reset?: boolean;
}

export function loadFixtureRecords(): OsvFixtureRecord[] {
  const dir = path.join(OSV_FIXTURES, 'vulns');
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as OsvFixtureRecord);
}

export function loadFixtureAnswers(): OsvAnswer[] {
  return (JSON.parse(fs.readFileSync(path.join(OSV_FIXTURES, 'answers.json'), 'utf8')) as { answers: OsvAnswer[] }).answers;
}

/** OSV folds PyPI query names (PEP 503) and matches every other name exactly. */
function answerKey(ecosystem: string, name: string, version: string): string {
  const folded = ecosystem === 'PyPI' ? name.replace(/[-_.]+/g, '-').toLowerCase() : name;
  return JSON.stringify([ecosystem, folded, version]);
}

export class FakeOsv {
  readonly requests: OsvRequestLog[] = [];
  private readonly records = new Map<string, OsvFixtureRecord>();
  private readonly answers = new Map<string, string[]>();
  private readonly faults = new Map<'querybatch' | 'vulns', OsvFault[]>();
  private server!: http.Server;
  url = '';
  /** Hits per page of one query; OSV paginates long answers with next_page_token. */
  pageSize = Infinity;
  /** OSV's documented ceiling per querybatch request. */
  maxQueries = 1000;

  constructor(records: OsvFixtureRecord[] = loadFixtureRecords(), answers: OsvAnswer[] = loadFixtureAnswers()) {
    for (const record of records) this.setRecord(record);
    for (const answer of answers) for (const [version, ids] of Object.entries(answer.versions)) this.answer(answer.ecosystem, answer.name, version, ids);
  }

  setRecord(record: OsvFixtureRecord): void {
    this.records.set(record.id, record);
  }

  answer(ecosystem: string, name: string, version: string, ids: string[]): void {
    this.answers.set(answerKey(ecosystem, name, version), ids);
  }

  fault(route: 'querybatch' | 'vulns', faults: OsvFault[]): void {
    this.faults.set(route, [...(this.faults.get(route) ?? []), ...faults]);
  }

  count(route?: 'querybatch' | 'vulns'): number {
    if (!route) return this.requests.length;
    return this.requests.filter((r) => (route === 'querybatch' ? r.path === '/v1/querybatch' : r.path.startsWith('/v1/vulns/'))).length;
  }

  reset(): void {
    this.requests.length = 0;
    this.faults.clear();
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private send(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString('utf8');
    const requestPath = (req.url ?? '/').split('?')[0]!;
    let body: { queries?: { package?: { ecosystem?: string; name?: string }; version?: string; page_token?: string }[] } = {};
    if (req.method === 'POST') {
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        this.send(res, 400, { code: 3, message: 'Invalid JSON payload received.' });
        return;
      }
    }
    const queries = body.queries ?? [];
    this.requests.push({ method: req.method ?? 'GET', path: requestPath, queries: queries.length, pageTokens: queries.filter((q) => q.page_token).length });
    const route = requestPath === '/v1/querybatch' ? 'querybatch' : requestPath.startsWith('/v1/vulns/') ? 'vulns' : null;
    const fault = route ? this.faults.get(route)?.shift() : undefined;
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.reset) {
      req.socket.destroy();
      return;
    }
    if (fault) {
      res.writeHead(fault.status ?? 200, { 'content-type': 'application/json', ...fault.headers }).end(fault.body ?? '');
      return;
    }
    if (route === 'querybatch' && req.method === 'POST') {
      if (queries.length > this.maxQueries) {
        this.send(res, 400, { code: 3, message: `Too many queries: ${queries.length} (at most ${this.maxQueries})` });
        return;
      }
      const results = queries.map((query) => {
        const ids = this.answers.get(answerKey(query.package?.ecosystem ?? '', query.package?.name ?? '', query.version ?? '')) ?? [];
        // The API never answers withdrawn records (osv.dev marks them invalid).
        const hits = ids
          .map((id) => this.records.get(id))
          .filter((record): record is OsvFixtureRecord => record !== undefined && !record.withdrawn)
          .map((record) => ({ id: record.id, modified: record.modified }));
        const offset = query.page_token ? Number(Buffer.from(query.page_token, 'base64').toString('utf8')) : 0;
        const page = hits.slice(offset, offset + this.pageSize);
        const more = offset + this.pageSize < hits.length;
        // A query without hits is an empty object, as the real API answers.
        return { ...(page.length > 0 ? { vulns: page } : {}), ...(more ? { next_page_token: Buffer.from(String(offset + this.pageSize)).toString('base64') } : {}) };
      });
      this.send(res, 200, { results });
      return;
    }
    if (route === 'vulns' && req.method === 'GET') {
      const id = decodeURIComponent(requestPath.slice('/v1/vulns/'.length));
      const record = this.records.get(id);
      if (record) this.send(res, 200, record);
      else this.send(res, 404, { code: 5, message: 'Bug not found.' });
      return;
    }
    this.send(res, 404, { code: 5, message: 'Not Found' });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export function startFakeOsv(records?: OsvFixtureRecord[], answers?: OsvAnswer[]): Promise<FakeOsv> {
  return new FakeOsv(records, answers).start();
}
