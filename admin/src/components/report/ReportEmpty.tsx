/** No events in the range: how measurement data arrives, and what to set up for a comparison. */
export function ReportEmpty({ from, to }: { from: string; to: string }) {
  return (
    <div class="card report-empty">
      <h2>No events yet</h2>
      <p>
        Nothing was measured from {from} to {to} (UTC). Data arrives from the tag on your pages, within a minute:
      </p>
      <ul>
        <li>
          an <strong>exposure</strong> when a visitor in a segment has the segment's slots on screen (personalized, or as written for the holdout);
        </li>
        <li>
          a <strong>conversion</strong> on a click on a link in a personalized slot (<code>cta</code>), a form submit (<code>submit</code>), a click on an
          element with <code>data-pz-goal="id"</code>, or a visit to a URL goal (see Goals below).
        </li>
      </ul>
      <p>
        To measure lift, give a segment a <strong>holdout</strong> share under <a href="#/segments">Segments</a> (e.g. 10%): those accounts keep the page
        as written, and this report compares how both groups convert. Publish to put it live.
      </p>
    </div>
  );
}
