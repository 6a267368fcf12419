import './style.css';
import { App } from './app';

const app = new App(new URLSearchParams(location.search));
window.papermap = app.api();
void app.start();
