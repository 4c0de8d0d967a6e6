import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

const UNUSED = 'http://127.0.0.1:9';
const CORE = '/maven2/org/example/widgets/widget-core';

let fake: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  fake = await startFakeRegistry('maven');
  fake.lastModified = 'Fri, 15 Mar 2024 09:30:12 GMT';
  gw = await startTestGateway(UNUSED, { SCOUT_REGISTRY_MAVEN_URL: `${fake.url}/maven2` });
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});

const PACKAGE = `query ($name: String!) {
  package(ecosystem: MAVEN, name: $name) {
    name ecosystem purl versionCount description homepage repositoryUrl
    license { spdx name source }
    latestVersion {
      version artifactUrl publishedAt
      checksums { algorithm value }
      normalized {
        status { deprecated prerelease }
        dependencies {
          runtime { name constraint optional }
          optional { name constraint optional }
          peer { name constraint }
          development { name constraint }
        }
      }
    }
    latestPrerelease { version isPrerelease }
  }
}`;

describe('maven through the gateway', () => {
  it('fetches an artifact on demand (URL form accepted), stores it and answers from the store', async () => {
    const first = await gw.query(PACKAGE, { name: 'org.example.widgets/widget-core' });
    expect(first.errors).toBeUndefined();
    const pkg = first.data.package;
    expect(pkg).toMatchObject({
      name: 'org.example.widgets:widget-core',
      ecosystem: 'MAVEN',
      purl: 'pkg:maven/org.example.widgets/widget-core',
      versionCount: 5,
      homepage: 'https://example.org/projects/example-parent/widget-core/',
      repositoryUrl: 'https://github.com/example/widgets',
      license: { spdx: 'Apache-2.0 OR EPL-2.0', source: 'example-root-1.pom#licenses' },
      latestPrerelease: { version: '1.2.0-RC1', isPrerelease: true },
    });
    expect(pkg.latestVersion).toMatchObject({
      version: '1.1.0',
      artifactUrl: `${fake.url}${CORE}/1.1.0/widget-core-1.1.0.jar`,
      publishedAt: '2024-03-15T09:30:12.000Z',
      checksums: [
        { algorithm: 'sha1', value: '3f786850e387550fdab836ed7e6dc881de23001b' },
        { algorithm: 'sha256', value: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' },
      ],
      normalized: { status: { deprecated: false, prerelease: false } },
    });
    const deps = pkg.latestVersion.normalized.dependencies;
    expect(deps.runtime).toContainEqual({ name: 'org.slf4j:slf4j-api', constraint: '2.0.9', optional: false });
    expect(deps.optional).toEqual([{ name: 'com.fasterxml.jackson.core:jackson-databind', constraint: '2.16.1', optional: true }]);
    expect(deps.peer).toContainEqual({ name: 'jakarta.servlet:jakarta.servlet-api', constraint: '6.0.0' });
    expect(deps.development).toContainEqual({ name: 'org.junit.jupiter:junit-jupiter', constraint: '5.10.1' });
    expect(fake.count(`${CORE}/maven-metadata.xml`)).toBe(1);
    expect(fake.count(`${CORE}/1.1.0/widget-core-1.1.0.pom`)).toBe(1);

    const second = await gw.query(PACKAGE, { name: 'org.example.widgets:widget-core' });
    expect(second.data).toEqual(first.data);
    expect(fake.count(`${CORE}/maven-metadata.xml`)).toBe(1);
  });

  it('completes another version from its POM on first need, once', async () => {
    const query = `{ version(ecosystem: MAVEN, name: "org.example.widgets:widget-core", version: "1.0.0") {
      version purl description license { spdx }
      dependencies { name packageName constraint kind }
    } }`;
    const before = fake.count();
    const first = await gw.query(query);
    expect(first.errors).toBeUndefined();
    expect(first.data.version).toMatchObject({
      version: '1.0.0',
      purl: 'pkg:maven/org.example.widgets/widget-core@1.0.0',
      description: 'Parent POM of the example projects.', // inherited: 1.0.0 has none of its own
      license: { spdx: 'Apache-2.0 OR EPL-2.0' },
      dependencies: [
        { name: 'org.slf4j:slf4j-api', packageName: 'org.slf4j:slf4j-api', constraint: '1.7.36', kind: 'RUNTIME' },
        { name: 'org.example:example-annotations', packageName: 'org.example:example-annotations', constraint: '1.0.0', kind: 'PEER' },
      ],
    });
    // Only its own POM and checksum files: parents and BOMs are cached in the adapter.
    expect(fake.count() - before).toBe(3);

    expect(await gw.query(query)).toEqual(first);
    expect(fake.count(`${CORE}/1.0.0/widget-core-1.0.0.pom`)).toBe(1);
    // The stored raw part now carries the POM, and the conventional sources jar URL for the archive step.
    const raw = await gw.query('{ version(ecosystem: MAVEN, name: "org.example.widgets:widget-core", version: "1.0.0") { extended } }');
    expect(raw.data.version.extended).toMatchObject({ version: '1.0.0', sourcesUrl: `${fake.url}${CORE}/1.0.0/widget-core-1.0.0-sources.jar` });
    expect(raw.data.version.extended.details.pom.url).toBe(`${fake.url}${CORE}/1.0.0/widget-core-1.0.0.pom`);
  });

  it('resolves a purl and reports a relocated artifact as deprecated', async () => {
    const result = await gw.query(`{
      byPurl: packageByPurl(purl: "pkg:maven/org.example.bom/platform-bom") { name latestVersion { artifactUrl } }
      old: package(ecosystem: MAVEN, name: "org.example:old-widget") { latestVersion { isDeprecated deprecationMessage } }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.byPurl).toEqual({ name: 'org.example.bom:platform-bom', latestVersion: { artifactUrl: `${fake.url}/maven2/org/example/bom/platform-bom/2.4/platform-bom-2.4.pom` } });
    expect(result.data.old.latestVersion).toEqual({ isDeprecated: true, deprecationMessage: 'Relocated to org.example.widgets:widget-core:1.0: old-widget moved to the widgets group' });
  });

  it('answers null for an unknown artifact and INVALID_INPUT for a bad name without asking upstream', async () => {
    expect((await gw.query('{ package(ecosystem: MAVEN, name: "org.example:no-such-artifact") { name } }')).data).toEqual({ package: null });
    const before = fake.count();
    const bad = await gw.query('{ package(ecosystem: MAVEN, name: "org.example:widget-core:1.0") { name } }');
    expect(bad.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    expect(bad.errors?.[0]?.message).toMatch(/groupId:artifactId without version/);
    expect(fake.count()).toBe(before);
  });
});
