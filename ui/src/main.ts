import "./app.css";
import { mount } from "svelte";
import App from "./App.svelte";
import { app } from "./lib/stores/app.svelte";

async function start(): Promise<void> {
  // Development only: `npm run dev`, then open /?fixture to see the screens with sample cases
  // and no desktop shell. Production builds drop this branch and the fixture module entirely.
  if (import.meta.env.DEV && location.search.includes("fixture")) {
    const { installFixture } = await import("./lib/fixture");
    installFixture();
  }
  mount(App, { target: document.getElementById("app")! });
  await app.start();
}

void start();
