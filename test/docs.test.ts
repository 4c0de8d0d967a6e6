import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, Kind, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';

/* Every GraphQL example in the READMEs must be valid against the committed schema, so docs cannot drift from it. */

const root = path.resolve(import.meta.dirname, '..');
const schema = buildSchema(fs.readFileSync(path.join(root, 'schema.graphql'), 'utf8'));

function readmes(): string[] {
  const found = ['README.md'];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (entry.name === 'README.md') found.push(relative);
    }
  };
  walk('src');
  return found;
}

const examples = readmes().flatMap((file) =>
  [...fs.readFileSync(path.join(root, file), 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g)].map((match, index) => ({
    file,
    index,
    text: match[1]!,
  })),
);

describe('README GraphQL examples', () => {
  it('there are examples to check', () => {
    expect(examples.length).toBeGreaterThan(5);
  });

  it.each(examples.map((e) => [`${e.file} #${e.index + 1}`, e] as const))('%s validates against schema.graphql', (_label, example) => {
    const document = parse(example.text);
    // Blocks hold several anonymous operations side by side: each is validated on its own.
    const errors = document.definitions.flatMap((definition) =>
      validate(schema, { kind: Kind.DOCUMENT, definitions: [definition] }).map((error) => error.message),
    );
    expect(errors).toEqual([]);
  });
});
