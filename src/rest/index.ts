export { createRestHandler, DOCS_PATH, OPENAPI_PATH, type RestHandler, type RestHandlerDeps } from './handler.js';
export { API_PREFIX, matchRoute, NAME_FORMS } from './router.js';
export { ROUTES, type Route } from './routes.js';
export { buildOpenApi } from './openapi.js';
