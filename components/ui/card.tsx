import type { ReactNode } from 'react';
import { cn } from './cn';

export function Card({ children, className }: { children: ReactNode; className?: string }) {
  return <div className={cn('rounded-lg bg-white p-6 shadow-sm ring-1 ring-gray-200', className)}>{children}</div>;
}
