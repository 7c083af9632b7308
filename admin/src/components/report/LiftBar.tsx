import { signedPct } from '../../report-format';

const W = 320;
const H = 46;
const Y = 24;
const PAD = 40;

/**
 * The lift's 95% interval drawn on a line around "no change" (0): a band from low to high and a dot at
 * the estimate. Decorative: the sentence next to it says the same in words.
 */
export function LiftBar({ lift, low, high, verdict }: { lift: number; low: number; high: number; verdict: string }) {
  const span = Math.max(Math.abs(low), Math.abs(high), 0.1) * 1.1;
  const x = (v: number) => PAD + ((v + span) / (2 * span)) * (W - 2 * PAD);
  return (
    <svg class={`lift-bar ${verdict}`} viewBox={`0 0 ${W} ${H}`} width={W} height={H} aria-hidden="true" focusable="false">
      <text x={x(0)} y={9} text-anchor="middle">
        no change
      </text>
      <line class="axis" x1={PAD} x2={W - PAD} y1={Y} y2={Y} />
      <line class="zero" x1={x(0)} x2={x(0)} y1={Y - 10} y2={Y + 10} />
      <rect class="interval" x={x(low)} width={Math.max(2, x(high) - x(low))} y={Y - 5} height={10} rx={5} />
      <circle class="estimate" cx={x(lift)} cy={Y} r={5} />
      <text x={x(low) - 3} y={H - 2} text-anchor="end">
        {signedPct(low)}
      </text>
      <text x={x(high) + 3} y={H - 2} text-anchor="start">
        {signedPct(high)}
      </text>
    </svg>
  );
}
