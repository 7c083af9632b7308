import { renderToString } from 'react-dom/server';
import { StaticRouter } from 'react-router';
import { App } from './app';

/** The app's HTML for `url`, as a server renders it before the browser hydrates. */
export function renderApp(url: string, suppress: boolean): string {
  return renderToString(
    <StaticRouter location={url}>
      <App suppress={suppress} />
    </StaticRouter>,
  );
}
