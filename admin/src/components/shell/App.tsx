import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { loadSite, signIn, signInWithAccess, siteInUrl, useAppState } from '../../state';
import { AccountsView } from '../accounts/AccountsView';
import { ConflictBanner } from './ConflictBanner';
import { Nav, VIEWS, useViews, type ViewId } from './Nav';
import { NoRole } from './NoRole';
import { NoSite } from './NoSite';
import { Notices } from './Notices';
import { PreviewView } from '../preview/PreviewView';
import { ReportView } from '../report/ReportView';
import { SegmentsView } from '../segments/SegmentsView';
import { SignIn } from './SignIn';
import { SiteView } from '../site/SiteView';
import { SitesView } from '../sites/SitesView';
import { SlotsView } from '../slots/SlotsView';
import { TeamView } from '../team/TeamView';
import { TopBar } from './TopBar';
import { VariantsView } from '../variants/VariantsView';
import { VersionsView } from '../versions/VersionsView';

const viewFromHash = (): ViewId => {
  // `#/accounts?q=acme.com` (a sales alert's link) opens Accounts searched for the domain
  const id = location.hash.replace(/^#\/?/, '').split('?')[0]!;
  return VIEWS.some((v) => v.id === id) ? (id as ViewId) : 'segments';
};

function useView(): ViewId {
  const [view, setView] = useState(viewFromHash);
  useEffect(() => {
    const onHash = () => setView(viewFromHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  return view;
}

const VIEW_COMPONENTS: Record<ViewId, FunctionComponent> = {
  site: SiteView,
  segments: SegmentsView,
  slots: SlotsView,
  variants: VariantsView,
  accounts: AccountsView,
  preview: PreviewView,
  versions: VersionsView,
  report: ReportView,
  team: TeamView,
  sites: SitesView,
};

export function App() {
  const { session, site, me, siteMissing, checkingAccess } = useAppState();
  const allowed = useViews();
  const hashView = useView();
  // a view the role may not open (a bookmark, a role taken away) shows Segments instead
  const view = allowed.some((v) => v.id === hashView) ? hashView : 'segments';
  useEffect(() => {
    if (checkingAccess) void signInWithAccess(siteInUrl());
  }, []);
  // a stored session (a reload): who it signs in, and the site again
  useEffect(() => {
    if (session && !me) void signIn(session);
  }, [session, me]);

  if (checkingAccess)
    return (
      <main class="signin">
        <p class="muted">Signing in…</p>
      </main>
    );
  if (session && me && siteMissing) return <NoSite />;
  if (session && me && !me.role) return <NoRole />;
  if (!session)
    return (
      <>
        <SignIn />
        <Notices />
      </>
    );
  const View = VIEW_COMPONENTS[view];
  return (
    <div class="layout">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <TopBar />
      <Nav current={view} />
      <main id="main" tabIndex={-1}>
        <ConflictBanner />
        {site ? (
          <View key={`${session.site}/${view}`} />
        ) : (
          <p class="muted">
            Loading the site…{' '}
            <button type="button" class="link" onClick={() => void loadSite()}>
              Retry
            </button>
          </p>
        )}
      </main>
      <Notices />
    </div>
  );
}
