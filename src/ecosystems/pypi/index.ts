import type { z } from 'zod';
import { InvalidInputError, UpstreamError } from '../../errors.js';
import type { GetResult } from '../../http/client.js';
import { pep440Equal, pep440Versioning } from '../../versioning/pep440.js';
import type { DetailsResult, EcosystemAdapter, FetchContext, FetchResult, RawDocument, SourceArchiveSpec, VersionRecord } from '../types.js';
import { archiveExtension, versionFromFilename } from './files.js';
import { normalizePypiName, pep503Normalize } from './names.js';
import { normalizePypiProject } from './normalize.js';
import { projectEnvelopeSchema, simpleEnvelopeSchema, simpleFileEnvelopeSchema, versionEnvelopeSchema } from './schema.js';
import { parseSimpleHtml } from './simple-html.js';
import { describeIssues } from '../common/fields.js';

export { normalizePypiName, pep503Normalize } from './names.js';
export { normalizePypiProject } from './normalize.js';
export { parseRequirement, parseRequirements, type PypiRequirement } from './requirements.js';

/** PEP 691 content negotiation, as pip sends it: JSON preferred, HTML accepted from indexes without it. */
export const SIMPLE_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01';
/** The simple API major version this adapter reads (PEP 629: refuse a higher major). */
const SIMPLE_API_MAJOR = 1;
/** Where PyPI serves distribution files (a mirror serving them from its own host needs no entry). */
export const PYPI_FILES_HOST = 'files.pythonhosted.org';

type Json = Record<string, unknown>;

function quoted(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}

function invalid(name: string, message: string, details: { url?: string; status?: number } = {}, cause?: unknown): UpstreamError {
  return new UpstreamError('UPSTREAM_INVALID', `PyPI answer for ${quoted(name)}: ${message}`, { ecosystem: 'pypi', ...details }, cause === undefined ? undefined : { cause });
}

function parseJson(name: string, body: Buffer, details: { url: string; status: number }): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (error) {
    throw invalid(name, 'body is not valid JSON', details, error);
  }
}

function checked<T extends z.ZodType>(schema: T, value: unknown, name: string, what: string, details: { url: string; status: number }): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(name, `not ${what} (${describeIssues(parsed.error)})`, details);
  return parsed.data;
}

type Ok = Extract<GetResult, { kind: 'ok' }>;

/** The project document; an answer for another project (a mirror's mistake) must not be stored under this name. */
function readProject(name: string, response: Ok, url: string): Json {
  const details = { url, status: response.status };
  const json = parseJson(name, response.body, details);
  const envelope = checked(projectEnvelopeSchema, json, name, 'a PyPI project document', details);
  if (pep503Normalize(envelope.info.name) !== name) throw invalid(name, `project document is for ${quoted(envelope.info.name)}`, details);
  return json as Json;
}

interface SimplePage {
  page: Json;
  files: Json[];
  format: 'json' | 'html';
}

/** PEP 691 JSON, or PEP 503 HTML from an index that does not speak JSON (told by Content-Type, else by the body). */
function readSimple(name: string, response: Ok, url: string): SimplePage {
  const details = { url, status: response.status };
  const contentType = (response.contentType ?? '').toLowerCase();
  const body = response.body.toString('utf8');
  const html = contentType.includes('html') || (!contentType.includes('json') && /^\s*</.test(body));
  if (html) {
    const converted = parseSimpleHtml(body, url, name);
    if (!converted) throw invalid(name, 'simple API page is neither PEP 691 JSON nor PEP 503 HTML', details);
    const { files, ...page } = converted;
    return { page, files, format: 'html' };
  }
  const json = parseJson(name, response.body, details);
  const envelope = checked(simpleEnvelopeSchema, json, name, 'a PEP 691 simple API page', details);
  const major = Number.parseInt(envelope.meta['api-version'].split('.')[0] ?? '', 10);
  if (!(major <= SIMPLE_API_MAJOR)) throw invalid(name, `simple API version ${quoted(envelope.meta['api-version'])} is not supported (major ${SIMPLE_API_MAJOR} only)`, details);
  if (pep503Normalize(envelope.name) !== name) throw invalid(name, `simple API page is for ${quoted(envelope.name)}`, details);
  const { files, ...page } = json as Json;
  // A file entry without a file name or URL (a mirror's half-written row) is left out; `hashes` may be missing.
  const usable = (files as unknown[]).filter((file): file is Json => simpleFileEnvelopeSchema.safeParse(file).success);
  return { page, files: usable, format: 'json' };
}

/**
 * Splits both documents into RawDocument: the package part keeps each document minus its per-version part;
 * each version keeps its simple API files (`files`) and JSON API files (`releaseFiles`). The simple API does not
 * say which version a file belongs to: the JSON API's `releases` tells by file name, else the name is parsed.
 */
export function splitPypiDocuments(name: string, project: Json | null, simple: SimplePage | null): RawDocument {
  const releaseFiles = new Map<string, Json[]>();
  let projectPart: Json | null = null;
  if (project) {
    const { releases, ...rest } = project;
    projectPart = rest;
    for (const [version, files] of Object.entries((releases ?? {}) as Record<string, Json[]>)) releaseFiles.set(version, files);
    // `urls` lists the latest version's files; some answers (and trimmed mirrors) lack its `releases` entry.
    const latest = (project.info as { version: string }).version;
    const urls = Array.isArray(project.urls) ? (project.urls as Json[]) : [];
    if (urls.length > 0 && !(releaseFiles.get(latest)?.length)) releaseFiles.set(latest, urls);
  }
  const versionOfFile = new Map<string, string>();
  for (const [version, files] of releaseFiles) for (const file of files) if (typeof file.filename === 'string') versionOfFile.set(file.filename, version);
  const listed = Array.isArray(simple?.page.versions) ? (simple.page.versions as unknown[]).filter((v): v is string => typeof v === 'string') : [];
  const knownVersions = [...new Set([...listed, ...releaseFiles.keys()])];

  const simpleFiles = new Map<string, Json[]>();
  const unassignedFiles: Json[] = [];
  for (const file of simple?.files ?? []) {
    const filename = typeof file.filename === 'string' ? file.filename : '';
    const version = versionOfFile.get(filename) ?? versionFromFilename(filename, name, knownVersions);
    if (!version) unassignedFiles.push(file);
    else simpleFiles.set(version, [...(simpleFiles.get(version) ?? []), file]);
  }
  const versions: Record<string, unknown> = {};
  for (const version of new Set([...releaseFiles.keys(), ...simpleFiles.keys()])) {
    const files = simpleFiles.get(version) ?? [];
    const fromJson = releaseFiles.get(version) ?? [];
    // Releases without files are not stored: nothing installs them (see README).
    if (version && (files.length > 0 || fromJson.length > 0)) versions[version] = { files, releaseFiles: fromJson };
  }
  const packagePart = { project: projectPart, simple: simple?.page ?? null, simpleFormat: simple?.format ?? null, unassignedFiles };
  return { package: packagePart, versions };
}

export interface PypiAdapterOptions {
  /** Index base URL (`https://pypi.org`): the JSON API under `/pypi/`, the simple API under `/simple/`. */
  baseUrl: string;
  /** Hosts source archives may be downloaded from besides the base URL's (default: files.pythonhosted.org). */
  sourceHosts?: readonly string[];
}

export function createPypiAdapter(options: PypiAdapterOptions): EcosystemAdapter {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');

  async function fetchProject(requested: string, context: FetchContext): Promise<FetchResult> {
    const name = normalizePypiName(requested);
    const projectUrl = `${baseUrl}/pypi/${encodeURIComponent(name)}/json`;
    const simpleUrl = `${baseUrl}/simple/${encodeURIComponent(name)}/`;
    // Concurrent: the limiter paces them. PyPI regenerates both documents on every change (one serial), so the
    // project document's validators stand for both: its 304 means the stored pair is current.
    const [project, simple] = await Promise.all([
      context.http.get('pypi', projectUrl, { accept: 'application/json', conditional: context.conditional }),
      context.http.get('pypi', simpleUrl, { accept: SIMPLE_ACCEPT }),
    ]);
    if (project.kind === 'not-modified') return { kind: 'not-modified', validators: project.validators };
    if (project.kind === 'not-found' && simple.kind !== 'ok') return { kind: 'not-found' };
    const projectDoc = project.kind === 'ok' ? readProject(name, project, projectUrl) : null;
    const simplePage = simple.kind === 'ok' ? readSimple(name, simple, simpleUrl) : null;
    const raw = splitPypiDocuments(name, projectDoc, simplePage);
    const validators = project.kind === 'ok' ? project.validators : { etag: null, lastModified: null };
    return { kind: 'ok', raw, validators };
  }

  async function fetchVersionDocument(requestedName: string, version: string, context: FetchContext): Promise<DetailsResult> {
    const name = normalizePypiName(requestedName);
    // Versions come from the stored releases, legacy ones included (`0.1 beta`): a blank is encoded like any other
    // character; one that cannot be a path segment has no document to fetch (not a client error).
    if (!version.trim() || /[/\\]/.test(version)) return { kind: 'not-found' };
    const url = `${baseUrl}/pypi/${encodeURIComponent(name)}/${encodeURIComponent(version)}/json`;
    const response = await context.http.get('pypi', url, { accept: 'application/json', conditional: context.conditional });
    if (response.kind === 'not-found') return { kind: 'not-found' };
    if (response.kind === 'not-modified') throw invalid(name, `HTTP 304 to an unconditional request for version ${quoted(version)}`, { url });
    const details = { url, status: response.status };
    const json = parseJson(name, response.body, details);
    const envelope = checked(versionEnvelopeSchema, json, name, 'a PyPI version document', details);
    if (pep503Normalize(envelope.info.name) !== name) throw invalid(name, `version document is for project ${quoted(envelope.info.name)}`, details);
    if (!pep440Equal(envelope.info.version, version)) throw invalid(name, `version document is for version ${quoted(envelope.info.version)}, not ${quoted(version)}`, details);
    return { kind: 'ok', raw: json };
  }

  return {
    id: 'pypi',
    purlType: 'pypi',
    versioning: pep440Versioning,
    normalizeName: normalizePypiName,
    fetch: fetchProject,
    normalize: normalizePypiProject,
    versionDetails: {
      fetch: fetchVersionDocument,
      attach(rawVersion, details) {
        const base = rawVersion && typeof rawVersion === 'object' && !Array.isArray(rawVersion) ? (rawVersion as Json) : {};
        return { ...base, details: details ?? null };
      },
    },
    sourceArchive(record: VersionRecord): SourceArchiveSpec | null {
      if (!record.artifactUrl) return null;
      const sha256 = record.checksums.find((checksum) => checksum.algorithm === 'sha256');
      return { url: record.artifactUrl, extension: archiveExtension(record.artifactUrl), digest: sha256 ?? null };
    },
    sourceHosts: options.sourceHosts ?? [PYPI_FILES_HOST],
    toPurlParts: (name) => ({ namespace: null, name }),
    fromPurlParts(namespace, name) {
      if (namespace) throw new InvalidInputError(`PyPI purls have no namespace (got ${quoted(namespace)})`, 'purl');
      return normalizePypiName(name);
    },
  };
}
