import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { EcosystemId } from '../ecosystems/ids.js';
import { requireAdapter, type AdapterRegistry } from '../ecosystems/registry.js';
import type { Checksum, SourceArchiveSpec, VersionRecord } from '../ecosystems/types.js';
import { UpstreamError } from '../errors.js';
import type { StreamingClient } from '../http/client.js';
import { sourceBlobKey } from '../store/keys.js';
import type { BlobStore, DocumentStore, SourceRecord, VersionKey } from '../store/types.js';

/** Strongest first: the digest a version's archive is verified with. */
const DIGEST_PREFERENCE = ['sha512', 'sha384', 'sha256', 'sha1'];
const KNOWN_EXTENSIONS = ['tar.gz', 'tgz', 'zip', 'crate', 'gem', 'nupkg', 'jar', 'tar', 'whl'];

export interface SourceServiceDeps {
  config: Config;
  adapters: AdapterRegistry;
  documents: DocumentStore;
  blobs: BlobStore;
  http: StreamingClient;
  logger: Logger;
  /** Completes versions whose details are fetched lazily (PackageService.completeVersions). */
  complete: (records: readonly VersionRecord[]) => Promise<VersionRecord[]>;
  now?: () => number;
}

class DigestMismatch extends Error {}

/**
 * Source archives: streamed from the upstream into the blob store while their digest is computed,
 * verified against the registry's published digest, never kept on a mismatch or over the size cap.
 */
export class SourceService {
  private readonly inflight = new Map<string, Promise<SourceRecord>>();
  private readonly now: () => number;

  constructor(private readonly deps: SourceServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  get(keys: readonly VersionKey[]): Promise<(SourceRecord | null)[]> {
    return this.deps.documents.getSources(keys);
  }

  /** Archives one version's source; concurrent calls for the same version share one download. */
  archive(record: VersionRecord): Promise<SourceRecord> {
    const id = `${record.ecosystem}\0${record.name}\0${record.version}`;
    let flight = this.inflight.get(id);
    if (!flight) {
      flight = this.download(record).finally(() => this.inflight.delete(id));
      this.inflight.set(id, flight);
    }
    return flight;
  }

  /** The archive location and digest for a version, and whether its host may be fetched from. */
  spec(record: VersionRecord): SourceArchiveSpec | null {
    const adapter = requireAdapter(this.deps.adapters, record.ecosystem);
    if (adapter.sourceArchive) return adapter.sourceArchive(record);
    if (!record.artifactUrl) return null;
    return { url: record.artifactUrl, extension: extensionOf(record.artifactUrl), digest: strongest(record.checksums) };
  }

  allowedHosts(ecosystem: EcosystemId): Set<string> {
    const adapter = requireAdapter(this.deps.adapters, ecosystem);
    const base = new URL(this.deps.config.upstreams[ecosystem].baseUrl).host;
    return new Set([base, ...(adapter.sourceHosts ?? [])].map((host) => host.toLowerCase()));
  }

  private async download(pending: VersionRecord): Promise<SourceRecord> {
    const { documents, blobs, config, logger } = this.deps;
    // The digest may only arrive with a version's lazily fetched details (Hex, Maven ...).
    const [record] = pending.detailsPending ? await this.deps.complete([pending]) : [pending];
    if (!record) throw new Error('completeVersions returned nothing');
    const key: VersionKey = { ecosystem: record.ecosystem, name: record.name, version: record.version };
    const base: SourceRecord = { ...key, status: 'FAILED', key: null, url: null, size: null, algorithm: null, digest: null, storedAt: this.now(), error: null, verified: false };
    const fail = async (error: string, extra: Partial<SourceRecord> = {}): Promise<SourceRecord> => {
      const failed = { ...base, ...extra, error };
      await documents.putSource(failed);
      return failed;
    };
    const spec = this.spec(record);
    if (!spec) return fail(`${record.ecosystem} publishes no source archive for ${record.name}@${record.version}`);
    let url: URL;
    try {
      url = new URL(spec.url);
    } catch {
      return fail(`archive URL is not a URL: ${JSON.stringify(spec.url.slice(0, 200))}`);
    }
    const allowed = this.allowedHosts(record.ecosystem);
    // Metadata comes from upstream: only hosts the adapter vouches for are ever fetched.
    if (!['https:', 'http:'].includes(url.protocol) || !allowed.has(url.host.toLowerCase())) {
      return fail(`archive host ${url.host} is not allowed for ${record.ecosystem} (allowed: ${[...allowed].join(', ')})`, { url: spec.url });
    }
    const algorithm = spec.digest?.algorithm ?? 'sha256';
    const blobKey = sourceBlobKey(record.ecosystem, record.name, record.version, spec.extension);
    try {
      const upstream = requireAdapter(this.deps.adapters, record.ecosystem).sourceUpstream ?? record.ecosystem;
      const response = await this.deps.http.stream(upstream, url.toString(), { maxBytes: config.maxSourceBytes });
      if (response.kind === 'not-found') return fail(`archive not found upstream (HTTP ${response.status})`, { url: spec.url });
      const hash = createHash(algorithm);
      const expected = spec.digest?.value.toLowerCase() ?? null;
      let digest = '';
      const verifier = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          callback(null, chunk);
        },
        // Runs after the last byte and before the end: an error here aborts the store, so nothing is kept.
        flush(callback) {
          digest = hash.digest('hex');
          callback(expected !== null && digest !== expected ? new DigestMismatch(`${algorithm} mismatch: the registry publishes ${expected}, the archive has ${digest}`) : null);
        },
      });
      response.body.on('error', (error) => verifier.destroy(error));
      const size = await blobs.putStream(blobKey, response.body.pipe(verifier));
      const stored: SourceRecord = { ...base, status: 'STORED', key: blobKey, url: spec.url, size, algorithm, digest, storedAt: this.now(), verified: expected !== null };
      await documents.putSource(stored);
      return stored;
    } catch (error) {
      if (error instanceof DigestMismatch || error instanceof UpstreamError) {
        logger.warn({ err: error, ...key }, 'source archive refused');
        return fail(error.message, { url: spec.url, algorithm });
      }
      throw error;
    }
  }
}

function strongest(checksums: readonly Checksum[]): Checksum | null {
  for (const algorithm of DIGEST_PREFERENCE) {
    const found = checksums.find((c) => c.algorithm.toLowerCase() === algorithm && /^[0-9a-f]+$/i.test(c.value));
    if (found) return { algorithm, value: found.value.toLowerCase() };
  }
  return null;
}

export function extensionOf(url: string): string {
  const path = new URL(url).pathname.toLowerCase();
  return KNOWN_EXTENSIONS.find((ext) => path.endsWith(`.${ext}`)) ?? 'bin';
}
