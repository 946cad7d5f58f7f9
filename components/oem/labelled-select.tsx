import { cn } from '@/components/ui/cn';

/** LabelledSelect is a labelled select whose errors are tied to it like Field's (brand and credential pickers). */
export function LabelledSelect({
  name,
  label,
  options,
  errors,
  defaultValue,
  value,
  onChange,
  hint,
}: {
  name: string;
  label: string;
  options: Array<{ value: string; label: string }>;
  errors?: string[];
  defaultValue?: string;
  value?: string;
  onChange?: (value: string) => void;
  hint?: string;
}) {
  const id = `field-${name}`;
  const invalid = Boolean(errors?.length);
  const describedBy =
    [hint ? `${id}-hint` : null, invalid ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-gray-900">
        {label}
      </label>
      <select
        id={id}
        name={name}
        defaultValue={value === undefined ? defaultValue : undefined}
        value={value}
        onChange={onChange ? (e) => onChange(e.target.value) : undefined}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        className={cn(
          'block w-full rounded-md border-0 px-3 py-2 text-sm text-gray-900 shadow-sm ring-1 ring-inset',
          invalid ? 'ring-red-400' : 'ring-gray-300',
        )}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-gray-500">
          {hint}
        </p>
      ) : null}
      <p id={`${id}-error`} aria-live="polite" className="text-xs text-red-600">
        {invalid ? errors?.join(' ') : null}
      </p>
    </div>
  );
}
