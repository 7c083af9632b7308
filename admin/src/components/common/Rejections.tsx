import type { ImportRejection } from '../../../../shared/schemas';

const SHOWN_REJECTIONS = 200;

/** An import's refused rows: row number, field and reason (the first 200). */
export function Rejections({ rejected }: { rejected: readonly ImportRejection[] }) {
  return (
    <div class="table-scroll rejections">
      <table class="table">
        <caption>Rejected rows{rejected.length > SHOWN_REJECTIONS ? ` (the first ${SHOWN_REJECTIONS} of ${rejected.length})` : ''}</caption>
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Field</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {rejected.slice(0, SHOWN_REJECTIONS).map((r, i) => (
            <tr key={i}>
              <td>{r.row}</td>
              <td>
                <code>{r.field}</code>
              </td>
              <td>{r.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
