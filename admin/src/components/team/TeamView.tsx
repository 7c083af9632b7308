import { MembersCard } from './MembersCard';
import { TokensCard } from './TokensCard';
import { ViewHeading } from '../common/ViewHeading';

/** Who may administer this site (owners only). */
export function TeamView() {
  return (
    <section>
      <ViewHeading intro="Who may work on this site, and with which role: viewers read, editors change the draft, publishers publish, owners manage the team.">
        Team
      </ViewHeading>
      <MembersCard />
      <TokensCard />
    </section>
  );
}
