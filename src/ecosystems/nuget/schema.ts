import { z } from 'zod';

/*
 * NuGet V3 payloads: the service index (https://learn.microsoft.com/nuget/api/service-index) and the package
 * metadata ("registration") index, pages and leaves (https://learn.microsoft.com/nuget/api/registration-base-url-resource).
 * Strict only where normalization cannot work otherwise (resource `@id`/`@type`, the `@id` of a page that is
 * not inlined, catalog entry `version`); optional fields of an unexpected type degrade to `undefined`. Unknown keys pass through.
 */

function lenient<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

/** Array whose bad elements are dropped rather than failing the array. */
function lenientArray<T extends z.ZodType>(item: T) {
  return z
    .array(item.nullable().catch(null))
    .transform((items) => items.filter((entry): entry is NonNullable<typeof entry> => entry !== null && entry !== undefined));
}

export const serviceResourceSchema = z.looseObject({
  '@id': z.string().min(1),
  /** One type per resource on nuget.org; an array is tolerated. */
  '@type': z.union([z.string(), z.array(z.string())]),
  comment: lenient(z.string()),
});

export const serviceIndexSchema = z.looseObject({
  version: lenient(z.string()),
  resources: lenientArray(serviceResourceSchema),
});

export const dependencySchema = z.looseObject({
  id: z.string().min(1),
  /** A NuGet version range such as `[2.2.0, )`; missing or empty means any version. */
  range: lenient(z.string()),
  registration: lenient(z.string()),
});

export const dependencyGroupSchema = z.looseObject({
  /** NuGet.Frameworks name, e.g. `.NETStandard2.0`; absent = applies to every framework. */
  targetFramework: lenient(z.string()),
  dependencies: lenient(lenientArray(dependencySchema)),
});

export const deprecationSchema = z.looseObject({
  /** Legacy | CriticalBugs | Other. */
  reasons: lenient(lenientArray(z.string())),
  message: lenient(z.string()),
  alternatePackage: lenient(z.looseObject({ id: z.string().min(1), range: lenient(z.string()) })),
});

export const vulnerabilitySchema = z.looseObject({
  advisoryUrl: lenient(z.string()),
  /** "0" low, "1" moderate, "2" high, "3" critical. */
  severity: lenient(z.string()),
});

export const catalogEntrySchema = z.looseObject({
  '@id': lenient(z.string()),
  /** Always sent by nuget.org; some feeds' registrations leave it out (the URL already names the package). */
  id: lenient(z.string().min(1)),
  /** Full version after normalization, may carry SemVer 2.0.0 build metadata (`2.3.4+build.119`). */
  version: z.string().min(1),
  /** A comma-separated string on nuget.org; the protocol also allows an array. */
  authors: lenient(z.union([z.string(), lenientArray(z.string())])),
  description: lenient(z.string()),
  summary: lenient(z.string()),
  title: lenient(z.string()),
  iconUrl: lenient(z.string()),
  licenseExpression: lenient(z.string()),
  licenseUrl: lenient(z.string()),
  /** Absent means listed. */
  listed: lenient(z.boolean()),
  /** Year 1900 on nuget.org when the version is unlisted. */
  published: lenient(z.string()),
  projectUrl: lenient(z.string()),
  readmeUrl: lenient(z.string()),
  /** An array on nuget.org; the protocol also allows one space-separated string. */
  tags: lenient(z.union([lenientArray(z.string()), z.string()])),
  minClientVersion: lenient(z.string()),
  packageContent: lenient(z.string()),
  requireLicenseAcceptance: lenient(z.boolean()),
  /** An empty string on nuget.org today; a URL or `{type, url}` is accepted. */
  repository: lenient(z.union([z.string(), z.looseObject({ url: lenient(z.string()), type: lenient(z.string()) })])),
  dependencyGroups: lenient(lenientArray(dependencyGroupSchema)),
  deprecation: lenient(deprecationSchema),
  vulnerabilities: lenient(lenientArray(vulnerabilitySchema)),
});

/** A registration leaf as found in a page: one version. */
export const registrationLeafSchema = z.looseObject({
  '@id': lenient(z.string()),
  catalogEntry: catalogEntrySchema,
  packageContent: lenient(z.string()),
  registration: lenient(z.string()),
});

export const registrationPageSchema = z.looseObject({
  /** Needed only when the leaves are not inlined (fetch checks that). */
  '@id': lenient(z.string().min(1)),
  count: lenient(z.number()),
  lower: lenient(z.string()),
  upper: lenient(z.string()),
  /** Inlined leaves; absent when the page has to be fetched from its `@id`. */
  items: z.array(z.unknown()).optional(),
});

export const registrationIndexSchema = z.looseObject({
  '@id': lenient(z.string()),
  count: lenient(z.number()),
  commitTimeStamp: lenient(z.string()),
  items: z.array(registrationPageSchema),
});

/** A page fetched from its `@id`: the leaves are required there. */
export const fetchedPageSchema = registrationPageSchema.extend({ items: z.array(z.unknown()) });

/** The package part of the raw document: the registration index with its pages' leaves moved out. */
export const storedIndexSchema = z.looseObject({
  '@id': lenient(z.string()),
  commitTimeStamp: lenient(z.string()),
  /** Added by the adapter from the service index (PackageBaseAddress/3.0.0), not an upstream field. */
  'scout:packageBaseAddress': lenient(z.string().nullable()),
});

export type ServiceIndex = z.infer<typeof serviceIndexSchema>;
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;
export type RegistrationLeaf = z.infer<typeof registrationLeafSchema>;
export type NuGetDeprecation = z.infer<typeof deprecationSchema>;
