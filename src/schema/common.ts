import type { Checksum, LicenseInfo, Links, Person } from '../ecosystems/types.js';
import { builder } from './builder.js';

export const LicenseRef = builder.objectRef<LicenseInfo>('License').implement({
  description: 'A license: the SPDX expression (AND/OR/WITH kept), the value as declared upstream, and where it came from.',
  fields: (t) => ({
    spdx: t.exposeString('spdx', { nullable: true, description: 'SPDX expression, or null when the declared value maps to none.' }),
    name: t.exposeString('name', { nullable: true, description: 'The declared value, as the registry gives it.' }),
    source: t.exposeString('source', { nullable: true, description: 'Where the value came from, e.g. `package.json#license`.' }),
  }),
});

export const PersonRef = builder.objectRef<Person>('Person').implement({
  fields: (t) => ({
    name: t.exposeString('name', { nullable: true }),
    email: t.exposeString('email', { nullable: true }),
    url: t.exposeString('url', { nullable: true }),
  }),
});

export const LinksRef = builder.objectRef<Links>('Links').implement({
  fields: (t) => ({
    repository: t.exposeString('repository', { nullable: true }),
    homepage: t.exposeString('homepage', { nullable: true }),
    documentation: t.exposeString('documentation', { nullable: true }),
    changelog: t.exposeString('changelog', { nullable: true }),
    issues: t.exposeString('issues', { nullable: true }),
  }),
});

export const ChecksumRef = builder.objectRef<Checksum>('Checksum').implement({
  fields: (t) => ({
    algorithm: t.exposeString('algorithm', { description: 'e.g. sha512, sha256, sha1.' }),
    value: t.exposeString('value', { description: 'Lower-case hex digest.' }),
  }),
});

export const DistTagRef = builder.objectRef<{ tag: string; version: string }>('DistTag').implement({
  fields: (t) => ({ tag: t.exposeString('tag'), version: t.exposeString('version') }),
});

export const EngineRef = builder.objectRef<{ name: string; constraint: string }>('Engine').implement({
  description: 'A runtime requirement, e.g. node >=18.',
  fields: (t) => ({ name: t.exposeString('name'), constraint: t.exposeString('constraint') }),
});
