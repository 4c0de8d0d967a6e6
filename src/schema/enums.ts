import { ECOSYSTEM_IDS, type EcosystemId } from '../ecosystems/ids.js';
import type { DependencyKind, VersionStatus } from '../ecosystems/types.js';
import { builder } from './builder.js';

/** One line per registry: what it is and how names are written (a new ecosystem id must add its line). */
const ECOSYSTEMS: Record<EcosystemId, string> = {
  npm: 'npm: the registry npm itself is configured with. Names `lodash`, `@babel/core` (also `@babel%2fcore`). purl type `npm`.',
  pypi: 'PyPI (JSON and simple APIs). Names are PEP 503-normalized: `Flask` and `flask` are one package. purl type `pypi`.',
  cargo: 'crates.io (sparse index and web API). Names are lower-cased, `-` and `_` kept as given (`serde_json`). purl type `cargo`.',
  rubygems: 'RubyGems.org (compact index and API). Names are case-sensitive (`rails`). purl type `gem`.',
  packagist: 'Packagist (Composer v2 repository). Names `vendor/package`, case-insensitive (`monolog/monolog`). purl type `composer`.',
  hex: 'Hex (hex.pm, Elixir and Erlang). Names such as `phoenix`; private organizations are not served. purl type `hex`.',
  maven: 'Maven Central (or any Maven 2 layout repository). Names `groupId:artifactId` (also `groupId/artifactId`), case-sensitive. purl type `maven`.',
  nuget: 'NuGet (V3 API). Names are case-insensitive and stored lower-case (`newtonsoft.json`; `Package.displayName` keeps `Newtonsoft.Json`). purl type `nuget`.',
  go: 'Go module proxy (GOPROXY protocol). Names are module paths, case-sensitive (`github.com/gin-gonic/gin`); versions carry their `v`. purl type `golang`.',
  pub: 'pub.dev (Dart and Flutter). Names are letters, digits and `_`, lower-case but for a few legacy ones (`http`). purl type `pub`.',
};

export const EcosystemEnum = builder.enumType('Ecosystem', {
  description: 'A package registry served by the gateway. Every one answers through the same types; field descriptions say where a registry fills a field differently or not at all.',
  values: Object.fromEntries(ECOSYSTEM_IDS.map((id) => [id.toUpperCase(), { value: id, description: ECOSYSTEMS[id] }])) as Record<string, { value: EcosystemId; description: string }>,
});

const VERSION_STATUSES: Record<VersionStatus, string> = {
  ACTIVE: 'Installable and not flagged.',
  DEPRECATED:
    'Installable, but the publisher advises against it (`deprecationMessage` says why): npm `deprecated`, Go module `// Deprecated:`, NuGet deprecation, Hex retirement (any reason, e.g. `Retired (security): ...`), Maven relocation, Packagist abandoned, pub discontinued. Resolvers still pick it.',
  YANKED:
    'Withdrawn by the publisher: crates.io yanked, PyPI yanked (PEP 592, every file of the release), RubyGems yanked (only seen for the most recent version). Resolvers skip it unless pinned exactly; `Package.versions` hides it unless `includeYanked`.',
  UNLISTED: 'NuGet unlisted: hidden from search, still downloadable. Resolvers skip it unless pinned exactly; `Package.versions` still lists it.',
  RETRACTED:
    'Retracted by its author: Go `retract` directive (in the latest go.mod), pub.dev retracted. Resolvers skip it unless pinned exactly (a Go requirement naming it is still honoured); `Package.versions` hides it unless `includeYanked`.',
  UNPUBLISHED: 'npm: removed from the registry; only its version and release date remain. Never resolved; `Package.versions` hides it unless `includeYanked`.',
};

export const VersionStatusEnum = builder.enumType('VersionStatus', {
  description: 'Whether a version may be installed, as its registry flags it, mapped onto one scale. `deprecationMessage` carries the registry\'s note when it gives one.',
  values: Object.fromEntries(Object.entries(VERSION_STATUSES).map(([key, description]) => [key, { value: key as VersionStatus, description }])) as Record<VersionStatus, { value: VersionStatus; description: string }>,
});

const DEPENDENCY_KINDS: Record<DependencyKind, string> = {
  RUNTIME:
    'Needed at run time: npm `dependencies`, PyPI `Requires-Dist` without an extra, Cargo normal, RubyGems runtime, Go `require`, Composer `require`, Hex requirements, Maven compile/runtime scope, NuGet dependencies, pub `dependencies`.',
  DEVELOPMENT:
    'Needed to develop or test the package only: npm `devDependencies`, Cargo dev-dependencies, RubyGems development (most recent version only), Composer `require-dev`, Maven test scope, pub `dev_dependencies`.',
  OPTIONAL:
    'Installed when possible or when asked for, not required: npm `optionalDependencies` (a failed install is not an error), PyPI dependencies of an extra (`extra == "socks"`), Maven `<optional>true</optional>` compile/runtime.',
  PEER: 'Expected to be provided by the consumer: npm `peerDependencies`, Hex optional requirements, Maven provided/system scope.',
  BUILD: 'Needed to build the package: Cargo build-dependencies.',
};

export const DependencyKindEnum = builder.enumType('DependencyKind', {
  description: 'What a dependency is needed for, mapped from each ecosystem\'s own sections or scopes.',
  values: Object.fromEntries(Object.entries(DEPENDENCY_KINDS).map(([key, description]) => [key, { value: key as DependencyKind, description }])) as Record<DependencyKind, { value: DependencyKind; description: string }>,
});
