import Link from 'next/link';
import { Button } from '@/components/ui/button';

export type AuditFilterValues = {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  target?: string;
  outcome?: string;
};

const input =
  'block w-full rounded-md border-0 px-3 py-2 text-sm text-gray-900 shadow-sm ring-1 ring-inset ring-gray-300 focus:ring-2 focus:ring-inset focus:ring-brand-600';

/**
 * AuditFilterForm is a plain GET form: submitting it puts the filters in the URL, so a filtered
 * view can be reloaded, bookmarked and shared. Times are UTC.
 */
export function AuditFilterForm({
  action,
  values,
  actions,
  errors,
}: {
  action: string;
  values: AuditFilterValues;
  actions: string[];
  errors: Record<string, string[]>;
}) {
  const field = (name: keyof AuditFilterValues, label: string, props: Record<string, string> = {}) => (
    <div className="space-y-1">
      <label htmlFor={`filter-${name}`} className="block text-xs font-medium text-gray-700">
        {label}
      </label>
      <input
        id={`filter-${name}`}
        name={name}
        defaultValue={values[name] ?? ''}
        className={input}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `filter-${name}-error` : undefined}
        {...props}
      />
      {errors[name] ? (
        <p id={`filter-${name}-error`} className="text-xs text-red-600">
          {errors[name].join(' ')}
        </p>
      ) : null}
    </div>
  );
  return (
    <form
      method="get"
      action={action}
      role="search"
      aria-label="Filter audit events"
      className="mb-4 grid grid-cols-2 gap-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-gray-200 md:grid-cols-4 xl:grid-cols-7"
    >
      {field('from', 'From (UTC)', { type: 'datetime-local', step: '1' })}
      {field('to', 'To (UTC)', { type: 'datetime-local', step: '1' })}
      {field('actor', 'Actor', { placeholder: 'email, name or id' })}
      {field('action', 'Action', { placeholder: 'e.g. token.refused', list: 'audit-actions' })}
      <datalist id="audit-actions">
        {actions.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      {field('target', 'Target', { placeholder: 'target id' })}
      <div className="space-y-1">
        <label htmlFor="filter-outcome" className="block text-xs font-medium text-gray-700">
          Outcome
        </label>
        <select id="filter-outcome" name="outcome" defaultValue={values.outcome ?? ''} className={input}>
          <option value="">Any</option>
          <option value="SUCCESS">Success</option>
          <option value="FAILURE">Failure</option>
        </select>
      </div>
      <div className="flex items-end gap-2">
        <Button type="submit">Apply filters</Button>
        <Link href={action} className="px-2 py-2 text-sm font-medium text-gray-700 hover:underline">
          Clear
        </Link>
      </div>
    </form>
  );
}
