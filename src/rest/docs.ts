import type { OpenApiDocument, OpenApiOperation } from './openapi.js';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `code` spans only: the descriptions are plain text with backticks. */
const inline = (text: string) => escape(text).replace(/`([^`]+)`/g, '<code>$1</code>');

function schemaType(schema: Record<string, unknown>): string {
  if (Array.isArray(schema.enum)) return schema.enum.map(String).join(' | ');
  if (typeof schema.type === 'string') return schema.type;
  return 'string';
}

function operationHtml(path: string, method: string, op: OpenApiOperation, server: string): string {
  const params = op.parameters.length === 0
    ? ''
    : `<table><thead><tr><th>parameter</th><th>in</th><th>type</th><th>description</th></tr></thead><tbody>${op.parameters
        .map((p) => `<tr><td><code>${escape(p.name)}</code>${p.required ? '' : ' <small>(optional)</small>'}</td><td>${p.in}</td><td>${escape(schemaType(p.schema))}</td><td>${inline(p.description ?? '')}</td></tr>`)
        .join('')}</tbody></table>`;
  const statuses = Object.entries(op.responses).map(([status, r]) => `<li><b>${status}</b> ${inline(r.description)}</li>`).join('');
  const examples = op['x-examples']
    .map((example) => `<pre>curl${method === 'post' ? ' -X POST -H "Authorization: Bearer $KEY"' : ''} 'http://localhost:8001${escape(server + example)}'</pre>`)
    .join('');
  return `<section id="${escape(op.operationId)}">
<h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3>
<p><b>${escape(op.summary)}</b>. ${inline(op.description)}</p>
${params}
${examples}
<details><summary>Responses</summary><ul>${statuses}</ul></details>
<details><summary>GraphQL operation</summary><pre>${escape(op['x-graphql-operation'])}</pre></details>
</section>`;
}

/** The docs page: plain HTML rendered from the OpenAPI document (no script, no CDN). */
export function renderDocs(doc: OpenApiDocument): string {
  const server = doc.servers[0]?.url ?? '';
  const sections: string[] = [];
  const toc: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods) as [string, OpenApiOperation][]) {
      toc.push(`<li><a href="#${escape(op.operationId)}"><span class="m ${method}">${method.toUpperCase()}</span> ${escape(server + path)}</a></li>`);
      sections.push(operationHtml(server + path, method, op, server));
    }
  }
  const intro = doc.info.description.split('\n\n').map((p) => `<p>${inline(p)}</p>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(doc.info.title)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
code,pre{font:13px ui-monospace,monospace}pre{background:#f5f5f5;padding:.5rem;overflow:auto}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
section{border-top:1px solid #ddd;padding-top:.5rem;margin-top:1rem}
.m{display:inline-block;min-width:3.5rem;font-weight:bold}.get{color:#0a6}.post{color:#c60}
ul.toc{list-style:none;padding:0;columns:2}a{color:#05c;text-decoration:none}
</style>
</head>
<body>
<h1>${escape(doc.info.title)}</h1>
${intro}
<p>Machine-readable: <a href="${escape(server)}/openapi.json">${escape(server)}/openapi.json</a> (OpenAPI ${escape(doc.openapi)}). GraphQL: <a href="/graphql">/graphql</a>.</p>
<h2>Routes</h2>
<ul class="toc">${toc.join('\n')}</ul>
${sections.join('\n')}
</body>
</html>
`;
}
