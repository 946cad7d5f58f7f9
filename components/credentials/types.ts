import type { ActionResult } from '@/lib/actions/define-action';

/** A server action as a client component receives it from its page. */
export type FormAction<T> = (previous: ActionResult<T> | null, formData: FormData) => Promise<ActionResult<T>>;
