import { useState } from 'preact/hooks';
import type { ImportRejection } from '../../../../shared/schemas';
import { api } from '../../api';
import { MAX_FILE_BYTES, chunk, looksLikeJson, prepareCsv, prepareJson, tooBig } from '../../import';
import { loadSampleAccounts, refreshCounts, report, session } from '../../state';
import { DataFileInput } from '../common/DataFileInput';
import { Field } from '../common/Field';
import { Rejections } from '../common/Rejections';

interface Progress {
  done: number;
  total: number;
  accepted: number;
  rejected: ImportRejection[];
  finished: boolean;
  /** Set when the import stopped early. */
  stopped?: string;
}

/** Reads a CSV or JSON file in the browser and sends it in chunks of 500 rows, with progress and a report. */
export function AccountImport({ onImported }: { onImported: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const running = progress !== null && !progress.finished;

  const run = async () => {
    setError(null);
    if (!file) return setError('Choose a CSV or JSON file first.');
    if (file.size > MAX_FILE_BYTES) return setError(tooBig(file.size, MAX_FILE_BYTES));
    const text = await file.text();
    const prepared = looksLikeJson(text, file.name, file.type) ? prepareJson(text) : prepareCsv(text);
    if (!prepared.ok) return setError(prepared.message);
    const { chunks, rejected: duplicates } = chunk(prepared.rows);
    const total = prepared.rows.length + prepared.rejected.length;
    const p: Progress = { done: prepared.rejected.length + duplicates.length, total, accepted: 0, rejected: [...prepared.rejected, ...duplicates], finished: false };
    setProgress({ ...p });
    for (const c of chunks) {
      try {
        const result = await api.importChunk(session(), c.rows, c.firstRow);
        p.accepted += result.accepted;
        p.rejected.push(...result.rejected);
        p.done += c.rows.length;
        setProgress({ ...p });
      } catch (err) {
        report(err);
        p.stopped = `The import stopped at row ${c.firstRow}: ${err instanceof Error ? err.message : String(err)} Rows before it were imported.`;
        break;
      }
    }
    p.rejected.sort((a, b) => a.row - b.row);
    setProgress({ ...p, finished: true });
    void refreshCounts();
    void loadSampleAccounts(true);
    onImported();
  };

  const pct = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <form
      class="card"
      aria-labelledby="import-title"
      onSubmit={(e) => {
        e.preventDefault();
        void run();
      }}
    >
      <h2 id="import-title">Import accounts</h2>
      <Field
        label="CSV or JSON file"
        error={error ?? undefined}
        hint={
          <>
            Columns: <code>domain,name,industry,subIndustry,employees,revenueBand,country,region,fundingStage,tech,stage,orgNames,ipRanges</code>; lists separated
            by <code>;</code>. Other columns become attributes. Up to 20 MB. Existing domains are updated.
          </>
        }
      >
        {(p) => (
          <DataFileInput
            {...p}
            disabled={running}
            onFile={(f) => {
              setFile(f);
              setError(null);
              setProgress(null);
            }}
          />
        )}
      </Field>
      {error && (
        <p class="visually-hidden" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={running || !file}>
        {running ? 'Importing…' : 'Import'}
      </button>
      {progress && (
        <div class="import-progress">
          <label for="import-progress">
            {progress.finished ? 'Import finished' : 'Importing'}: {progress.done.toLocaleString()} of {progress.total.toLocaleString()} rows
          </label>
          <progress id="import-progress" max={100} value={pct}>
            {pct}%
          </progress>
          <div role="status" aria-live="polite">
            {progress.finished && (
              <p>
                <strong>{progress.accepted.toLocaleString()}</strong> {progress.accepted === 1 ? 'account' : 'accounts'} imported,{' '}
                <strong>{progress.rejected.length.toLocaleString()}</strong> {progress.rejected.length === 1 ? 'row' : 'rows'} rejected.
              </p>
            )}
          </div>
          {progress.stopped && (
            <p class="error" role="alert">
              {progress.stopped}
            </p>
          )}
          {progress.finished && progress.rejected.length > 0 && <Rejections rejected={progress.rejected} />}
        </div>
      )}
    </form>
  );
}
