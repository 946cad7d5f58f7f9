import type { Metadata } from 'next';
import { openApiDocument } from '@/lib/openapi/document';
import { PERMISSION_HELP } from '@/components/service-accounts/permission-help';
import { Markdown } from './markdown';
import { SchemaView } from './schema-view';

export const metadata: Metadata = { title: 'API reference' };

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const METHOD_TONE: Record<string, string> = {
  get: 'bg-blue-100 text-blue-800',
  post: 'bg-green-100 text-green-800',
  put: 'bg-yellow-100 text-yellow-800',
  patch: 'bg-yellow-100 text-yellow-800',
  delete: 'bg-red-100 text-red-800',
};

type Operation = { method: string; path: string; op: Json };

function jsonSchemaOf(content: unknown): { type: string; schema: Json } | null {
  if (!isObj(content)) return null;
  const [type, media] = Object.entries(content)[0] ?? [];
  return type && isObj(media) && isObj(media.schema) ? { type, schema: media.schema } : null;
}

/**
 * The management API reference: a server-rendered page built from the same OpenAPI document as
 * /api/openapi.json (itself generated from the zod schemas the routes validate with).
 */
export default function ApiReferencePage() {
  const doc = openApiDocument() as unknown as Json;
  const info = isObj(doc.info) ? doc.info : {};
  const paths = isObj(doc.paths) ? doc.paths : {};
  const schemas = isObj(doc.components) && isObj(doc.components.schemas) ? doc.components.schemas : {};
  const operations: Operation[] = Object.entries(paths).flatMap(([path, item]) =>
    isObj(item)
      ? METHODS.flatMap((method) => (isObj(item[method]) ? [{ method, path, op: item[method] as Json }] : []))
      : [],
  );
  const byTag = new Map<string, Operation[]>();
  for (const o of operations) {
    const tag = Array.isArray(o.op.tags) && typeof o.op.tags[0] === 'string' ? o.op.tags[0] : 'Other';
    byTag.set(tag, [...(byTag.get(tag) ?? []), o]);
  }

  return (
    <div className="mx-auto max-w-5xl px-4 py-10 sm:px-6">
      <header className="border-b border-gray-200 pb-6">
        <h1 className="text-2xl font-semibold">{String(info.title ?? 'API reference')}</h1>
        <p className="mt-1 text-sm text-gray-500">
          Version {String(info.version ?? '')} · OpenAPI {String(doc.openapi)} ·{' '}
          <a className="text-brand-700 hover:underline" href="/api/openapi.json">
            openapi.json
          </a>
        </p>
        {typeof info.description === 'string' ? (
          <Markdown className="mt-3 text-sm text-gray-700" text={info.description} />
        ) : null}
      </header>

      <section
        id="permissions"
        aria-labelledby="permissions-title"
        className="mt-6 rounded-lg bg-white p-5 ring-1 ring-gray-200"
      >
        <h2 id="permissions-title" className="text-lg font-semibold">
          Service account permissions
        </h2>
        <p className="mt-1 text-sm text-gray-700">
          Three separate settings of a service account decide what its tokens can do:
        </p>
        <dl className="mt-2 space-y-2 text-sm">
          <div>
            <dt className="font-semibold">Admin (isAdmin)</dt>
            <dd className="text-gray-700">{PERMISSION_HELP.isAdmin}</dd>
          </div>
          <div>
            <dt className="font-semibold">Management scopes</dt>
            <dd className="text-gray-700">
              {PERMISSION_HELP.scopes} Each operation below names the scopes that allow it.
            </dd>
          </div>
          <div>
            <dt className="font-semibold">Roles</dt>
            <dd className="text-gray-700">{PERMISSION_HELP.roles}</dd>
          </div>
        </dl>
      </section>

      <nav aria-label="Operations" className="mt-6">
        {[...byTag.entries()].map(([tag, ops]) => (
          <div key={tag} className="mb-3">
            <p className="text-sm font-semibold">{tag}</p>
            <ul className="ml-4 list-disc text-sm">
              {ops.map((o) => (
                <li key={`${o.method} ${o.path}`}>
                  <a href={`#op-${String(o.op.operationId)}`} className="text-brand-700 hover:underline">
                    {String(o.op.summary ?? o.op.operationId)}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>

      {[...byTag.entries()].map(([tag, ops]) => (
        <section key={tag} aria-labelledby={`tag-${tag}`} className="mt-10">
          <h2 id={`tag-${tag}`} className="text-xl font-semibold">
            {tag}
          </h2>
          {ops.map(({ method, path, op }) => {
            const params = Array.isArray(op.parameters) ? (op.parameters.filter(isObj) as Json[]) : [];
            const body = isObj(op.requestBody) ? jsonSchemaOf(op.requestBody.content) : null;
            const responses = isObj(op.responses) ? Object.entries(op.responses) : [];
            return (
              <article
                key={`${method} ${path}`}
                id={`op-${String(op.operationId)}`}
                className="mt-6 rounded-lg bg-white p-5 shadow-sm ring-1 ring-gray-200"
              >
                <h3 className="flex flex-wrap items-center gap-2 text-base font-semibold">
                  <span className={`rounded px-2 py-0.5 font-mono text-xs uppercase ${METHOD_TONE[method] ?? ''}`}>
                    {method}
                  </span>
                  <code className="text-sm break-all">{path}</code>
                </h3>
                <p className="mt-1 text-sm font-medium">{String(op.summary ?? '')}</p>
                <Access op={op} />
                {typeof op.description === 'string' ? (
                  <Markdown className="mt-2 text-sm text-gray-700" text={op.description} />
                ) : null}
                <p className="mt-1 text-xs text-gray-500">operationId: {String(op.operationId)}</p>
                {params.length ? (
                  <div className="mt-3">
                    <h4 className="text-sm font-semibold">Parameters</h4>
                    <div className="max-w-full overflow-x-auto">
                      <table className="mt-1 w-full text-left text-sm">
                        <tbody>
                          {params.map((p) => (
                            <tr
                              key={`${String(p.in)}-${String(p.name)}`}
                              className="border-b border-gray-100 align-top"
                            >
                              <td className="py-1 pr-4 font-mono text-xs">
                                {String(p.name)}
                                {p.required ? <span className="text-red-600"> *</span> : null}
                              </td>
                              <td className="py-1 pr-4 text-xs text-gray-500">{String(p.in)}</td>
                              <td className="py-1 text-xs">
                                {isObj(p.schema) ? (
                                  <SchemaView
                                    schema={{ ...p.schema, description: p.description ?? p.schema.description }}
                                  />
                                ) : null}
                              </td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </div>
                  </div>
                ) : null}
                {body ? (
                  <div className="mt-3">
                    <h4 className="text-sm font-semibold">Request body ({body.type})</h4>
                    <SchemaView schema={body.schema} />
                  </div>
                ) : null}
                <div className="mt-3">
                  <h4 className="text-sm font-semibold">Responses</h4>
                  <ul className="mt-1 space-y-1 text-sm">
                    {responses.map(([status, r]) => {
                      const res = isObj(r) ? r : {};
                      const content = jsonSchemaOf(res.content);
                      return (
                        <li key={status}>
                          <span className="font-mono text-xs font-semibold">{status}</span>{' '}
                          <Markdown inline className="text-gray-700" text={String(res.description ?? '')} />
                          {content ? (
                            <span className="text-xs text-gray-500">
                              {' '}
                              ({content.type}: <SchemaInline schema={content.schema} />)
                            </span>
                          ) : null}
                        </li>
                      );
                    })}
                  </ul>
                </div>
              </article>
            );
          })}
        </section>
      ))}

      <section aria-labelledby="schemas" className="mt-12">
        <h2 id="schemas" className="text-xl font-semibold">
          Schemas
        </h2>
        {Object.entries(schemas).map(([name, schema]) => (
          <div key={name} id={`schema-${name}`} className="mt-4 rounded-lg bg-white p-4 ring-1 ring-gray-200">
            <h3 className="font-mono text-sm font-semibold">{name}</h3>
            {isObj(schema) && typeof schema.description === 'string' ? (
              <Markdown className="text-xs text-gray-600" text={schema.description} />
            ) : null}
            {isObj(schema) ? <SchemaView schema={schema} /> : null}
          </div>
        ))}
      </section>
    </div>
  );
}

function SchemaInline({ schema }: { schema: Json }) {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').pop() ?? '';
    return (
      <a href={`#schema-${name}`} className="text-brand-700 hover:underline">
        {name}
      </a>
    );
  }
  return (
    <>
      {isObj(schema.properties)
        ? `object with ${Object.keys(schema.properties).join(', ')}`
        : String(schema.type ?? 'value')}
    </>
  );
}

/**
 * Access says who may call an operation: the management scopes an /api/v1 operation needs
 * (any one of them, on an isAdmin account's token), the client authentication of the token
 * service, or nothing for the public discovery documents.
 */
function Access({ op }: { op: Json }) {
  const scopes = op['x-required-scopes'];
  const security = Array.isArray(op.security) ? op.security : undefined;
  let text: React.ReactNode;
  if (Array.isArray(scopes)) {
    text = scopes.length ? (
      <>
        Scope:{' '}
        {scopes.map((scope, i) => (
          <span key={String(scope)}>
            {i > 0 ? ' or ' : ''}
            <code className="rounded bg-brand-50 px-1 py-0.5 font-mono text-brand-700">{String(scope)}</code>
          </span>
        ))}{' '}
        (on an isAdmin account&apos;s token), or a console session.
      </>
    ) : (
      'Console session only: no management scope allows this.'
    );
  } else if (security?.length === 0) {
    text = 'Public: no authentication.';
  } else if (security?.some((s) => isObj(s) && 'clientSecretBasic' in s)) {
    text =
      'Client authentication: HTTP Basic with the credential id and secret (client_secret_basic), client_secret_post, or a client_assertion signed with a key pair (private_key_jwt).';
  } else return null;
  return (
    <p className="mt-1 text-xs text-gray-600" data-testid="operation-access">
      {text}
    </p>
  );
}
