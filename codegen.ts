import type { CodegenConfig } from '@graphql-codegen/cli';

/** Typed documents for frontends: the client preset over the committed schema and the example operations. */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['examples/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'examples/generated/': {
      preset: 'client',
      config: {
        // NodeNext resolution needs explicit `.js` import paths in the generated files.
        emitLegacyCommonJSImports: false,
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown' },
      },
      // persisted-documents.json (hash -> document) doubles as the allow-list for SCOUT_REGISTRY_PERSISTED_ONLY.
      presetConfig: { fragmentMasking: false, persistedDocuments: true },
    },
  },
};

export default config;
