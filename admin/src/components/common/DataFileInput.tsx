import type { InputProps } from './Field';

/** A CSV or JSON file to import (inside a Field): the chosen file, or none. */
export function DataFileInput({ onFile, disabled, ...field }: InputProps & { disabled: boolean; onFile: (file: File | null) => void }) {
  return <input {...field} type="file" accept=".csv,.json,text/csv,application/json" disabled={disabled} onChange={(e) => onFile(e.currentTarget.files?.[0] ?? null)} />;
}
