/// <reference types="vitest/config" />
// Vite builds the dashboard into ui/dist, which Tauri serves (tauri.conf.json
// `frontendDist`); relative `base` because the webview loads it from disk.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  base: "./",
  plugins: [react()],
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
  },
  server: {
    port: 5173,
    strictPort: true,
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    css: false,
    restoreMocks: true,
    // Typing a whole form through user-event takes seconds on a busy 2-core
    // machine; a test that times out keeps running and upsets the next ones.
    testTimeout: 30_000,
  },
});
