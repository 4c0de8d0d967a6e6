/** Builds public-registry-shaped packuments for tests that need many packages or many versions. */
export interface PackumentOptions {
  versions?: string[];
  latest?: string;
  license?: unknown;
  dependencies?: Record<string, string>;
  /** ISO start; each later version is published one day after the previous. */
  start?: string;
}

export function packument(name: string, options: PackumentOptions = {}): Record<string, unknown> {
  const versions = options.versions ?? ['1.0.0', '1.1.0'];
  const start = Date.parse(options.start ?? '2020-01-01T00:00:00.000Z');
  const time: Record<string, string> = { created: new Date(start).toISOString() };
  const docs: Record<string, unknown> = {};
  versions.forEach((version, i) => {
    time[version] = new Date(start + i * 86_400_000).toISOString();
    docs[version] = {
      name,
      version,
      description: `${name} test package`,
      license: options.license ?? 'MIT',
      dependencies: options.dependencies ?? {},
      dist: {
        tarball: `https://npm-registry.example/${name}/-/${name.split('/').pop()}-${version}.tgz`,
        shasum: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3',
        integrity: 'sha512-7iaw3Ur350mqGo7jwQrpkj9hiYB3Lkc/iBml1JQODbJ6wYX4oOHV+E+IvIh/1nsUNzLDBMxfqa2Ob1f1ACio/w==',
        unpackedSize: 1000 + i,
      },
    };
  });
  time.modified = new Date(start + versions.length * 86_400_000).toISOString();
  return {
    _id: name,
    name,
    'dist-tags': { latest: options.latest ?? versions.filter((v) => !v.includes('-')).at(-1) ?? versions.at(-1) },
    versions: docs,
    time,
  };
}

/** The request path a packument answers (scoped names with an encoded slash). */
export function packumentPath(name: string): string {
  return `/${name.replace('/', '%2f')}`;
}
