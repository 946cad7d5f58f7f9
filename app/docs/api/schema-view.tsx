import { Markdown } from './markdown';

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function refName(ref: string): string {
  return ref.split('/').pop() ?? ref;
}

/** typeLabel summarizes a JSON Schema in one line: `string (date-time)`, `array of Foo`, `"A" | "B"`. */
function typeLabel(schema: Json): React.ReactNode {
  if (typeof schema.$ref === 'string') {
    const name = refName(schema.$ref);
    return (
      <a href={`#schema-${name}`} className="text-brand-700 hover:underline">
        {name}
      </a>
    );
  }
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const variants = (schema.anyOf ?? schema.oneOf) as unknown;
  if (Array.isArray(variants)) {
    return variants.map((v, i) => (
      <span key={i}>
        {i > 0 ? ' or ' : ''}
        {isObj(v) ? typeLabel(v) : '?'}
      </span>
    ));
  }
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type ?? 'any');
  if (type === 'array' && isObj(schema.items)) return <>array of {typeLabel(schema.items)}</>;
  const extras = [
    typeof schema.format === 'string' ? schema.format : null,
    schema.minimum !== undefined ? `≥ ${String(schema.minimum)}` : null,
    schema.maximum !== undefined ? `≤ ${String(schema.maximum)}` : null,
    schema.minLength !== undefined ? `min length ${String(schema.minLength)}` : null,
    schema.maxLength !== undefined ? `max length ${String(schema.maxLength)}` : null,
    schema.default !== undefined ? `default ${JSON.stringify(schema.default)}` : null,
  ].filter(Boolean);
  return extras.length ? `${type} (${extras.join(', ')})` : type;
}

/** SchemaView renders a JSON Schema object's properties as a table, nested objects inline. */
export function SchemaView({ schema, depth = 0 }: { schema: Json; depth?: number }) {
  const properties = isObj(schema.properties) ? schema.properties : null;
  if (!properties || depth > 3) {
    return (
      <p className="text-sm">
        <code>{typeLabel(schema)}</code>
        {typeof schema.description === 'string' ? (
          <span className="text-gray-600">
            {' '}
            — <Markdown inline text={schema.description} />
          </span>
        ) : null}
      </p>
    );
  }
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return (
    <div className="max-w-full overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead>
          <tr className="border-b border-gray-200 text-xs text-gray-500">
            <th className="py-1 pr-4 font-medium">Field</th>
            <th className="py-1 pr-4 font-medium">Type</th>
            <th className="py-1 font-medium">Description</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(properties).map(([name, raw]) => {
            const prop = isObj(raw) ? raw : {};
            return (
              <tr key={name} className="border-b border-gray-100 align-top">
                <td className="py-1 pr-4 font-mono text-xs">
                  {name}
                  {required.has(name) ? (
                    <span className="text-red-600" title="required">
                      {' '}
                      *
                    </span>
                  ) : null}
                </td>
                <td className="py-1 pr-4 font-mono text-xs">
                  {isObj(prop.properties) ? 'object' : typeLabel(prop)}
                  {isObj(prop.properties) ? <SchemaView schema={prop} depth={depth + 1} /> : null}
                </td>
                <td className="py-1 text-xs text-gray-700">
                  {typeof prop.description === 'string' ? <Markdown inline text={prop.description} /> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
