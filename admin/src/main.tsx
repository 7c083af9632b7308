import './zod-config';
import { render } from 'preact';
import { App } from './components/shell/App';
import './styles.css';

render(<App />, document.getElementById('app')!);
