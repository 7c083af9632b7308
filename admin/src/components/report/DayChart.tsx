import type { SegmentReport } from '../../../../shared/schemas';
import { type DayPoint, count, dayPoints, niceMax } from '../../report-format';

const W = 720;
const H = 190;
const M = { top: 10, right: 8, bottom: 24, left: 40 };
const ARMS = ['personalized', 'holdout'] as const;

interface Props {
  segment: SegmentReport;
  goal: { id: string; name: string };
  from: string;
  to: string;
}

/** Units exposed per day for both arms (a light bar each), the converted ones drawn over them (dark). */
export function DayChart({ segment: s, goal, from, to }: Props) {
  const { size, points } = dayPoints(s, from, to, goal.id);
  const max = niceMax(Math.max(...points.flatMap((p) => [p.personalized.units, p.holdout.units])));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const group = plotW / points.length;
  const bar = Math.max(1, Math.min(14, group * 0.4));
  const y = (v: number) => M.top + plotH - (v / max) * plotH;
  const per = size === 1 ? 'day' : `${size} days`;
  const id = `chart-${s.segment}`;
  const every = Math.ceil(points.length / 6);
  const labelled = (i: number) => i === points.length - 1 || (i % every === 0 && points.length - 1 - i >= every / 2);
  const days = points.filter((p) => p.personalized.units + p.holdout.units > 0).length;
  const sum = (arm: (typeof ARMS)[number], k: keyof DayPoint['personalized']) => points.reduce((n, p) => n + p[arm][k], 0);

  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <title id={`${id}-title`}>
          {s.name}: units exposed and converted on {goal.name}, per {per}
        </title>
        <desc id={`${id}-desc`}>
          From {from} to {to}, {days} of {points.length} {size === 1 ? 'days' : 'periods'} with exposures. Summed over the bars: personalized{' '}
          {count(sum('personalized', 'units'))} exposed and {count(sum('personalized', 'converted'))} converted; holdout {count(sum('holdout', 'units'))}{' '}
          exposed and {count(sum('holdout', 'converted'))} converted.
        </desc>
        {[0, max / 2, max].map((t) => (
          <g key={t} class="tick">
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
            <text x={M.left - 6} y={y(t) + 4} text-anchor="end">
              {count(t)}
            </text>
          </g>
        ))}
        {points.map((p, i) => (
          <g key={p.day}>
            {ARMS.map((arm, k) => {
              const x = M.left + i * group + group / 2 + (k === 0 ? -bar : 0);
              const { units, converted } = p[arm];
              return (
                <g key={arm} class={arm}>
                  <title>
                    {p.day} {arm}: {units} exposed, {converted} converted
                  </title>
                  <rect class="exposed" x={x} width={bar} y={y(units)} height={y(0) - y(units)} />
                  <rect class="converted" x={x} width={bar} y={y(converted)} height={y(0) - y(converted)} />
                </g>
              );
            })}
            {labelled(i) && (
              <text class="day" x={M.left + i * group + group / 2} y={H - 6} text-anchor="middle">
                {p.day.slice(5)}
              </text>
            )}
          </g>
        ))}
      </svg>
      <figcaption>
        <ul class="legend">
          <li>
            <span class="swatch personalized" aria-hidden="true" />
            Personalized
          </li>
          <li>
            <span class="swatch holdout" aria-hidden="true" />
            Holdout
          </li>
          <li class="muted">Light: units exposed per {per}; dark: of those, converted on {goal.name}.</li>
        </ul>
      </figcaption>
    </figure>
  );
}
