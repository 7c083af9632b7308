/**
 * A small React single-page app for test/browser/snippet-spa.test.ts: server-rendered (server.tsx),
 * hydrated in the browser (client.tsx), with client-side routing by react-router. Its slots follow the
 * README's advice for React: `data-pz-slot` on the element, and `suppressHydrationWarning` on the element
 * whose text the snippet replaces (the `hydrate` prop leaves it off, for the control case).
 */
import { useEffect, useState } from 'react';
import { Link, Route, Routes, useLocation } from 'react-router';

export const DEFAULTS = {
  banner: 'Welcome to Acme',
  title: { '/': 'Home', '/pricing': 'Pricing', '/customers': 'Customers' } as Record<string, string>,
  'home-hero': 'Data you can trust',
  'pricing-hero': 'Plans for every team',
  'pricing-note': 'Billed yearly',
  'customers-hero': 'Loved by data teams',
};

/** Props every slot element gets: the slot's name, and React's escape hatch for the text the snippet puts there. */
const slot = (id: string, suppress: boolean) => ({ 'data-pz-slot': id, suppressHydrationWarning: suppress });

function Home({ suppress }: { suppress: boolean }) {
  return <h2 {...slot('home-hero', suppress)}>{DEFAULTS['home-hero']}</h2>;
}

function Pricing({ suppress }: { suppress: boolean }) {
  // a state update after mount re-renders the note: the snippet must put its content back
  const [note, setNote] = useState(DEFAULTS['pricing-note']);
  useEffect(() => {
    const t = setTimeout(() => setNote(`${DEFAULTS['pricing-note']}.`), 150);
    return () => clearTimeout(t);
  }, []);
  return (
    <>
      <h2 {...slot('pricing-hero', suppress)}>{DEFAULTS['pricing-hero']}</h2>
      <p {...slot('pricing-note', suppress)}>{note}</p>
    </>
  );
}

function Customers({ suppress }: { suppress: boolean }) {
  return <h2 {...slot('customers-hero', suppress)}>{DEFAULTS['customers-hero']}</h2>;
}

export function App({ suppress = true }: { suppress?: boolean }) {
  const { pathname } = useLocation();
  const [clicks, setClicks] = useState(0);
  return (
    <div>
      <nav>
        <Link to="/">Home</Link> <Link to="/pricing">Pricing</Link> <Link to="/customers">Customers</Link>
      </nav>
      {/* in the layout: the same element on every route */}
      <p {...slot('banner', suppress)}>{DEFAULTS.banner}</p>
      {/* the same element on every route, its text changed by the route */}
      <h1 {...slot('page-title', suppress)}>{DEFAULTS.title[pathname] ?? 'Not found'}</h1>
      <Routes>
        <Route path="/" element={<Home suppress={suppress} />} />
        <Route path="/pricing" element={<Pricing suppress={suppress} />} />
        <Route path="/customers" element={<Customers suppress={suppress} />} />
      </Routes>
      <button id="counter" onClick={() => setClicks((n) => n + 1)}>
        clicked {clicks}
      </button>
    </div>
  );
}
