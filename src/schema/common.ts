import type { Checksum, LicenseInfo, Links, Person } from '../ecosystems/types.js';
import { builder } from './builder.js';

export const LicenseRef = builder.objectRef<LicenseInfo>('License').implement({
  description:
    'A license: the SPDX expression (AND/OR/WITH kept), the value as declared upstream, and where it came from. A declared list (npm legacy `licenses`, PyPI classifiers, gemspec, composer.json, Hex, POM) is read as a choice (OR); several license files found in one artifact (Go module zip, pub.dev tags) as all of them (AND).',
  fields: (t) => ({
    spdx: t.exposeString('spdx', {
      nullable: true,
      description: 'SPDX license expression (`MIT`, `MIT OR Apache-2.0`); null when the declared value maps to none (`UNLICENSED`, `SEE LICENSE IN ...`, a URL or free text).',
    }),
    name: t.exposeString('name', { nullable: true, description: 'The declared value as the registry gives it (lists joined with ` OR `; Go: the detected expression, or the first line of an unrecognized license file).' }),
    source: t.exposeString('source', {
      nullable: true,
      description: 'Where the value came from, e.g. `package.json#license`, `Cargo.toml#license`, `gemspec#licenses`, `module zip: LICENSE`, `catalogEntry.licenseExpression`.',
    }),
  }),
});

export const PersonRef = builder.objectRef<Person>('Person').implement({
  description:
    'A person or account as the registry lists it (npm maintainers, PyPI authors/maintainers or owners, gemspec authors, Hex owners, POM developers, NuGet authors ...). Each part is null when not published.',
  fields: (t) => ({
    name: t.exposeString('name', { nullable: true, description: 'Display name or account name; null when only an e-mail is known.' }),
    email: t.exposeString('email', { nullable: true, description: 'E-mail address (without `mailto:`); null when not published.' }),
    url: t.exposeString('url', { nullable: true, description: 'Home page or profile URL; null when not published.' }),
  }),
});

export const LinksRef = builder.objectRef<Links>('Links').implement({
  description: 'Project links. Each is null when the registry gives none and none can be inferred (issue trackers are derived from GitHub/GitLab/Bitbucket repositories).',
  fields: (t) => ({
    repository: t.exposeString('repository', {
      nullable: true,
      description: 'Browsable source repository URL (git URLs and shorthands such as `github:user/repo` made browsable; Go: inferred from the module path).',
    }),
    homepage: t.exposeString('homepage', { nullable: true, description: 'Project home page.' }),
    documentation: t.exposeString('documentation', { nullable: true, description: 'Documentation site (Go: pkg.go.dev; Hex: hexdocs; NuGet: the README URL).' }),
    changelog: t.exposeString('changelog', { nullable: true, description: 'Changelog or release notes.' }),
    issues: t.exposeString('issues', { nullable: true, description: 'Issue tracker.' }),
  }),
});

export const ChecksumRef = builder.objectRef<Checksum>('Checksum').implement({
  description:
    'A digest of the version\'s artifact (`artifactUrl`) as the registry publishes it: npm `integrity`/`shasum`, PyPI sdist hashes, crates.io and RubyGems sha256, Go zip sha256 and go.sum `h1`, Hex tarball sha256, Maven `.sha1`/`.sha256` files, Packagist `dist.shasum`, pub `archive_sha256`. NuGet registrations publish none.',
  fields: (t) => ({
    algorithm: t.exposeString('algorithm', {
      description: 'Lower-case algorithm name: `sha512`, `sha256`, `sha1`, `md5`, `blake2b_256` (PyPI), `h1` (Go: go.sum dirhash, the same 32 bytes as `h1:<base64>`).',
    }),
    value: t.exposeString('value', { description: 'Lower-case hex digest (npm base64 integrity and Go `h1:` converted to hex).' }),
  }),
});

export const DistTagRef = builder.objectRef<{ tag: string; version: string }>('DistTag').implement({
  description:
    'A named pointer to a version: npm dist-tags (`latest`, `next` ...), Go and pub `latest`, Maven `maven-metadata.xml` `<latest>` / `<release>` (as the last deploy wrote them). Other registries have none.',
  fields: (t) => ({
    tag: t.exposeString('tag', { description: 'Tag name, e.g. `latest`; usable wherever a version argument is taken.' }),
    version: t.exposeString('version', { description: 'The version it points at.' }),
  }),
});

export const EngineRef = builder.objectRef<{ name: string; constraint: string }>('Engine').implement({
  description:
    'A runtime or tool requirement, e.g. `node` `>=18`: npm `engines`, PyPI `python` (Requires-Python), Cargo `rust` (rust-version), RubyGems `ruby`/`rubygems`, Go `go`/`toolchain`, Hex `elixir`, NuGet `nuget` (minClientVersion), Packagist `php`/`ext-*`/`lib-*`, pub `sdk`/`flutter`.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'What is required (`node`, `python`, `rust`, `go`, `php` ...).' }),
    constraint: t.exposeString('constraint', { description: 'The requirement as declared, in the ecosystem\'s own range syntax.' }),
  }),
});
