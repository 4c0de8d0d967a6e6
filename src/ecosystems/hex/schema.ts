import { z } from 'zod';

/*
 * hex.pm HTTP API payloads (https://github.com/hexpm/specifications/blob/main/apiary.apib; the live shapes are
 * those of hexpm's HexpmWeb.API.PackageView / ReleaseView). Strict only where normalization cannot work
 * otherwise (`name`, `releases[].version`, the release's `version`); optional fields of an unexpected type
 * degrade to `undefined`. Unknown keys pass through: raw documents are stored and re-normalized later.
 */

function lenient<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

/** An owner or publisher: `{username, url, email?}` (email only for users who made it public). */
export const userSchema = z.looseObject({
  username: lenient(z.string()),
  email: lenient(z.string()),
  url: lenient(z.string()),
});

/** `{reason, message}`; reason is one of other | invalid | security | deprecated | renamed. */
export const retirementSchema = z.looseObject({
  reason: lenient(z.string()),
  message: lenient(z.string().nullable()),
});

/** One entry of the package's `releases` list (the API's "minimal" release view). */
export const releaseEntrySchema = z.looseObject({
  version: z.string().min(1),
  url: lenient(z.string()),
  has_docs: lenient(z.boolean()),
  /** Missing on some recorded documents (trimmed copies); the release endpoint has it too. */
  inserted_at: lenient(z.string()),
});

export const packageMetaSchema = z.looseObject({
  description: lenient(z.string().nullable()),
  licenses: lenient(z.array(z.string().catch(''))),
  /** Free-form names ("GitHub", "Changelog", "Docs" ...) to URLs. */
  links: lenient(z.record(z.string(), z.unknown())),
  /** Deprecated by Hex (owners replace it); a list of names. */
  maintainers: lenient(z.array(z.unknown())),
});

/** `GET /api/packages/{name}` without `releases`: the package part of the raw document. */
export const packageDocumentSchema = z.looseObject({
  name: z.string().min(1),
  repository: lenient(z.string()),
  meta: lenient(packageMetaSchema),
  owners: lenient(z.array(userSchema.catch({}))),
  /** Version -> retirement, only for retired releases. */
  retirements: lenient(z.record(z.string(), retirementSchema.catch({}))),
  latest_version: lenient(z.string().nullable()),
  latest_stable_version: lenient(z.string().nullable()),
  docs_html_url: lenient(z.string().nullable()),
  html_url: lenient(z.string()),
  inserted_at: lenient(z.string()),
  updated_at: lenient(z.string()),
  /** `{all, recent, week, day}`; private repositories and old answers may leave it out. */
  downloads: lenient(z.looseObject({ all: lenient(z.number().nonnegative()) })),
});

/** What `fetch` checks before storing the package document. */
export const packageEnvelopeSchema = z.looseObject({
  name: z.string().min(1),
  /** Each entry is checked on its own (releaseEntrySchema): one without a version is skipped. */
  releases: z.array(z.unknown()),
});

/** One dependency: the map key is the package name; `app` is the OTP application name the dependent uses. */
export const requirementSchema = z.looseObject({
  requirement: lenient(z.string().nullable()),
  optional: lenient(z.boolean()),
  app: lenient(z.string()),
  /** The repository the dependency comes from ("hexpm", or an organization's); absent on older servers. */
  repository: lenient(z.string()),
});

/**
 * The list form of requirements (`[{name | package, requirement, optional, app}]`, as in the registry's protobuf
 * and some other Hex servers), read into the API's map form; entries without a name are dropped.
 */
const requirementListSchema = z
  .array(z.unknown())
  .transform((entries) => {
    const out: Record<string, z.output<typeof requirementSchema>> = {};
    for (const entry of entries) {
      const parsed = requirementSchema.extend({ name: lenient(z.string()), package: lenient(z.string()) }).safeParse(entry);
      if (!parsed.success) continue;
      const { name, package: pkg, ...requirement } = parsed.data;
      const key = (name ?? pkg ?? '').trim();
      // defineProperty: a `__proto__` name from upstream must stay a key, not change the prototype.
      if (key && !Object.hasOwn(out, key)) Object.defineProperty(out, key, { value: requirement, enumerable: true, writable: true, configurable: true });
    }
    return out;
  });

/** `GET /api/packages/{name}/releases/{version}`. */
export const releaseDocumentSchema = z.looseObject({
  version: z.string().min(1),
  /** sha256 of the whole release tarball (the registry's outer checksum), lower-case hex. */
  checksum: lenient(z.string()),
  has_docs: lenient(z.boolean()),
  inserted_at: lenient(z.string()),
  updated_at: lenient(z.string()),
  retirement: lenient(retirementSchema.nullable()),
  requirements: lenient(z.union([z.record(z.string(), requirementSchema.catch({})), requirementListSchema])),
  meta: lenient(
    z.looseObject({
      app: lenient(z.string().nullable()),
      build_tools: lenient(z.array(z.string().catch(''))),
      elixir: lenient(z.string().nullable()),
    }),
  ),
  publisher: lenient(userSchema.nullable()),
  docs_html_url: lenient(z.string().nullable()),
  html_url: lenient(z.string()),
});

/**
 * One version's raw part: the package list's entry, plus `release` once the per-release request was made
 * (the release document, or null when the upstream had none).
 */
export const rawVersionSchema = releaseEntrySchema.extend({
  release: lenient(releaseDocumentSchema.nullable()),
});

export type HexUser = z.infer<typeof userSchema>;
export type HexRetirement = z.infer<typeof retirementSchema>;
export type HexPackageDocument = z.infer<typeof packageDocumentSchema>;
export type HexReleaseDocument = z.infer<typeof releaseDocumentSchema>;
export type HexRawVersion = z.infer<typeof rawVersionSchema>;
