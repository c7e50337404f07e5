import { firstFrame } from './lib/store.svelte';
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

const app = mount(App, { target: document.getElementById('app')! });
// Report the first painted frame (two animation frames after mounting) for the benchmark.
requestAnimationFrame(() => requestAnimationFrame(() => firstFrame()));

export default app;
