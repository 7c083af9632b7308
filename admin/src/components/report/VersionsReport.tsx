import type { SegmentReport } from '../../../../shared/schemas';
import { count, pct } from '../../report-format';
import { useAppState } from '../../state';

/** Units exposed and converted per published version of the variants, per arm. */
export function VersionsReport({ segment: s, goal }: { segment: SegmentReport; goal: { id: string; name: string } }) {
  const live = useAppState().site?.live?.version;
  if (!s.versions.length) return null;
  return (
    <div class="table-scroll">
      <table class="table versions-report">
        <caption>
          <span class="visually-hidden">{s.name}: </span>By variant version
        </caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Arm</th>
            <th scope="col" class="num">Units exposed</th>
            <th scope="col" class="num">Converted units</th>
            <th scope="col" class="num">Conversion rate</th>
          </tr>
        </thead>
        <tbody>
          {s.versions.map((v) => {
            const converted = v.conversions[goal.id] ?? 0;
            return (
              <tr key={`${v.version}-${v.arm}`}>
                <th scope="row">
                  v{v.version} {v.version === live && <span class="badge ok">live</span>}
                </th>
                <td>{v.arm}</td>
                <td class="num">{count(v.units)}</td>
                <td class="num">{count(converted)}</td>
                <td class="num">{v.units ? pct(converted / v.units) : '–'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
