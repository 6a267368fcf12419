import './style.css';
import { App } from './app/app';
import { papermapApi } from './api';

const app = new App();
window.papermap = papermapApi(app);
void app.start();
