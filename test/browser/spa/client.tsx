import { hydrateRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './app';

/** Hydrates the server's HTML. Every error React recovers from (a hydration mismatch among them) is recorded. */
const w = window as unknown as { __recoverable: string[]; __hydrated: boolean; __suppress: boolean; __beforeHydration: string | null };
w.__recoverable = [];
// what the page showed when React started: the order of decision and hydration under test
w.__beforeHydration = document.querySelector('[data-pz-slot="banner"]')!.textContent;
hydrateRoot(
  document.getElementById('root')!,
  <BrowserRouter>
    <App suppress={w.__suppress} />
  </BrowserRouter>,
  {
    onRecoverableError: (error) => {
      w.__recoverable.push(String(error));
      console.error('recoverable', String(error));
    },
  },
);
w.__hydrated = true;
