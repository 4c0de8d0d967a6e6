import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '@graphql-codegen/cli';
import { printSortedSchema } from '../src/schema/index.js';
import { startFakeNpm, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

const root = path.resolve(import.meta.dirname, '..');

describe('schema.graphql', () => {
  it('matches the schema the code builds (run `npm run schema` after changing types)', () => {
    const committed = fs.readFileSync(path.join(root, 'schema.graphql'), 'utf8');
    expect(printSortedSchema()).toBe(committed);
  });

  it('derives the Ecosystem enum from the ecosystem ids', () => {
    expect(printSortedSchema()).toMatch(/enum Ecosystem \{\n(\s+"""[^"]*"""\n)?\s+CARGO\n\s+GO\n\s+HEX\n\s+MAVEN\n\s+NPM\n\s+NUGET\n\s+PACKAGIST\n\s+PUB\n\s+PYPI\n\s+RUBYGEMS\n\}/);
  });
});

describe('codegen', () => {
  it('generates the committed typed documents from schema.graphql and examples/', async () => {
    const config = (await import('../codegen.js')).default;
    const files = (await generate({ ...config, cwd: root, silent: true }, false)) as { filename: string; content: string }[];
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const committed = fs.readFileSync(path.resolve(root, file.filename), 'utf8');
      expect(committed, `${path.relative(root, file.filename)} is out of date: run npm run codegen`).toBe(file.content);
    }
  }, 60_000);

  it('type-checks the generated documents and the typed example client', () => {
    const result = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.examples.json', '--noEmit'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 120_000);

  describe('typed client against a running gateway', () => {
    let upstream: FakeUpstream;
    let gw: TestGateway;
    beforeAll(async () => {
      upstream = await startFakeNpm();
      gw = await startTestGateway(upstream.url);
    });
    afterAll(async () => {
      await gw.close();
      await upstream.close();
    });

    it('runs the generated operations', async () => {
      const { latestLicense } = await import('../examples/client.js');
      expect(await latestLicense(`${gw.gateway.url}/graphql`, 'lodash')).toBe('MIT');
    });
  });
});
