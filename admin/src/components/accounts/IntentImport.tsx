import { useState } from 'preact/hooks';
import type { IntentImportResult } from '../../../../shared/schemas';
import { ApiError, api } from '../../api';
import { formatBytes, looksLikeJson, tooBig } from '../../import';
import { loadSampleAccounts, refreshCounts, session } from '../../state';
import { DataFileInput } from '../common/DataFileInput';
import { Field } from '../common/Field';
import { Rejections } from '../common/Rejections';

/** What the edge takes in one request: a CSV body of 2 MB (edge/admin/common.ts MAX_CSV_BYTES); JSON goes in runs of rows under its 1 MB. */
const MAX_CSV_BYTES = 2 * 1024 * 1024;
const JSON_ROWS = 2000;

/** JSON rows: an array, or the API's own `{ rows, firstRow }`; the first row is row 1 unless it says otherwise. */
function jsonRows(text: string): { rows: unknown[]; firstRow: number } | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return `This is not valid JSON (${err instanceof Error ? err.message : 'parse error'}).`;
  }
  const body = json as { rows?: unknown; firstRow?: unknown };
  if (Array.isArray(json)) return { rows: json, firstRow: 1 };
  if (body && Array.isArray(body.rows)) return { rows: body.rows, firstRow: typeof body.firstRow === 'number' ? body.firstRow : 1 };
  return 'Expected a JSON array of rows { "domain", "topic", "score", "date" }, or an object with a "rows" array.';
}

/**
 * Third-party intent scores (a Bombora Company Surge export, `domain,topic,score,date`, or JSON rows),
 * from a file or pasted, posted to the intent import: what was kept, and each refused row with its reason.
 */
export function IntentImport({ onImported }: { onImported: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [pasted, setPasted] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<IntentImportResult | null>(null);
  const [running, setRunning] = useState(false);
  const pasting = !file && pasted.trim() !== '';

  const send = async (text: string, name = '', type = '') => {
    if (!looksLikeJson(text, name, type)) {
      const size = new Blob([text]).size;
      return size > MAX_CSV_BYTES ? setError(tooBig(size, MAX_CSV_BYTES)) : setResult(await api.importIntent(session(), text));
    }
    const json = jsonRows(text);
    if (typeof json === 'string') return setError(json);
    const total: IntentImportResult = { accepted: 0, accounts: 0, rejected: [] };
    for (let i = 0; i < json.rows.length; i += JSON_ROWS) {
      const firstRow = json.firstRow + i;
      try {
        const r = await api.importIntent(session(), { rows: json.rows.slice(i, i + JSON_ROWS), firstRow });
        total.accepted += r.accepted;
        total.accounts += r.accounts; // an account in two runs counts twice: files that large are rare
        total.rejected.push(...r.rejected);
      } catch (err) {
        if (i === 0) throw err;
        setError(`The import stopped at row ${firstRow}: ${err instanceof Error ? err.message : String(err)} Rows before it were imported.`);
        break;
      }
    }
    setResult(total);
  };

  const run = async () => {
    setError(null);
    setResult(null);
    if (!file && !pasted.trim()) return setError('Choose a file or paste the rows first.');
    setRunning(true);
    try {
      await (file ? send(await file.text(), file.name, file.type) : send(pasted));
      void refreshCounts();
      void loadSampleAccounts(true);
      onImported();
    } catch (err) {
      // a file the edge refuses whole (a header without a score column…) answers 400 naming why
      if (!(err instanceof ApiError && err.status === 401)) setError(err instanceof ApiError && err.issues.length ? `Refused: ${err.issues.map((i) => i.message).join('; ')}.` : String(err instanceof Error ? err.message : err));
    } finally {
      setRunning(false);
    }
  };

  return (
    <form
      class="card"
      aria-labelledby="intent-title"
      onSubmit={(e) => {
        e.preventDefault();
        void run();
      }}
    >
      <h2 id="intent-title">Import intent</h2>
      <p class="hint">
        Third-party intent: what a company researches across the web, scored 0–100 per topic and week (Bombora calls 60 and up a surge). Segment rules read
        it at once (intent and surging conditions); import the accounts first.
      </p>
      <Field
        label="Intent file (CSV or JSON)"
        error={pasting ? undefined : (error ?? undefined)}
        hint={
          <>
            Bombora's Company Surge export (<code>Domain</code>, <code>Topic Name</code>, <code>Composite Score</code>, <code>Week</code>; other columns are read
            past) or <code>domain,topic,score,date</code>. A date is filed under its week's Monday. CSV up to {formatBytes(MAX_CSV_BYTES)}.
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
              setResult(null);
            }}
          />
        )}
      </Field>
      {!file && (
        <Field label="Or paste the rows" error={pasting ? (error ?? undefined) : undefined} hint={<>JSON: <code>[{'{'} "domain", "topic", "score", "date" {'}'}]</code>.</>}>
          {(p) => <textarea {...p} class="code" rows={4} spellcheck={false} value={pasted} onInput={(e) => setPasted(e.currentTarget.value)} />}
        </Field>
      )}
      {error && (
        <p class="visually-hidden" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={running}>
        {running ? 'Importing…' : 'Import intent'}
      </button>
      <div role="status" aria-live="polite">
        {result && (
          <p>
            <strong>{result.accepted.toLocaleString()}</strong> {result.accepted === 1 ? 'score' : 'scores'} imported for{' '}
            <strong>{result.accounts.toLocaleString()}</strong> {result.accounts === 1 ? 'account' : 'accounts'},{' '}
            <strong>{result.rejected.length.toLocaleString()}</strong> {result.rejected.length === 1 ? 'row' : 'rows'} rejected.
          </p>
        )}
      </div>
      {result && result.rejected.length > 0 && <Rejections rejected={result.rejected} />}
    </form>
  );
}
