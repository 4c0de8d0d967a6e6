import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '@graphql-codegen/cli';
import { buildSchema as schemaFromSdl, isEnumType, isInputObjectType, isInterfaceType, isIntrospectionType, isObjectType, isSpecifiedScalarType, type GraphQLSchema } from 'graphql';
import { ECOSYSTEM_IDS } from '../src/ecosystems/ids.js';
import { buildSchema, printSortedSchema } from '../src/schema/index.js';
import { startFakeNpm, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

const root = path.resolve(import.meta.dirname, '..');

describe('schema.graphql', () => {
  it('matches the schema the code builds (run `npm run schema` after changing types)', () => {
    const committed = fs.readFileSync(path.join(root, 'schema.graphql'), 'utf8');
    expect(printSortedSchema()).toBe(committed);
  });

  it('derives the Ecosystem enum from the ecosystem ids', () => {
    const ecosystem = buildSchema().getType('Ecosystem');
    expect(isEnumType(ecosystem) && ecosystem.getValues().map((value) => value.name).sort()).toEqual(ECOSYSTEM_IDS.map((id) => id.toUpperCase()).sort());
  });

  // GraphiQL's docs pane and codegen's generated types show these: an undocumented field reaches every frontend.
  it('describes every type, field, argument, input field and enum value', () => {
    expect(undescribed(buildSchema())).toEqual([]);
  });

  it('names each undescribed coordinate', () => {
    const sdl = `
      "Q" type Query { "d" a(x: Int): E b(input: In): Int }
      enum E { "v" A B }
      "In" input In { c: Int }
    `;
    expect(undescribed(schemaFromSdl(sdl))).toEqual(['E', 'E.B', 'In.c', 'Query.a(x:)', 'Query.b', 'Query.b(input:)']);
  });
});

/** Schema coordinates (`Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`) without a description. */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (coordinate: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(coordinate);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name}:)`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
  }
  return missing.sort();
}

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
