import { z } from 'zod';

/*
 * Shapes of the Maven repository payloads after fast-xml-parser (see xml.ts: values stay strings, attributes
 * are `@_name`, the list elements named in the reader's array paths are always arrays), and of the raw
 * documents the adapter stores. XML gives no types, so every field is lenient: an element of the wrong form
 * (an empty `<licenses/>` is "", a repeated `<url>` becomes an array) degrades to "absent" instead of
 * rejecting the document. Strict only where nothing can work otherwise: the root element.
 */

/** Element text: `value`, `{ '#text': value, '@_attr': ... }`, or the first of a repeated element. Blank -> undefined. */
function elementText(value: unknown): string | undefined {
  if (Array.isArray(value)) return elementText(value[0]);
  if (typeof value === 'string') return value.trim() || undefined;
  if (value && typeof value === 'object' && '#text' in value) return elementText((value as Record<string, unknown>)['#text']);
  return undefined;
}

/** Like elementText but keeps an empty element as "" (an empty Maven property is defined and expands to nothing). */
function propertyText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (value && typeof value === 'object' && !Array.isArray(value) && '#text' in value) return propertyText((value as Record<string, unknown>)['#text']);
  return undefined;
}

const text = z.unknown().transform(elementText).optional();

/** An element with children; anything else (an empty element, a stray text) reads as absent. */
function element<T extends z.ZodRawShape>(shape: T) {
  return z.looseObject(shape).optional().catch(undefined);
}

/** A forced-array element; entries that are not elements (blank repeats) are dropped. */
function elements<T extends z.ZodType>(item: T) {
  return z
    .array(z.unknown())
    .catch([])
    .transform((entries) => entries.flatMap((entry) => {
      const parsed = item.safeParse(entry);
      return parsed.success && parsed.data !== undefined ? [parsed.data as NonNullable<z.output<T>>] : [];
    }));
}

/** `<x:wrapper><x:item/>...</x:wrapper>`: the item list, empty when the wrapper is empty or missing. */
function wrapped<T extends z.ZodType>(itemName: string, item: T) {
  return z
    .looseObject({ [itemName]: elements(item) })
    .optional()
    .catch(undefined)
    .transform((wrapper) => ((wrapper?.[itemName] ?? []) as NonNullable<z.output<T>>[]));
}

// ---------------------------------------------------------------------------------------------------------------
// maven-metadata.xml (artifact level): https://maven.apache.org/ref/current/maven-repository-metadata/repository-metadata.html

export const METADATA_ARRAY_PATHS = ['metadata.versioning.versions.version'] as const;

export const metadataDocumentSchema = z.looseObject({
  metadata: z.looseObject({
    groupId: text,
    artifactId: text,
    /** Old (Maven 1 era) metadata names one version here and has no `<versioning>`. */
    version: text,
    versioning: element({
      latest: text,
      release: text,
      lastUpdated: text,
      versions: element({ version: elements(text) }),
    }),
  }),
});

export type MavenMetadataDocument = z.output<typeof metadataDocumentSchema>;

// ---------------------------------------------------------------------------------------------------------------
// POM (model 4.0.0): https://maven.apache.org/ref/current/maven-model/maven.html

const DEPENDENCY_LISTS = ['project.dependencies.dependency', 'project.dependencyManagement.dependencies.dependency'];

export const POM_ARRAY_PATHS = [
  'project.licenses.license',
  'project.developers.developer',
  'project.modules.module',
  ...DEPENDENCY_LISTS,
  ...DEPENDENCY_LISTS.map((path) => `${path}.exclusions.exclusion`),
] as const;

const dependencySchema = z.looseObject({
  groupId: text,
  artifactId: text,
  version: text,
  type: text,
  classifier: text,
  scope: text,
  optional: text,
  systemPath: text,
  exclusions: wrapped('exclusion', z.looseObject({ groupId: text, artifactId: text })),
});

const propertiesSchema = z
  .record(z.string(), z.unknown())
  .catch({})
  .transform((entries) => {
    const out = new Map<string, string>();
    for (const [key, value] of Object.entries(entries)) {
      const resolved = key.startsWith('@_') ? undefined : propertyText(value);
      if (resolved !== undefined) out.set(key, resolved);
    }
    return out;
  });

export const pomDocumentSchema = z.looseObject({
  project: z.looseObject({
    '@_child.project.url.inherit.append.path': text,
    modelVersion: text,
    parent: element({ groupId: text, artifactId: text, version: text, relativePath: text }),
    groupId: text,
    artifactId: text,
    version: text,
    packaging: text,
    name: text,
    description: text,
    url: text,
    properties: propertiesSchema.optional(),
    licenses: wrapped('license', z.looseObject({ name: text, url: text, distribution: text, comments: text })),
    developers: wrapped('developer', z.looseObject({ id: text, name: text, email: text, url: text, organization: text, organizationUrl: text })),
    organization: element({ name: text, url: text }),
    scm: element({
      url: text,
      connection: text,
      developerConnection: text,
      tag: text,
      '@_child.scm.url.inherit.append.path': text,
      '@_child.scm.connection.inherit.append.path': text,
      '@_child.scm.developerConnection.inherit.append.path': text,
    }),
    issueManagement: element({ system: text, url: text }),
    modules: wrapped('module', text),
    dependencies: wrapped('dependency', dependencySchema),
    dependencyManagement: element({ dependencies: wrapped('dependency', dependencySchema) }),
    distributionManagement: element({ relocation: element({ groupId: text, artifactId: text, version: text, message: text }) }),
  }),
});

export type PomDocument = z.output<typeof pomDocumentSchema>;
export type PomProject = PomDocument['project'];
export type PomDependencyElement = z.output<typeof dependencySchema>;

// ---------------------------------------------------------------------------------------------------------------
// Raw documents stored by the adapter (blob store), re-read by normalize.

/** A fetched text file (POM, checksum) as it was served. */
const fetchedFileSchema = z.looseObject({ url: z.string(), text: z.string() });

/** A parent or imported BOM POM consulted while building the effective POM. */
export const relatedPomSchema = z.looseObject({
  url: z.string(),
  /**
   * `skipped`: not requested because a limit (chain depth, requests per version) was reached; `invalid`: served,
   * but not a readable POM (the version degrades as if the parent were missing; `reason` says why).
   */
  status: z.enum(['ok', 'not-found', 'skipped', 'invalid']),
  text: z.string().optional(),
  reason: z.string().optional(),
});

export const versionDetailsSchema = z.looseObject({
  /** null: the POM itself answered 404. */
  pom: z.looseObject({ url: z.string(), text: z.string(), lastModified: z.string().nullable().default(null) }).nullable(),
  /** `groupId:artifactId:version` -> the POM. */
  related: z.record(z.string(), relatedPomSchema).default({}),
  /** The main artifact (by packaging) and its checksum files; a null file answered 404. */
  artifact: z
    .looseObject({
      extension: z.string(),
      url: z.string(),
      sha1: fetchedFileSchema.nullable().default(null),
      sha256: fetchedFileSchema.nullable().default(null),
    })
    .nullable()
    .default(null),
});

export const rawVersionSchema = z.looseObject({
  version: z.string(),
  pomUrl: z.string().optional(),
  /** Conventional location of the sources jar (`-sources.jar`); it may not exist. */
  sourcesUrl: z.string().optional(),
  /** Absent until the version's POM was read (see VersionRecord.detailsPending). */
  details: versionDetailsSchema.optional(),
});

export const rawPackageSchema = z.looseObject({
  /** Repository base URL the package was read from (artifact URLs are built from it). */
  repository: z.string(),
  groupId: z.string(),
  artifactId: z.string(),
  metadataUrl: z.string(),
  /** maven-metadata.xml as served (decoded text). */
  metadata: z.string(),
});

export type RelatedPom = z.output<typeof relatedPomSchema>;
export type MavenVersionDetails = z.output<typeof versionDetailsSchema>;
export type RawMavenVersion = z.output<typeof rawVersionSchema>;
export type RawMavenPackage = z.output<typeof rawPackageSchema>;
