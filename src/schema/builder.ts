import SchemaBuilder from '@pothos/core';
import RelayPlugin, { decodeGlobalID } from '@pothos/plugin-relay';
import type { GatewayContext } from '../context.js';
import { InvalidInputError } from '../errors.js';

/** Node types: any other typename in a global id is a client error, not a bug. */
const NODE_TYPES = new Set(['Package', 'Version']);

/** The builder only: types live in their own files, imported by index.ts. */
export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
  Connection: { totalCount: number };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  plugins: [RelayPlugin],
  // Non-null unless a field says `nullable: true`: clients get precise types from codegen.
  defaultFieldNullability: false,
  // Descriptions of the Relay parts (Node, PageInfo, edges, paging arguments): GraphiQL and codegen show them.
  relay: {
    clientMutationId: 'omit',
    decodeGlobalID: (globalID) => {
      let decoded: { typename: string; id: string } | null = null;
      try {
        decoded = decodeGlobalID(globalID);
      } catch {
        decoded = null;
      }
      if (!decoded || !NODE_TYPES.has(decoded.typename)) throw new InvalidInputError(`not a valid node id: ${JSON.stringify(globalID)}`, 'id');
      return decoded;
    },
    cursorType: 'String',
    edgesFieldOptions: { nullable: false, description: 'The items of this page, in the order the field describes.' },
    nodeFieldOptions: { nullable: false, description: 'The item.' },
    cursorFieldOptions: { description: 'Opaque cursor of this item: pass it as `after` to get the items that follow it.' },
    pageInfoFieldOptions: { description: 'Where this page sits in the whole list.' },
    idFieldOptions: { description: 'Global object id (opaque; stable across restarts): pass it to `Query.node` / `Query.nodes`.' },
    nodeTypeOptions: { description: 'An object with a global id, refetchable by `Query.node(id)`: a `Package` or a `Version`.' },
    pageInfoTypeOptions: { description: 'Relay page information of a connection (forward paging only: `first` / `after`).' },
    hasNextPageFieldOptions: { description: 'More items follow this page: ask again with `after: endCursor`.' },
    hasPreviousPageFieldOptions: { description: 'Items precede this page (it was asked with `after`).' },
    startCursorFieldOptions: { description: 'Cursor of the first item of this page; null when the page is empty.' },
    endCursorFieldOptions: { description: 'Cursor of the last item of this page (the next `after`); null when the page is empty.' },
    firstArgOptions: { description: 'Page size: how many items to return (default and maximum in the field description; 0 returns only totalCount and pageInfo).' },
    afterArgOptions: { description: 'Return the items after this cursor (an `endCursor` or edge `cursor` of the same list); omit for the first page.' },
    lastArgOptions: { description: 'Not supported: backward paging is not available. Leave unset; page forward with `first` / `after`.' },
    beforeArgOptions: { description: 'Not supported: backward paging is not available. Leave unset; page forward with `first` / `after`.' },
    nodeQueryOptions: {
      description:
        'Any object by its global id (`Package.id`, `Version.id`), fetched on demand like `Query.package`. Null when it no longer exists upstream; a malformed id is INVALID_INPUT.',
      args: { id: { description: 'A global id from `Package.id` or `Version.id`.' } },
    },
    nodesQueryOptions: {
      description: 'Several objects by global id, in the order asked; null where one no longer exists upstream.',
      args: { ids: { description: 'Global ids from `Package.id` or `Version.id`.' } },
    },
  },
});

builder.globalConnectionField('totalCount', (t) => t.int({ description: 'Items matching the filters, over all pages.', resolve: (parent) => parent.totalCount }));
