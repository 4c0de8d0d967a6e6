// graphql-js runs extra realm checks on every type test unless NODE_ENV is production; it reads
// the variable when first loaded, so set it before anything imports graphql.
process.env.NODE_ENV ??= 'production';
await import('./cli.js');
