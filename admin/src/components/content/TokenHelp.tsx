/** How to put account data into text. */
export function TokenHelp() {
  return (
    <span class="token-help">
      Insert account data with <code>{'{{account.name}}'}</code>; add a fallback for visitors without it:{' '}
      <code>{'{{account.name|your team}}'}</code>. Also <code>account.industry</code>, <code>account.country</code>, <code>visit.utm_campaign</code>…
    </span>
  );
}
